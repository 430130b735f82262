// The job queue of replicas that share a PostgreSQL store. A job is stored as its order (job-orders.ts)
// when it is accepted, and run by whichever replica claims it first: the replica that answered the
// webhook may be busy, or gone. The database keeps one key's jobs (one pull request, one branch) in
// the order they were accepted and one at a time across replicas; a newer plan marks the older ones
// superseded there, and the replica running an older one aborts it at its next look, so that the job
// says on GitHub that it was superseded, as in one process. The promise of an accepted job settles when
// the job has run, wherever it ran. A job with no installation (nothing another replica could act
// for) runs in this process's own queue.
import { errorLine } from '../comment/limits.js';
import type { ControllerCore } from '../core/controller.js';
import type { ClaimedJob, SharedJobs } from '../core/ports/jobs.js';
import type { CoreLog, RepoSession } from '../core/ports/session.js';
import type { DeliveryClaims } from '../core/ports/store.js';
import { jobOf, parseOrder, repositoryOfOrder } from './job-orders.js';
import { SupersededError, type JobBoard, type JobQueue, type JobSpec } from './job-queue.js';

/** How a claimed job is run: the core, and a session of the job's installation. */
export interface SharedJobRunner {
  readonly core: ControllerCore;
  sessionFor(installationId: number, owner: string, repo: string): Promise<RepoSession>;
}

export interface SharedJobQueueOptions {
  readonly jobs: SharedJobs;
  /** Runs the jobs only this process can run (no installation, or the database would not take them). */
  readonly local: JobQueue;
  /** Claimed jobs running at once in this replica. @default 2 */
  readonly concurrency?: number;
  /** Marks a job's delivery done once it has run. */
  readonly deliveries: Pick<DeliveryClaims, 'finishDelivery'>;
  /** How often the replica looks for jobs to claim, superseded jobs to abort and jobs it waits for. @default 1000 */
  readonly pollMs?: number;
  readonly log: CoreLog;
}

