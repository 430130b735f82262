// The controller's state, as the core needs it: role interfaces over deliveries, plans, runs, locks
// and reply limits. The SQLite store (controller/store/sqlite-store.ts) implements all of them; a
// store shared by several controller replicas (PostgreSQL) implements the same interfaces. The methods
// that recovery and reply limits added return promises so that such a store implements them as they
// are; the older synchronous ones turn async the same way when it comes. Every time is handed in or
// stamped by the store's clock; nothing depends on the database's own clock.

export const PLAN_STATUSES = ['pending', 'running', 'planned', 'unavailable', 'failed', 'superseded'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const RUN_KINDS = ['plan', 'apply'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'unavailable'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Longest log tail kept per run (the end is kept: that is where terraform says what failed). */
export const LOG_TAIL_LIMIT = 64 * 1024;

export interface NewPlan {
  readonly repo: string;
  readonly pr: number;
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  readonly status: PlanStatus;
  readonly summaryJson?: string | null;
  /** The GitHub App installation the plan runs for: a restarted controller authenticates as it. @default null */
  readonly installationId?: number;
  /** @default null */
  readonly headRef?: string;
  /** @default null */
  readonly baseRef?: string;
  /** The base repository's clone URL (a re-plan fetches from it). @default null */
  readonly cloneUrl?: string;
  /** @default null */
  readonly author?: string;
  /** Why it failed or was superseded. @default null */
  readonly reason?: string;
}

/** The check runs a plan has opened, recorded as soon as each exists, so a restart can complete them. */
export interface PlanChecks {
  readonly planCheckId?: number;
  readonly policyCheckId?: number;
}

/** What became of a plan; `reason` says why it failed or was superseded. */
export interface PlanChange {
  readonly status: PlanStatus;
  readonly summaryJson?: string | null;
  /** @default unchanged */
  readonly reason?: string;
}

export interface PlanRecord {
  readonly id: number;
  readonly repo: string;
  readonly pr: number;
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  readonly status: PlanStatus;
  readonly summaryJson: string | null;
  readonly installationId: number | null;
  readonly headRef: string | null;
  readonly baseRef: string | null;
  readonly cloneUrl: string | null;
  readonly author: string | null;
  readonly planCheckId: number | null;
  readonly policyCheckId: number | null;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface NewRun {
  readonly repo: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly stack: string;
  readonly sha: string;
  /** @default 'running' */
  readonly status?: RunStatus;
}

export interface RunRecord {
  readonly id: number;
  readonly repo: string;
  readonly kind: RunKind;
  readonly environment: string;
  readonly stack: string;
  readonly sha: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly logTail: string | null;
}

export interface LockRecord {
  readonly environment: string;
  /** Who holds it, e.g. `acme/infra#42` or a job id. */
  readonly holder: string;
  readonly pr: number | null;
  readonly acquiredAt: string;
}

export interface RunFilter {
  readonly repo?: string;
  readonly environment?: string;
  readonly kind?: RunKind;
  readonly sha?: string;
  /** @default 50 */
  readonly limit?: number;
}

/**
 * Webhook deliveries: claimed when their job is queued, done when it has ended. A redelivery of a
 * claimed or done delivery does nothing twice; a claim whose controller died before its job ended
 * is released at the next start, so GitHub's redelivery of it runs.
 */
export interface DeliveryClaims {
  /** Claims a webhook delivery id for this controller; true the first time, false when it was seen before (by any process). */
  claimDelivery(id: string, event: string): boolean;
  /** The delivery's job has ended (whatever its outcome). */
  finishDelivery(id: string): Promise<void>;
  /** Forgets the claims that earlier controller processes made and never finished; returns how many. */
  releaseAbandonedDeliveries(): Promise<number>;
}

/** Plans of pull requests, per environment. */
export interface PlanRecords {
  /** Saves a plan started by this controller. */
  savePlan(plan: NewPlan): number;
  updatePlan(id: number, change: PlanChange): void;
  /** Records the check runs the plan opened (the ids given; the others are kept). */
  recordPlanChecks(id: number, checks: PlanChecks): void;
  /** Marks the pull request's other pending/running/planned plans for the environment superseded; returns how many. */
  supersedePlans(repo: string, pr: number, environment: string, exceptId: number): number;
  getPlan(id: number): PlanRecord | undefined;
  latestPlan(repo: string, pr: number, environment: string): PlanRecord | undefined;
}

/** What a starting controller needs to finish the plans an earlier process left running. */
export interface AbandonedPlans {
  /** Plans left pending or running by other (earlier) controller processes, oldest first. */
  abandonedPlans(): Promise<PlanRecord[]>;
  /** Every plan of one head of a pull request for an environment, oldest first. */
  plansOfHead(repo: string, pr: number, environment: string, headSha: string): Promise<PlanRecord[]>;
}

/** Who a limited reply goes to, and which kind of reply it is (e.g. `refused`). */
export interface ReplyKey {
  readonly repo: string;
  readonly pr: number;
  readonly user: string;
  readonly kind: string;
}

/** Replies the controller writes at most once per window, whichever replica handles the comment. */
export interface ReplyLimits {
  /**
   * Takes the one reply `key` may get per `windowMs`: true (and the reply counts from `at`) when none
   * was taken in the window before `at`, false otherwise. Atomic: two takers at once get one true.
   */
  takeReply(key: ReplyKey, at: Date, windowMs: number): Promise<boolean>;
}

/** Plan and apply runs of stacks (the release half records its applies here). */
export interface RunRecords {
  recordRun(run: NewRun): number;
  finishRun(id: number, result: { readonly status: RunStatus; readonly logTail?: string }): void;
  /** Newest first. */
  listRuns(filter?: RunFilter): RunRecord[];
}

/** One lock per environment: one apply at a time. */
export interface Locks {
  /** Takes the environment's lock if it is free; `lock` is whoever holds it afterwards. */
  acquireLock(environment: string, holder: string, pr?: number): { acquired: boolean; lock: LockRecord };
  /** Releases the lock (only if `holder` holds it, when given); returns the released lock. */
  releaseLock(environment: string, holder?: string): LockRecord | undefined;
  getLock(environment: string): LockRecord | undefined;
}

/** The whole store, as the composition root opens it. */
export interface Store extends DeliveryClaims, PlanRecords, AbandonedPlans, RunRecords, Locks, ReplyLimits {
  /** Forgets deliveries received before `before`; returns how many. */
  pruneDeliveries(before: Date): number;
  /** Forgets limited replies taken before `before`; returns how many. */
  pruneReplies(before: Date): number;
  close(): void;
}
