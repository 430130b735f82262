// The controller's state, as the core needs it: role interfaces over deliveries, plans, runs and
// locks. The SQLite store (controller/store/sqlite-store.ts) implements all of them; a store shared
// by several controller replicas implements the same interfaces.

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

/** Webhook deliveries already handled: a redelivery does nothing twice. */
export interface DeliveryClaims {
  /** Records a webhook delivery id; true the first time, false when it was seen before (by any process). */
  claimDelivery(id: string, event: string): boolean;
}

/** Plans of pull requests, per environment. */
export interface PlanRecords {
  savePlan(plan: NewPlan): number;
  updatePlan(id: number, change: { readonly status: PlanStatus; readonly summaryJson?: string | null }): void;
  /** Marks the pull request's other pending/running/planned plans for the environment superseded; returns how many. */
  supersedePlans(repo: string, pr: number, environment: string, exceptId: number): number;
  getPlan(id: number): PlanRecord | undefined;
  latestPlan(repo: string, pr: number, environment: string): PlanRecord | undefined;
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
export interface Store extends DeliveryClaims, PlanRecords, RunRecords, Locks {
  /** Forgets deliveries received before `before`; returns how many. */
  pruneDeliveries(before: Date): number;
  close(): void;
}
