// The controller's embedded state: webhook deliveries already handled, plans and their status per
// pull request and environment, plan/apply runs, and environment locks (the core's store ports).
// GitHub stays the public record; this file is what lets a restarted controller carry on.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

import {
  LOG_TAIL_LIMIT,
  PLAN_STATUSES,
  RUN_KINDS,
  RUN_STATUSES,
  type RunKind,
  type LockRecord,
  type NewPlan,
  type NewRun,
  type PlanRecord,
  type PlanStatus,
  type RunFilter,
  type RunRecord,
  type RunStatus,
  type Store,
} from '../core/ports/store.js';

/** Schema versions, in order; `PRAGMA user_version` is how many have run. Append, never edit. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY,
     event TEXT NOT NULL,
     received_at TEXT NOT NULL
   );
   CREATE INDEX deliveries_received_at ON deliveries (received_at);
   CREATE TABLE plans (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     pr INTEGER NOT NULL,
     environment TEXT NOT NULL,
     head_sha TEXT NOT NULL,
     base_sha TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'planned', 'unavailable', 'failed', 'superseded')),
     summary_json TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX plans_by_pr ON plans (repo, pr, environment, id);
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('plan', 'apply')),
     environment TEXT NOT NULL,
     stack TEXT NOT NULL,
     sha TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'unavailable')),
     started_at TEXT NOT NULL,
     finished_at TEXT,
     log_tail TEXT
   );
   CREATE INDEX runs_by_env ON runs (repo, environment, id);
   CREATE TABLE locks (
     environment TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     pr INTEGER,
     acquired_at TEXT NOT NULL
   );`,
];

export interface SqliteStoreOptions {
  /** Clock for timestamps. @default () => new Date() */
  readonly now?: () => Date;
  /** How long to wait for another connection's write lock, in ms. @default 5000 */
  readonly busyTimeoutMs?: number;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new TypeError(`${field} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`${field} must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

function positiveInt(field: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new TypeError(`${field} must be a positive integer (got ${JSON.stringify(value)})`);
  return value as number;
}

interface PlanRow {
  id: number;
  repo: string;
  pr: number;
  environment: string;
  head_sha: string;
  base_sha: string;
  status: PlanStatus;
  summary_json: string | null;
  created_at: string;
  updated_at: string;
}
interface RunRow {
  id: number;
  repo: string;
  kind: RunKind;
  environment: string;
  stack: string;
  sha: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  log_tail: string | null;
}
interface LockRow {
  environment: string;
  holder: string;
  pr: number | null;
  acquired_at: string;
}

const toPlan = (r: PlanRow): PlanRecord => ({
  id: r.id,
  repo: r.repo,
  pr: r.pr,
  environment: r.environment,
  headSha: r.head_sha,
  baseSha: r.base_sha,
  status: r.status,
  summaryJson: r.summary_json,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  repo: r.repo,
  kind: r.kind,
  environment: r.environment,
  stack: r.stack,
  sha: r.sha,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  logTail: r.log_tail,
});
const toLock = (r: LockRow): LockRecord => ({ environment: r.environment, holder: r.holder, pr: r.pr, acquiredAt: r.acquired_at });

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly now: () => Date;

  /** Opens (creating it and its directory if needed) the SQLite file at `path` and brings its schema up to date. */
  constructor(
    readonly path: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
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
  }

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

  claimDelivery(id: string, event: string): boolean {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO deliveries (id, event, received_at) VALUES (?, ?, ?)')
      .run(text('delivery id', id), text('event', event), this.stamp());
    return info.changes === 1;
  }

  pruneDeliveries(before: Date): number {
    return this.db.prepare('DELETE FROM deliveries WHERE received_at < ?').run(before.toISOString()).changes;
  }

  savePlan(plan: NewPlan): number {
    const at = this.stamp();
    const info = this.db
      .prepare(
        `INSERT INTO plans (repo, pr, environment, head_sha, base_sha, status, summary_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        text('plan.repo', plan.repo),
        positiveInt('plan.pr', plan.pr),
        text('plan.environment', plan.environment),
        text('plan.headSha', plan.headSha),
        text('plan.baseSha', plan.baseSha),
        oneOf('plan.status', plan.status, PLAN_STATUSES),
        plan.summaryJson ?? null,
        at,
        at,
      );
    return Number(info.lastInsertRowid);
  }

  updatePlan(id: number, change: { readonly status: PlanStatus; readonly summaryJson?: string | null }): void {
    const status = oneOf('plan.status', change.status, PLAN_STATUSES);
    const info =
      change.summaryJson === undefined
        ? this.db.prepare('UPDATE plans SET status = ?, updated_at = ? WHERE id = ?').run(status, this.stamp(), id)
        : this.db
            .prepare('UPDATE plans SET status = ?, summary_json = ?, updated_at = ? WHERE id = ?')
            .run(status, change.summaryJson, this.stamp(), id);
    if (info.changes !== 1) throw new Error(`updatePlan: no plan with id ${id}`);
  }

  supersedePlans(repo: string, pr: number, environment: string, exceptId: number): number {
    return this.db
      .prepare(
        `UPDATE plans SET status = 'superseded', updated_at = ?
         WHERE repo = ? AND pr = ? AND environment = ? AND id != ? AND status IN ('pending', 'running', 'planned')`,
      )
      .run(this.stamp(), repo, pr, environment, exceptId).changes;
  }

  getPlan(id: number): PlanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
    return row && toPlan(row);
  }

  latestPlan(repo: string, pr: number, environment: string): PlanRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM plans WHERE repo = ? AND pr = ? AND environment = ? ORDER BY id DESC LIMIT 1')
      .get(repo, pr, environment) as PlanRow | undefined;
    return row && toPlan(row);
  }

  recordRun(run: NewRun): number {
    const info = this.db
      .prepare('INSERT INTO runs (repo, kind, environment, stack, sha, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(
        text('run.repo', run.repo),
        oneOf('run.kind', run.kind, RUN_KINDS),
        text('run.environment', run.environment),
        text('run.stack', run.stack),
        text('run.sha', run.sha),
        oneOf('run.status', run.status ?? 'running', RUN_STATUSES),
        this.stamp(),
      );
    return Number(info.lastInsertRowid);
  }

  finishRun(id: number, result: { readonly status: RunStatus; readonly logTail?: string }): void {
    const tail = result.logTail === undefined ? null : result.logTail.slice(-LOG_TAIL_LIMIT);
    const info = this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, log_tail = ? WHERE id = ?')
      .run(oneOf('run.status', result.status, RUN_STATUSES), this.stamp(), tail, id);
    if (info.changes !== 1) throw new Error(`finishRun: no run with id ${id}`);
  }

  listRuns(filter: RunFilter = {}): RunRecord[] {
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

  acquireLock(environment: string, holder: string, pr?: number): { acquired: boolean; lock: LockRecord } {
    return this.db
      .transaction(() => {
        const info = this.db
          .prepare('INSERT OR IGNORE INTO locks (environment, holder, pr, acquired_at) VALUES (?, ?, ?, ?)')
          .run(
            text('lock environment', environment),
            text('lock holder', holder),
            pr === undefined ? null : positiveInt('lock pr', pr),
            this.stamp(),
          );
        return { acquired: info.changes === 1, lock: this.getLock(environment)! };
      })
      .immediate();
  }

  releaseLock(environment: string, holder?: string): LockRecord | undefined {
    return this.db
      .transaction(() => {
        const lock = this.getLock(environment);
        if (!lock || (holder !== undefined && lock.holder !== holder)) return undefined;
        this.db.prepare('DELETE FROM locks WHERE environment = ? AND holder = ?').run(environment, lock.holder);
        return lock;
      })
      .immediate();
  }

  getLock(environment: string): LockRecord | undefined {
    const row = this.db.prepare('SELECT * FROM locks WHERE environment = ?').get(environment) as LockRow | undefined;
    return row && toLock(row);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
