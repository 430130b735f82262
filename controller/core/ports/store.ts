// The controller's state, as the core needs it: role interfaces over deliveries, plans, runs, locks
// and reply limits. The SQLite store (controller/store/sqlite-store.ts) and the PostgreSQL store that
// several controller replicas share (controller/store/postgres-store.ts) implement all of them. Every
// method returns a promise and is atomic on its own. Every time is handed in or stamped by the store's
// clock; nothing depends on the database's own clock. The controller process id is on every row a
// restart (or, on a shared store, another replica) takes over.

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
  /** The apply this run belongs to. @default null */
  readonly applyId?: number;
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
  readonly applyId: number | null;
  /** The controller process that ran it. */
  readonly startedBy: string | null;
}

/** Whether a lock ticket holds its environment's lock or waits for it (first come, first served). */
export type LockState = 'held' | 'waiting';

/** One place in an environment's lock queue: the holder, or a waiter. */
export interface LockRecord {
  /** The ticket: the queue's order (lower came first) and what releases or renews it. */
  readonly id: number;
  readonly repo: string;
  readonly environment: string;
  /** Who holds or waits, e.g. `acme/infra#42` or a job such as `acme/infra@1a2b3c4`. */
  readonly holder: string;
  readonly pr: number | null;
  /** The commit the holder applies, when it applies one. */
  readonly sha: string | null;
  /** The controller process that took the ticket (its lease says whether it still lives). */
  readonly owner: string;
  readonly state: LockState;
  readonly enqueuedAt: string;
  /** When the lock was taken; null while waiting. */
  readonly acquiredAt: string | null;
  /** Past this time the ticket's owner is taken for dead (its job renews the lease while it runs). */
  readonly leaseExpiresAt: string;
}

export interface LockRequest {
  readonly repo: string;
  readonly environment: string;
  readonly holder: string;
  /** @default null */
  readonly pr?: number;
  /** @default null */
  readonly sha?: string;
  /** How long the ticket lives without a renewal. */
  readonly leaseMs: number;
}

/** Where a ticket stands: `position` 0 holds the lock; `ahead` are the tickets before it, holder first. */
export interface LockStanding {
  readonly ticket: LockRecord;
  readonly acquired: boolean;
  readonly position: number;
  readonly ahead: readonly LockRecord[];
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
  claimDelivery(id: string, event: string): Promise<boolean>;
  /** The delivery's job has ended (whatever its outcome). */
  finishDelivery(id: string): Promise<void>;
  /** Forgets the claims that earlier controller processes made and never finished; returns how many. */
  releaseAbandonedDeliveries(): Promise<number>;
}

/** Plans of pull requests, per environment. */
export interface PlanRecords {
  /** Saves a plan started by this controller. */
  savePlan(plan: NewPlan): Promise<number>;
  updatePlan(id: number, change: PlanChange): Promise<void>;
  /** Records the check runs the plan opened (the ids given; the others are kept). */
  recordPlanChecks(id: number, checks: PlanChecks): Promise<void>;
  /** Marks the pull request's other pending/running/planned plans for the environment superseded; returns how many. */
  supersedePlans(repo: string, pr: number, environment: string, exceptId: number): Promise<number>;
  getPlan(id: number): Promise<PlanRecord | undefined>;
  latestPlan(repo: string, pr: number, environment: string): Promise<PlanRecord | undefined>;
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

/** Plan and apply runs of stacks: each stack's apply is one run, with its masked log tail. */
export interface RunRecords {
  recordRun(run: NewRun): Promise<number>;
  finishRun(id: number, result: { readonly status: RunStatus; readonly logTail?: string }): Promise<void>;
  /** Newest first. */
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;
}

/**
 * One apply at a time per repository and environment, first come first served. Every method is atomic
 * on its own (a store shared by replicas takes a row lock or a transaction), and every time comes from
 * the store's clock. A ticket whose lease ran out is dropped by the next taker when it waits; when it
 * holds the lock it stays until recovery has checked Terraform's own state lock, or an approver's
 * `/unlock` releases it.
 */
export interface Locks {
  /** Joins the queue of `request.environment`, taking the lock at once when nobody holds or waits for it. */
  enterLockQueue(request: LockRequest): Promise<LockStanding>;
  /**
   * Takes the lock when `ticketId` is first in line and nobody holds it; says where it stands either way,
   * or undefined when the ticket is gone (an approver's `/unlock`, or its pull request was closed).
   */
  pollLock(ticketId: number): Promise<LockStanding | undefined>;
  /** Moves the ticket's lease to `leaseMs` from now; false when the ticket is gone (released by someone else). */
  renewLock(ticketId: number, leaseMs: number): Promise<boolean>;
  /** Removes the ticket (held or waiting); returns it, or undefined when it was gone. */
  releaseLock(ticketId: number): Promise<LockRecord | undefined>;
  /** Removes every ticket of a pull request in the repository (it was closed); returns them. */
  releaseLocksOf(repo: string, pr: number): Promise<LockRecord[]>;
  /** The holder of the environment's lock, if any. */
  getLock(repo: string, environment: string): Promise<LockRecord | undefined>;
  /** Every ticket (of one repository when given), per environment: the holder first, then the waiters in order. */
  listLocks(repo?: string): Promise<LockRecord[]>;
  /** Tickets of other controller processes, or whose lease ran out: what a starting controller takes over. */
  abandonedLocks(): Promise<LockRecord[]>;
}

export const APPLY_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'differs', 'skipped'] as const;
export type ApplyStatus = (typeof APPLY_STATUSES)[number];