export class SharedJobQueue implements JobBoard {
  readonly #opts: SharedJobQueueOptions;
  readonly #concurrency: number;
  /** Jobs accepted here, by id, with what settles their promise once they are gone from the database. */
  readonly #waiting = new Map<number, () => void>();
  /** Jobs this replica claimed and is running, by id. */
  readonly #running = new Map<number, AbortController>();
  readonly #inflight = new Set<Promise<void>>();
  #runner: SharedJobRunner | undefined;
  readonly #timer: NodeJS.Timeout;
  #looking: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(opts: SharedJobQueueOptions) {
    const concurrency = opts.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`SharedJobQueue: concurrency must be a whole number of at least 1 (got ${concurrency})`);
    }
    const pollMs = opts.pollMs ?? 1000;
    if (!Number.isFinite(pollMs) || pollMs < 10) throw new Error(`SharedJobQueue: pollMs must be at least 10 (got ${pollMs})`);
    this.#opts = { ...opts, pollMs };
    this.#concurrency = concurrency;
    // the jobs accepted here are waited for from the start; claiming starts with start()
    this.#timer = setInterval(() => this.#look(), pollMs);
    this.#timer.unref();
  }

  /** Starts claiming jobs (the Probot app, which sessions come from, is loaded). */
  start(runner: SharedJobRunner): void {
    this.#runner = runner;
    this.#look();
  }

  get size(): number {
    return this.#opts.local.size + new Set([...this.#waiting.keys(), ...this.#running.keys()]).size;
  }

  enqueue(spec: JobSpec): Promise<void> {
    if (this.#closed) throw new Error(`JobQueue: closed; cannot accept "${spec.label}"`);
    const portable = spec.portable;
    if (portable?.installationId === undefined) return this.#opts.local.enqueue(spec);
    const { installationId, order, delivery } = portable;
    const done = this.#opts.jobs
      .addJob({
        key: spec.key,
        label: spec.label,
        orderJson: JSON.stringify(order),
        installationId,
        ...(spec.supersedeGroup !== undefined ? { supersedeGroup: spec.supersedeGroup } : {}),
        ...(delivery !== undefined ? { delivery } : {}),
      })
      .then(
        (id) =>
          new Promise<void>((resolve) => {
            if (this.#closed) return resolve();
            this.#waiting.set(id, resolve);
            this.#look();
          }),
        (e: unknown) => {
          // nothing lost: a job the database would not take runs here
          this.#opts.log.error({ job: spec.label, key: spec.key, err: errorLine(e) }, 'job could not be shared; running it here');
          return this.#opts.local.enqueue(spec);
        },
      );
    return this.#track(done);
  }

  async onIdle(): Promise<void> {
    await this.#opts.local.onIdle();
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Stops claiming, aborts the jobs running here (their checks say so) and waits for them; pending jobs stay for the other replicas. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    for (const controller of this.#running.values()) controller.abort(new Error('controller shutting down'));
    for (const resolve of this.#waiting.values()) resolve();
    this.#waiting.clear();
    await this.#looking;
    await this.onIdle();
    await this.#opts.local.close();
  }

  #track(work: Promise<void>): Promise<void> {
    const settled = work.catch(() => undefined);
    this.#inflight.add(settled);
    void settled.finally(() => this.#inflight.delete(settled));
    return settled;
  }

  /** One look at the database; a look asked for while one runs makes it look once more. */
  #look(): void {
    if (this.#looking) {
      this.#again = true;
      return;
    }
    this.#looking = this.#lookOnce()
      .catch((e: unknown) => this.#opts.log.error({ err: errorLine(e) }, 'shared jobs could not be read'))
      .finally(() => {
        this.#looking = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.#look();
        }
      });
  }

  async #lookOnce(): Promise<void> {
    const { jobs } = this.#opts;
    if (this.#waiting.size > 0) {
      const remaining = new Set(await jobs.remainingJobs([...this.#waiting.keys()]));
      for (const [id, resolve] of this.#waiting) {
        if (!remaining.has(id)) {
          this.#waiting.delete(id);
          resolve();
        }
      }
    }
    if (this.#running.size > 0) {
      for (const { id, by } of await jobs.supersededJobs()) {
        const controller = this.#running.get(id);
        if (controller && !controller.signal.aborted) controller.abort(new SupersededError(by));
      }
    }
    while (this.#runner && !this.#closed && this.#running.size < this.#concurrency) {
      const job = await jobs.claimJob();
      if (job === undefined) break;
      this.#run(this.#runner, job);
    }
  }

  #run(runner: SharedJobRunner, job: ClaimedJob): void {
    const controller = new AbortController();
    if (job.supersededBy !== undefined) controller.abort(new SupersededError(job.supersededBy));
    this.#running.set(job.id, controller);
    const work = (async () => {
      const order = parseOrder(job.orderJson, job.label);
      const { owner, repo } = repositoryOfOrder(order);
      const session = await runner.sessionFor(job.installationId, owner, repo);
      await jobOf(runner.core, session, order).run(controller.signal);
    })()
      .catch((e: unknown) => this.#opts.log.error({ job: job.label, key: job.key, err: errorLine(e) }, 'job failed'))
      .finally(async () => {
        this.#running.delete(job.id);
        await this.#opts.jobs
          .finishJob(job.id)
          .catch((e: unknown) => this.#opts.log.error({ job: job.label, err: errorLine(e) }, 'job could not be marked done'));
        if (job.delivery !== undefined) {
          await this.#opts.deliveries
            .finishDelivery(job.delivery)
            .catch((e: unknown) =>
              this.#opts.log.error({ delivery: job.delivery, err: errorLine(e) }, 'delivery could not be marked done'),
            );
        }
        if (!this.#closed) this.#look();
      });
    void this.#track(work);
  }
}
