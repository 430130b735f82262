// Jobs kept in a database that several controller replicas share: a webhook accepted by one replica is
// run by whichever replica claims it first. A job is stored as data (its order as JSON, and the
// installation it acts for), never as code, so any replica can run it.

/** A job as it is stored: enough for any replica to build its session and run it. */
export interface NewSharedJob {
  /** Serialization key: jobs with the same key never run at the same time, across every replica. */
  readonly key: string;
  readonly label: string;
  /** Jobs of the same key and group supersede each other: storing one marks the unfinished earlier ones. @default never */
  readonly supersedeGroup?: string;
  /** What to do, as JSON (controller/webhooks/job-orders.ts). */
  readonly orderJson: string;
  readonly installationId: number;
  /** The webhook delivery the job came from; marked done once the job has run. @default none */
  readonly delivery?: string;
}

export interface ClaimedJob extends NewSharedJob {
  readonly id: number;
  /** The label of the newer job that superseded this one (it still runs, to say so). @default not superseded */
  readonly supersededBy?: string;
}

/** A superseded job this replica is running. */
export interface SupersededJob {
  readonly id: number;
  readonly by: string;
}

export interface SharedJobs {
  /** Stores a pending job (superseding the unfinished earlier ones of its key and group); returns its id. */
  addJob(job: NewSharedJob): Promise<number>;
  /**
   * Claims the oldest pending job whose key has no earlier job pending or running, for this replica; none when
   * there is nothing to run. Two replicas never claim the same job, nor two jobs of one key.
   */
  claimJob(): Promise<ClaimedJob | undefined>;
  /** Forgets a job that has run (whatever its outcome). */
  finishJob(id: number): Promise<void>;
  /** The jobs this replica is running that a newer job has superseded since they were claimed. */
  supersededJobs(): Promise<SupersededJob[]>;
  /** Which of these jobs are still stored (pending, or running somewhere). */
  remainingJobs(ids: readonly number[]): Promise<number[]>;
  /** Pending jobs, across every replica. */
  pendingJobs(): Promise<number>;
  /**
   * Forgets the running jobs of replicas whose lease has run out; returns how many. Their plans and applies are
   * recovered from their records (failed `controller restarted`, plans queued again); the jobs are not run twice.
   */
  dropAbandonedJobs(): Promise<number>;
}
