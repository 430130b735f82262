// The controller's embedded state: webhook deliveries (claimed, then done), plans and their status per
// pull request and environment, plan/apply runs, applies, environment lock queues (sqlite-locks.ts), back-sync's pushes
// and limited replies (the core's store ports). GitHub stays the public record; this file is what lets a restarted controller carry on.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
import { MIGRATIONS } from './migrations.js';
import { oneOf, optional, positiveInt, text, toPlan, toRun, type PlanRow, type RunRow } from './rows.js';
import { SqliteApplies } from './sqlite-applies.js';
import { SqliteLocks } from './sqlite-locks.js';
import { SqliteSyncPushes } from './sqlite-sync-pushes.js';

export interface SqliteStoreOptions {
  /** Clock for timestamps. @default () => new Date() */
  readonly now?: () => Date;
  /** How long to wait for another connection's write lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
  /**
   * The controller process this store speaks for: its delivery claims and plans carry it, and only
   * other processes' unfinished work counts as abandoned. @default a random id (one per store opened)
   */
  readonly controllerId?: string;
  /** Applied to every free text written (plan summaries, reasons, run logs): the controller masks the secrets it holds. @default unchanged */
  readonly mask?: (text: string) => string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly mask: (text: string) => string;
  /** Who this store speaks for (SqliteStoreOptions.controllerId). */
  readonly controllerId: string;
  /** The file is open and migrated when the constructor returns (the PostgreSQL store's is a promise). */
  readonly ready: Promise<void> = Promise.resolve();
  private readonly locks: SqliteLocks;
  private readonly applies: SqliteApplies;
  private readonly syncPushes: SqliteSyncPushes;

