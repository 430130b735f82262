// The environment locks of the SQLite store: one queue per repository and environment, first come
// first served. A ticket becomes the holder only by its own owner's call (enterLockQueue or pollLock),
// inside one IMMEDIATE transaction, so two processes on the same file never both hold a lock; a
// partial unique index says the same in the schema.
import type Database from 'better-sqlite3';
import type { LockRecord, LockRequest, LockStanding } from '../core/ports/store.js';
import { optional, positiveInt, text, toLock, type LockRow } from './rows.js';

export class SqliteLocks {
  constructor(
    private readonly db: Database.Database,
    private readonly stamp: (offsetMs?: number) => string,
    private readonly controllerId: string,
  ) {}

  async enterLockQueue(request: LockRequest): Promise<LockStanding> {
    if (!Number.isFinite(request.leaseMs) || request.leaseMs <= 0)
      throw new TypeError(`lock leaseMs must be a positive number of ms (got ${request.leaseMs})`);
    return this.db
      .transaction(() => {
        const info = this.db
          .prepare(
            `INSERT INTO lock_queue (repo, environment, holder, pr, sha, owner, state, enqueued_at, lease_expires_at)
             VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`,
          )
          .run(
            text('lock repo', request.repo),
            text('lock environment', request.environment),
            text('lock holder', request.holder),
            optional('lock pr', request.pr, positiveInt),
            optional('lock sha', request.sha, text),
            this.controllerId,
            this.stamp(),
            this.stamp(request.leaseMs),
          );
        return this.take(Number(info.lastInsertRowid))!;
      })
      .immediate();
  }

  async pollLock(ticketId: number): Promise<LockStanding | undefined> {
    return this.db.transaction(() => this.take(ticketId)).immediate();
  }

  /** Drops waiters whose lease ran out (their process is gone), then takes the lock for `id` if it is next. */
  private take(id: number): LockStanding | undefined {
    const ticket = this.row(id);
    if (!ticket) return undefined;
    this.db
      .prepare("DELETE FROM lock_queue WHERE repo = ? AND environment = ? AND state = 'waiting' AND lease_expires_at < ? AND id != ?")
      .run(ticket.repo, ticket.environment, this.stamp(), id);
    const ahead = () =>
      (
        this.db
          .prepare(
            "SELECT * FROM lock_queue WHERE repo = ? AND environment = ? AND id != ? AND (state = 'held' OR id < ?) ORDER BY state = 'held' DESC, id",
          )
          .all(ticket.repo, ticket.environment, id, id) as LockRow[]
      ).map(toLock);
    let before = ahead();
    if (ticket.state === 'waiting' && before.length === 0) {
      this.db.prepare("UPDATE lock_queue SET state = 'held', acquired_at = ? WHERE id = ?").run(this.stamp(), id);
      before = [];
    }
    const now = this.row(id)!;
    return { ticket: now, acquired: now.state === 'held', position: now.state === 'held' ? 0 : before.length, ahead: before };
  }

  private row(id: number): LockRecord | undefined {
    const row = this.db.prepare('SELECT * FROM lock_queue WHERE id = ?').get(id) as LockRow | undefined;
    return row && toLock(row);
  }

  async renewLock(ticketId: number, leaseMs: number): Promise<boolean> {
    return this.db.prepare('UPDATE lock_queue SET lease_expires_at = ? WHERE id = ?').run(this.stamp(leaseMs), ticketId).changes === 1;
  }

  async releaseLock(ticketId: number): Promise<LockRecord | undefined> {
    return this.db
      .transaction(() => {
        const ticket = this.row(ticketId);
        if (ticket) this.db.prepare('DELETE FROM lock_queue WHERE id = ?').run(ticketId);
        return ticket;
      })
      .immediate();
  }

  async releaseLocksOf(repo: string, pr: number): Promise<LockRecord[]> {
    return this.db
      .transaction(() => {
        const rows = (this.db.prepare('SELECT * FROM lock_queue WHERE repo = ? AND pr = ? ORDER BY id').all(repo, pr) as LockRow[]).map(
          toLock,
        );
        this.db.prepare('DELETE FROM lock_queue WHERE repo = ? AND pr = ?').run(repo, pr);
        return rows;
      })
      .immediate();
  }

  async getLock(repo: string, environment: string): Promise<LockRecord | undefined> {
    const row = this.db.prepare("SELECT * FROM lock_queue WHERE repo = ? AND environment = ? AND state = 'held'").get(repo, environment) as
      LockRow | undefined;
    return row && toLock(row);
  }

  async listLocks(repo?: string): Promise<LockRecord[]> {
    const order = "ORDER BY repo, environment, state = 'held' DESC, id";
    const rows = (
      repo === undefined
        ? this.db.prepare(`SELECT * FROM lock_queue ${order}`).all()
        : this.db.prepare(`SELECT * FROM lock_queue WHERE repo = ? ${order}`).all(repo)
    ) as LockRow[];
    return rows.map(toLock);
  }

  async abandonedLocks(): Promise<LockRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM lock_queue WHERE owner != ? OR lease_expires_at < ? ORDER BY id')
      .all(this.controllerId, this.stamp()) as LockRow[];
    return rows.map(toLock);
  }
}