/** One apply of an environment at one commit (a push to its branch, or an approver's `/apply`). */
export interface NewApply {
  readonly repo: string;
  readonly environment: string;
  readonly sha: string;
  /** The branch's tip before the push (the commit the environment files were read at). */
  readonly baseSha: string;
  /** The merged pull request, when one was found. @default null */
  readonly pr?: number;
  /** @default null */
  readonly installationId?: number;
  /** @default null */
  readonly cloneUrl?: string;
  /** Who caused the apply: the push's sender (who merged), or the approver who commented `/apply`. @default null */
  readonly actor?: string;
}

export interface ApplyRecord {
  readonly id: number;
  readonly repo: string;
  readonly environment: string;
  readonly sha: string;
  readonly baseSha: string;
  readonly pr: number | null;
  readonly status: ApplyStatus;
  readonly installationId: number | null;
  readonly cloneUrl: string | null;
  readonly actor: string | null;
  readonly checkRunId: number | null;
  readonly deploymentId: number | null;
  readonly lockId: number | null;
  readonly reason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What an apply opened on GitHub and in the store, recorded as soon as each exists, so a restart can finish them. */
export interface ApplyLinks {
  readonly checkRunId?: number;
  readonly deploymentId?: number;
  readonly lockId?: number;
}

/** Applies of environments, and what a restarted controller needs to finish the ones a dead process left. */
export interface ApplyRecords {
  /** Saves an apply started by this controller (status `queued`). */
  saveApply(apply: NewApply): Promise<number>;
  updateApply(id: number, change: { readonly status: ApplyStatus; readonly reason?: string }): Promise<void>;
  linkApply(id: number, links: ApplyLinks): Promise<void>;
  getApply(id: number): Promise<ApplyRecord | undefined>;
  /** Applies of the environment that succeeded, newest first. */
  succeededApplies(repo: string, environment: string, limit?: number): Promise<ApplyRecord[]>;
  /** Applies left queued or running by other (earlier) controller processes, oldest first. */
  abandonedApplies(): Promise<ApplyRecord[]>;
  /** Runs of an apply (its stacks), oldest first. */
  runsOfApply(applyId: number): Promise<RunRecord[]>;
}

/** What the status page reads: the newest records across repositories and environments. */
export interface StatusReads {
  /** The newest succeeded apply of each repository and environment (what is deployed), by repository then environment. */
  deployedApplies(): Promise<ApplyRecord[]>;
  /** Applies of every repository and environment, newest first. */
  recentApplies(limit: number): Promise<ApplyRecord[]>;
  /** Plans of every pull request, newest first. */
  recentPlans(limit: number): Promise<PlanRecord[]>;
}

/** A push back-sync makes: `branch` moved from `before` to `after`, its rebase onto `trunk` at `trunkSha`. */
export interface SyncPush {
  readonly repo: string;
  readonly branch: string;
  readonly before: string;
  readonly after: string;
  readonly trunk: string;
  readonly trunkSha: string;
}

/**
 * The pushes back-sync made, so that the push webhook each one causes is known as the controller's own
 * (and applied: its content was reviewed and applied on the trunk) and a person's push is not.
 */
export interface SyncPushes {
  /** Records a push before back-sync makes it: its webhook can arrive before the push returns. */
  recordSyncPush(push: SyncPush): Promise<void>;
  /**
   * Takes the record of the push of `branch` from exactly `before` to `after`, once: the record when
   * back-sync recorded that push and nobody took it yet, else undefined. Atomic: two takers get one record.
   */
  takeSyncPush(push: Pick<SyncPush, 'repo' | 'branch' | 'before' | 'after'>): Promise<SyncPush | undefined>;
}

/** The whole store, as the composition root opens it. */
export interface Store
  extends DeliveryClaims, PlanRecords, AbandonedPlans, RunRecords, Locks, ApplyRecords, ReplyLimits, StatusReads, SyncPushes {
  /** Forgets deliveries received before `before`; returns how many. */
  pruneDeliveries(before: Date): Promise<number>;
  /** Forgets limited replies taken before `before`; returns how many. */
  pruneReplies(before: Date): Promise<number>;
  close(): Promise<void>;
}
