// The controller's state in PostgreSQL, shared by several controller replicas: the same store ports
// as the SQLite store (deliveries, plans, runs, applies, lock queues, limited replies), with the same
// checks and the same answers. Each replica registers itself in `replicas` and renews its lease
// while it runs; work whose replica stopped renewing (killed, or its machine gone) is what another
// replica takes over. Taking over is atomic: each abandoned plan or apply goes to one replica only.
import { randomUUID } from 'node:crypto';
import {
  LOG_TAIL_LIMIT,
  PLAN_STATUSES,
  RUN_KINDS,
  RUN_STATUSES,
  type ApplyLinks,
  type ApplyRecord,
  type ApplyStatus,
  type LockRecord,
  type LockRequest,
  type LockStanding,
  type NewApply,
  type NewPlan,
  type NewRun,
  type PlanChange,
  type PlanChecks,
  type PlanRecord,
  type ReplyKey,
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type Store,
  type SyncPush,
} from '../core/ports/store.js';
import { PgDb } from './postgres-db.js';
import { PostgresApplies } from './postgres-applies.js';
import { PostgresJobs } from './postgres-jobs.js';
import { PostgresLocks } from './postgres-locks.js';
import { PostgresSyncPushes } from './postgres-sync-pushes.js';
import { migrate } from './postgres-migrations.js';
import { DEFAULT_REPLICA_LEASE_MS, liveOwner, ReplicaLease, type LeaseRenewals } from './postgres-replicas.js';
import { oneOf, optional, positiveInt, text, toPlan, toRun, type PlanRow, type RunRow } from './rows.js';

export interface PostgresStoreOptions {
  /** Clock for timestamps and leases. @default () => new Date() */
  readonly now?: () => Date;
  /** The replica this store speaks for. @default a random id (one per store opened) */
  readonly controllerId?: string;
  /** Applied to every free text written (plan summaries, reasons, run logs). @default unchanged */
  readonly mask?: (text: string) => string;
  /** Connections in the pool. @default 10 */
  readonly poolSize?: number;
  /**
   * How long this replica counts as alive without renewing its lease; it renews at a third of it.
   * Another replica takes over its unfinished work only after this. @default 30000
   */
  readonly replicaLeaseMs?: number;
  /** Whether this store is a replica (renewing a lease, its work taken over when it stops); false for the read-only CLI. @default true */
  readonly replica?: boolean;
}

export class PostgresStore implements Store {
  readonly controllerId: string;
  /** The schema version the database is at (0 until ready). */
  schemaVersion = 0;
  /** Resolves once the schema is up to date and the replica registered; rejects with why not (every call fails the same way). */
  readonly ready: Promise<void>;
  private readonly db: PgDb;
  private readonly now: () => Date;
  private readonly mask: (text: string) => string;
  private readonly lease: ReplicaLease;
  private readonly locks: PostgresLocks;
  private readonly applies: PostgresApplies;
  private readonly syncPushes: PostgresSyncPushes;
  /** The jobs the replicas share (a webhook accepted by one replica may run in another). */
  readonly jobs: PostgresJobs;
  private closed = false;

  private constructor(
    /** The database URL with its password left out (what logs and errors show). */
    readonly where: string,
    url: string,
    opts: PostgresStoreOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.mask = opts.mask ?? ((t) => t);
    this.controllerId = opts.controllerId === undefined ? randomUUID() : text('controllerId', opts.controllerId);
    const db = new PgDb(url, opts.poolSize ?? 10);
    const stamp = (offsetMs = 0) => new Date(this.now().getTime() + offsetMs).toISOString();
    const lease = new ReplicaLease(db, stamp, this.controllerId, opts.replicaLeaseMs ?? DEFAULT_REPLICA_LEASE_MS);
    this.db = db;
    this.lease = lease;
    this.locks = new PostgresLocks(db, stamp, this.controllerId);
    this.applies = new PostgresApplies(db, stamp, this.controllerId, this.mask);
    this.syncPushes = new PostgresSyncPushes(db, stamp);
    this.jobs = new PostgresJobs(db, stamp, this.controllerId);
    const replica = opts.replica ?? true;
    this.ready = (async () => {
      this.schemaVersion = await migrate(db.pool, where);
      if (replica) await lease.start();
    })();
    db.waitFor(this.ready);
    // whoever calls next sees the failure; nobody calling is not an unhandled rejection
    this.ready.catch(() => undefined);
  }