  /** Opens (creating it and its directory if needed) the SQLite file at `path` and brings its schema up to date. */
  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.mask = opts.mask ?? ((t) => t);
    this.controllerId = opts.controllerId === undefined ? randomUUID() : text('controllerId', opts.controllerId);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.migrate();
    } catch (e) {
      this.db.close();
      throw e;
    }
    const stamp = (offsetMs = 0) => new Date(this.now().getTime() + offsetMs).toISOString();
    this.locks = new SqliteLocks(this.db, stamp, this.controllerId);
    this.applies = new SqliteApplies(this.db, stamp, this.controllerId, this.mask);
    this.syncPushes = new SqliteSyncPushes(this.db, stamp);
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
  deployedApplies = (): Promise<ApplyRecord[]> => this.applies.deployedApplies();
  recentApplies = (limit: number): Promise<ApplyRecord[]> => this.applies.recentApplies(limit);
  runsOfApply = (applyId: number): Promise<RunRecord[]> => this.applies.runsOfApply(applyId);

  recordSyncPush = (push: SyncPush): Promise<void> => this.syncPushes.recordSyncPush(push);
  takeSyncPush = (push: Pick<SyncPush, 'repo' | 'branch' | 'before' | 'after'>): Promise<SyncPush | undefined> =>
    this.syncPushes.takeSyncPush(push);

  /** The schema version of the open file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate(): void {
    // IMMEDIATE takes the write lock before reading the version, so two processes opening a new
    // file at once cannot both run the same migration.
    this.db
      .transaction(() => {
        const version = this.schemaVersion;
        if (version > MIGRATIONS.length) {
          throw new Error(
            `${this.path}: schema version ${version} is newer than this controller knows (${MIGRATIONS.length}); upgrade the controller`,
          );
        }
        for (let v = version; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]);
        if (version < MIGRATIONS.length) this.db.pragma(`user_version = ${MIGRATIONS.length}`);
      })
      .immediate();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  async claimDelivery(id: string, event: string): Promise<boolean> {
    const info = this.db
      .prepare("INSERT OR IGNORE INTO deliveries (id, event, received_at, status, claimed_by) VALUES (?, ?, ?, 'claimed', ?)")
      .run(text('delivery id', id), text('event', event), this.stamp(), this.controllerId);
    return info.changes === 1;
  }

  async finishDelivery(id: string): Promise<void> {
    this.db.prepare("UPDATE deliveries SET status = 'done' WHERE id = ?").run(id);
  }

  async releaseAbandonedDeliveries(): Promise<number> {
    return this.db.prepare("DELETE FROM deliveries WHERE status = 'claimed' AND claimed_by IS NOT ?").run(this.controllerId).changes;
  }

  async pruneDeliveries(before: Date): Promise<number> {
    return this.db.prepare('DELETE FROM deliveries WHERE received_at < ?').run(before.toISOString()).changes;
  }

  async savePlan(plan: NewPlan): Promise<number> {
    const at = this.stamp();
    const info = this.db
      .prepare(
        `INSERT INTO plans (repo, pr, environment, head_sha, base_sha, status, summary_json, installation_id, head_ref,
                            base_ref, clone_url, author, reason, started_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
    return Number(info.lastInsertRowid);
  }

  async updatePlan(id: number, change: PlanChange): Promise<void> {
    const set = ['status = ?', 'updated_at = ?'];
    const values: (string | null)[] = [oneOf('plan.status', change.status, PLAN_STATUSES), this.stamp()];
    if (change.summaryJson !== undefined) {
      set.push('summary_json = ?');
      values.push(change.summaryJson === null ? null : this.mask(change.summaryJson));
    }
    if (change.reason !== undefined) {
      set.push('reason = ?');
      values.push(text('plan.reason', this.mask(change.reason)));
    }
    const info = this.db.prepare(`UPDATE plans SET ${set.join(', ')} WHERE id = ?`).run(...values, id);
    if (info.changes !== 1) throw new Error(`updatePlan: no plan with id ${id}`);
  }

  async recordPlanChecks(id: number, checks: PlanChecks): Promise<void> {
    const info = this.db
      .prepare(
        `UPDATE plans SET plan_check_id = COALESCE(?, plan_check_id), policy_check_id = COALESCE(?, policy_check_id), updated_at = ?
         WHERE id = ?`,
      )
      .run(
        optional('planCheckId', checks.planCheckId, positiveInt),
        optional('policyCheckId', checks.policyCheckId, positiveInt),
        this.stamp(),
        id,
      );
    if (info.changes !== 1) throw new Error(`recordPlanChecks: no plan with id ${id}`);
  }

  async abandonedPlans(): Promise<PlanRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM plans WHERE status IN ('pending', 'running') AND started_by IS NOT ? ORDER BY id")
      .all(this.controllerId) as PlanRow[];
    return rows.map(toPlan);
  }

  async plansOfHead(repo: string, pr: number, environment: string, headSha: string): Promise<PlanRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM plans WHERE repo = ? AND pr = ? AND environment = ? AND head_sha = ? ORDER BY id')
      .all(repo, pr, environment, headSha) as PlanRow[];
    return rows.map(toPlan);
  }

  async supersedePlans(repo: string, pr: number, environment: string, exceptId: number): Promise<number> {
    return this.db
      .prepare(
        `UPDATE plans SET status = 'superseded', updated_at = ?
         WHERE repo = ? AND pr = ? AND environment = ? AND id != ? AND status IN ('pending', 'running', 'planned')`,
      )
      .run(this.stamp(), repo, pr, environment, exceptId).changes;
  }

  async getPlan(id: number): Promise<PlanRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row && toPlan(row);
  }

  async latestPlan(repo: string, pr: number, environment: string): Promise<PlanRecord | undefined> {
    const row = this.db
      .prepare('SELECT * FROM plans WHERE repo = ? AND pr = ? AND environment = ? ORDER BY id DESC LIMIT 1')
      .get(repo, pr, environment) as PlanRow | undefined;
    return row && toPlan(row);
  }

  async recentPlans(limit: number): Promise<PlanRecord[]> {
    const rows = this.db.prepare('SELECT * FROM plans ORDER BY id DESC LIMIT ?').all(positiveInt('recentPlans limit', limit)) as PlanRow[];
    return rows.map(toPlan);
  }

  async recordRun(run: NewRun): Promise<number> {
    const info = this.db
      .prepare(
        'INSERT INTO runs (repo, kind, environment, stack, sha, status, started_at, apply_id, started_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        text('run.repo', run.repo),
        oneOf('run.kind', run.kind, RUN_KINDS),
        text('run.environment', run.environment),
        text('run.stack', run.stack),
        text('run.sha', run.sha),
        oneOf('run.status', run.status ?? 'running', RUN_STATUSES),
        this.stamp(),
        optional('run.applyId', run.applyId, positiveInt),
        this.controllerId,
      );
    return Number(info.lastInsertRowid);
  }

  async finishRun(id: number, result: { readonly status: RunStatus; readonly logTail?: string }): Promise<void> {
    const tail = result.logTail === undefined ? null : this.mask(result.logTail).slice(-LOG_TAIL_LIMIT);
    const info = this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, log_tail = ? WHERE id = ?')
      .run(oneOf('run.status', result.status, RUN_STATUSES), this.stamp(), tail, id);
    if (info.changes !== 1) throw new Error(`finishRun: no run with id ${id}`);
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
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const limit = filter.limit === undefined ? 50 : positiveInt('listRuns limit', filter.limit);
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as RunRow[]).map(toRun);
  }

  async takeReply(key: ReplyKey, at: Date, windowMs: number): Promise<boolean> {
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new TypeError(`reply window must be a positive number of ms (got ${windowMs})`);
    // one statement: the row is inserted, or moved forward only when its last reply is out of the window
    const info = this.db
      .prepare(
        `INSERT INTO replies (repo, pr, user_login, kind, replied_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repo, pr, user_login, kind) DO UPDATE SET replied_at = excluded.replied_at WHERE replies.replied_at <= ?`,
      )
      .run(
        text('reply repo', key.repo),
        positiveInt('reply pr', key.pr),
        text('reply user', key.user),
        text('reply kind', key.kind),
        at.toISOString(),
        new Date(at.getTime() - windowMs).toISOString(),
      );
    return info.changes === 1;
  }

  async pruneReplies(before: Date): Promise<number> {
    return this.db.prepare('DELETE FROM replies WHERE replied_at < ?').run(before.toISOString()).changes;
  }

  /** Whether the file can be read (GET /healthz). */
  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