  /**
   * The store at `url`, at once: the schema is brought up to date (once, whichever replica comes first) and this
   * replica registered in the background, and every call waits for that (`ready`).
   */
  static connect(url: string, opts: PostgresStoreOptions = {}): PostgresStore {
    return new PostgresStore(redactUrl(url), url, opts);
  }

  /** Connects as connect() does and waits until ready; closes the pool and throws when the database cannot be used. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = PostgresStore.connect(url, opts);
    try {
      await store.ready;
    } catch (e) {
      await store.close().catch(() => undefined);
      throw e;
    }
    return store;
  }

  /** Whether the database answers (GET /healthz). */
  async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }

  enterLockQueue = (request: LockRequest): Promise<LockStanding> => this.locks.enterLockQueue(request);
  pollLock = (ticketId: number): Promise<LockStanding | undefined> => this.locks.pollLock(ticketId);
  renewLock = (ticketId: number, leaseMs: number): Promise<boolean> => this.locks.renewLock(ticketId, leaseMs);
  releaseLock = (ticketId: number): Promise<LockRecord | undefined> => this.locks.releaseLock(ticketId);
  releaseLocksOf = (repo: string, pr: number): Promise<LockRecord[]> => this.locks.releaseLocksOf(repo, pr);
  getLock = (repo: string, environment: string): Promise<LockRecord | undefined> => this.locks.getLock(repo, environment);
  listLocks = (repo?: string): Promise<LockRecord[]> => this.locks.listLocks(repo);
  abandonedLocks = (): Promise<LockRecord[]> => this.locks.abandonedLocks();

  saveApply = (apply: NewApply): Promise<number> => this.applies.saveApply(apply);
  updateApply = (id: number, change: { readonly status: ApplyStatus; readonly reason?: string }): Promise<void> =>
    this.applies.updateApply(id, change);
  linkApply = (id: number, links: ApplyLinks): Promise<void> => this.applies.linkApply(id, links);
  getApply = (id: number): Promise<ApplyRecord | undefined> => this.applies.getApply(id);
  succeededApplies = (repo: string, environment: string, limit?: number): Promise<ApplyRecord[]> =>
    this.applies.succeededApplies(repo, environment, limit);
  abandonedApplies = (): Promise<ApplyRecord[]> => this.applies.abandonedApplies();
  runsOfApply = (applyId: number): Promise<RunRecord[]> => this.applies.runsOfApply(applyId);
  deployedApplies = (): Promise<ApplyRecord[]> => this.applies.deployedApplies();
  recentApplies = (limit: number): Promise<ApplyRecord[]> => this.applies.recentApplies(limit);

  recordSyncPush = (push: SyncPush): Promise<void> => this.syncPushes.recordSyncPush(push);
  takeSyncPush = (push: Pick<SyncPush, 'repo' | 'branch' | 'before' | 'after'>): Promise<SyncPush | undefined> =>
    this.syncPushes.takeSyncPush(push);

  private stamp(): string {
    return this.now().toISOString();
  }

  async claimDelivery(id: string, event: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "INSERT INTO deliveries (id, event, received_at, status, claimed_by) VALUES ($1, $2, $3, 'claimed', $4) ON CONFLICT (id) DO NOTHING",
      [text('delivery id', id), text('event', event), this.stamp(), this.controllerId],
    );
    return rowCount === 1;
  }

  async finishDelivery(id: string): Promise<void> {
    await this.db.query("UPDATE deliveries SET status = 'done' WHERE id = $1", [id]);
  }

  async releaseAbandonedDeliveries(): Promise<number> {
    const { rowCount } = await this.db.query(
      // a delivery whose job is still pending is not abandoned: a live replica will claim and run it
      `DELETE FROM deliveries WHERE status = 'claimed' AND claimed_by IS NOT NULL AND NOT ${liveOwner('claimed_by')}
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.delivery = deliveries.id AND jobs.state = 'pending')`,
      [this.controllerId, this.stamp()],
    );
    return rowCount ?? 0;
  }

  async pruneDeliveries(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM deliveries WHERE received_at < $1', [before.toISOString()])).rowCount ?? 0;
  }

  async savePlan(plan: NewPlan): Promise<number> {
    const at = this.stamp();
    const values = [
      text('plan.repo', plan.repo),
      positiveInt('plan.pr', plan.pr),
      text('plan.environment', plan.environment),
      text('plan.headSha', plan.headSha),
      text('plan.baseSha', plan.baseSha),
      oneOf('plan.status', plan.status, PLAN_STATUSES),
      plan.summaryJson == null ? null : this.mask(plan.summaryJson),
      optional('plan.installationId', plan.installationId, positiveInt),
      optional('plan.headRef', plan.headRef, text),
      optional('plan.baseRef', plan.baseRef, text),
      optional('plan.cloneUrl', plan.cloneUrl, text),
      optional('plan.author', plan.author, text),
      optional('plan.reason', plan.reason === undefined ? undefined : this.mask(plan.reason), text),
      this.controllerId,
      at,
      at,
    ];
    const [row] = await this.db.rows<{ id: number }>(
      `INSERT INTO plans (repo, pr, environment, head_sha, base_sha, status, summary_json, installation_id, head_ref,
                          base_ref, clone_url, author, reason, started_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
      values,
    );
    return row.id;
  }

  async updatePlan(id: number, change: PlanChange): Promise<void> {
    const values: (string | number | null)[] = [oneOf('plan.status', change.status, PLAN_STATUSES), this.stamp()];
    const set = ['status = $1', 'updated_at = $2'];
    if (change.summaryJson !== undefined) {
      values.push(change.summaryJson === null ? null : this.mask(change.summaryJson));
      set.push(`summary_json = $${values.length}`);
    }
    if (change.reason !== undefined) {
      values.push(text('plan.reason', this.mask(change.reason)));
      set.push(`reason = $${values.length}`);
    }
    values.push(id);
    const { rowCount } = await this.db.query(`UPDATE plans SET ${set.join(', ')} WHERE id = $${values.length}`, values);
    if (rowCount !== 1) throw new Error(`updatePlan: no plan with id ${id}`);
  }

  async recordPlanChecks(id: number, checks: PlanChecks): Promise<void> {
    const { rowCount } = await this.db.query(
      `UPDATE plans SET plan_check_id = COALESCE($1, plan_check_id), policy_check_id = COALESCE($2, policy_check_id), updated_at = $3
       WHERE id = $4`,
      [
        optional('planCheckId', checks.planCheckId, positiveInt),
        optional('policyCheckId', checks.policyCheckId, positiveInt),
        this.stamp(),
        id,
      ],
    );
    if (rowCount !== 1) throw new Error(`recordPlanChecks: no plan with id ${id}`);
  }

  /** Takes over (started_by becomes this replica) the pending and running plans of replicas that stopped, oldest first. */
  async abandonedPlans(): Promise<PlanRecord[]> {
    const rows = await this.db.rows<PlanRow>(
      `UPDATE plans SET started_by = $1 WHERE id IN (
         SELECT id FROM plans WHERE status IN ('pending', 'running') AND (started_by IS NULL OR NOT ${liveOwner('started_by')})
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.controllerId, this.stamp()],
    );
    return rows.sort((a, b) => a.id - b.id).map(toPlan);
  }

  async plansOfHead(repo: string, pr: number, environment: string, headSha: string): Promise<PlanRecord[]> {
    const rows = await this.db.rows<PlanRow>(
      'SELECT * FROM plans WHERE repo = $1 AND pr = $2 AND environment = $3 AND head_sha = $4 ORDER BY id',
      [repo, pr, environment, headSha],
    );
    return rows.map(toPlan);
  }

  async supersedePlans(repo: string, pr: number, environment: string, exceptId: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE plans SET status = 'superseded', updated_at = $1
       WHERE repo = $2 AND pr = $3 AND environment = $4 AND id != $5 AND status IN ('pending', 'running', 'planned')`,
      [this.stamp(), repo, pr, environment, exceptId],
    );
    return rowCount ?? 0;
  }

  async getPlan(id: number): Promise<PlanRecord | undefined> {
    const [row] = await this.db.rows<PlanRow>('SELECT * FROM plans WHERE id = $1', [id]);
    return row && toPlan(row);
  }

  async latestPlan(repo: string, pr: number, environment: string): Promise<PlanRecord | undefined> {
    const [row] = await this.db.rows<PlanRow>(
      'SELECT * FROM plans WHERE repo = $1 AND pr = $2 AND environment = $3 ORDER BY id DESC LIMIT 1',
      [repo, pr, environment],
    );
    return row && toPlan(row);
  }

  async recentPlans(limit: number): Promise<PlanRecord[]> {
    const rows = await this.db.rows<PlanRow>('SELECT * FROM plans ORDER BY id DESC LIMIT $1', [positiveInt('recentPlans limit', limit)]);
    return rows.map(toPlan);
  }

  async recordRun(run: NewRun): Promise<number> {
    const [row] = await this.db.rows<{ id: number }>(
      `INSERT INTO runs (repo, kind, environment, stack, sha, status, started_at, apply_id, started_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        text('run.repo', run.repo),
        oneOf('run.kind', run.kind, RUN_KINDS),
        text('run.environment', run.environment),
        text('run.stack', run.stack),
        text('run.sha', run.sha),
        oneOf('run.status', run.status ?? 'running', RUN_STATUSES),
        this.stamp(),
        optional('run.applyId', run.applyId, positiveInt),
        this.controllerId,
      ],
    );
    return row.id;
  }

  async finishRun(id: number, result: { readonly status: RunStatus; readonly logTail?: string }): Promise<void> {
    const tail = result.logTail === undefined ? null : this.mask(result.logTail).slice(-LOG_TAIL_LIMIT);
    const { rowCount } = await this.db.query('UPDATE runs SET status = $1, finished_at = $2, log_tail = $3 WHERE id = $4', [
      oneOf('run.status', result.status, RUN_STATUSES),
      this.stamp(),
      tail,
      id,
    ]);
    if (rowCount !== 1) throw new Error(`finishRun: no run with id ${id}`);
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    for (const [column, value] of [
      ['repo', filter.repo],
      ['environment', filter.environment],
      ['kind', filter.kind],
      ['sha', filter.sha],
    ] as const) {
      if (value !== undefined) {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
    }
    params.push(filter.limit === undefined ? 50 : positiveInt('listRuns limit', filter.limit));
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`;
    return (await this.db.rows<RunRow>(sql, params)).map(toRun);
  }

  async takeReply(key: ReplyKey, at: Date, windowMs: number): Promise<boolean> {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new TypeError(`reply window must be a positive number of ms (got ${windowMs})`);
    // one statement: the row is inserted, or moved forward only when its last reply is out of the window
    const { rowCount } = await this.db.query(
      `INSERT INTO replies (repo, pr, user_login, kind, replied_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (repo, pr, user_login, kind) DO UPDATE SET replied_at = excluded.replied_at WHERE replies.replied_at <= $6`,
      [
        text('reply repo', key.repo),
        positiveInt('reply pr', key.pr),
        text('reply user', key.user),
        text('reply kind', key.kind),
        at.toISOString(),
        new Date(at.getTime() - windowMs).toISOString(),
      ],
    );
    return rowCount === 1;
  }

  async pruneReplies(before: Date): Promise<number> {
    return (await this.db.query('DELETE FROM replies WHERE replied_at < $1', [before.toISOString()])).rowCount ?? 0;
  }

  /** This replica's lease renewals since it started (the metrics read them). */
  get leaseRenewals(): LeaseRenewals {
    return this.lease.renewals;
  }

  /** Stops renewing, leaves the replicas (what this replica left unfinished is taken over at once) and closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.lease.stop().catch(() => undefined);
    await this.db.end();
  }
}

/** The URL with its password replaced by `***`: what logs and errors may show. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the GITOPS_DATABASE_URL (not a URL)';
  }
}
