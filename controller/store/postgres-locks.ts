// The environment locks of the PostgreSQL store: one queue per repository and environment, first come
// first served across replicas. Every change to a queue runs in a transaction that first takes the
// queue's advisory lock, so two replicas polling at once see one order and only one takes the lock;
// the partial unique index says the same in the schema. A held ticket is abandoned when its owner
// replica stopped renewing its own lease, or the ticket's lease ran out.
import type { LockRecord, LockRequest, LockStanding } from '../core/ports/store.js';
import { LOCK_QUEUE_NAMESPACE, type PgDb, type Queryable } from './postgres-db.js';
import { liveOwner } from './postgres-replicas.js';
import { optional, positiveInt, text, toLock, type LockRow } from './rows.js';

async function lockQueue(client: Queryable, repo: string, environment: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_QUEUE_NAMESPACE, `${repo}\n${environment}`]);
}

async function rowOf(client: Queryable, id: number): Promise<LockRecord | undefined> {
  const { rows } = await client.query<LockRow>('SELECT * FROM lock_queue WHERE id = $1', [id]);
  return rows[0] && toLock(rows[0]);
}

export class PostgresLocks {
  constructor(
    private readonly db: PgDb,
    private readonly stamp: (offsetMs?: number) => string,
    private readonly controllerId: string,
  ) {}

  async enterLockQueue(request: LockRequest): Promise<LockStanding> {
    if (!Number.isFinite(request.leaseMs) || request.leaseMs <= 0)
      throw new TypeError(`lock leaseMs must be a positive number of ms (got ${request.leaseMs})`);
    const values = [
      text('lock repo', request.repo),
      text('lock environment', request.environment),
      text('lock holder', request.holder),
      optional('lock pr', request.pr, positiveInt),
      optional('lock sha', request.sha, text),
      this.controllerId,
      this.stamp(),
      this.stamp(request.leaseMs),
    ];
    return this.db.tx(async (client) => {
      await lockQueue(client, request.repo, request.environment);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO lock_queue (repo, environment, holder, pr, sha, owner, state, enqueued_at, lease_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7, $8) RETURNING id`,
        values,
      );
      return (await this.take(client, rows[0].id))!;
    });
  }

  async pollLock(ticketId: number): Promise<LockStanding | undefined> {
    const ticket = await rowOf(this.db.pool, ticketId);
    if (!ticket) return undefined;
    return this.db.tx(async (client) => {
      await lockQueue(client, ticket.repo, ticket.environment);
      return this.take(client, ticketId);
    });
  }

  /** Drops waiters whose lease ran out (their replica is gone), then takes the lock for `id` if it is next. Under the queue's lock. */
  private async take(client: Queryable, id: number): Promise<LockStanding | undefined> {
    const ticket = await rowOf(client, id);
    if (!ticket) return undefined;
    await client.query(
      "DELETE FROM lock_queue WHERE repo = $1 AND environment = $2 AND state = 'waiting' AND lease_expires_at < $3 AND id != $4",
      [ticket.repo, ticket.environment, this.stamp(), id],
    );
    const { rows } = await client.query<LockRow>(
      `SELECT * FROM lock_queue WHERE repo = $1 AND environment = $2 AND id != $3 AND (state = 'held' OR id < $3)
       ORDER BY state = 'held' DESC, id`,
      [ticket.repo, ticket.environment, id],
    );
    let ahead = rows.map(toLock);
    if (ticket.state === 'waiting' && ahead.length === 0) {
      await client.query("UPDATE lock_queue SET state = 'held', acquired_at = $1 WHERE id = $2", [this.stamp(), id]);
      ahead = [];
    }
    const now = (await rowOf(client, id))!;
    return { ticket: now, acquired: now.state === 'held', position: now.state === 'held' ? 0 : ahead.length, ahead };
  }

  async renewLock(ticketId: number, leaseMs: number): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE lock_queue SET lease_expires_at = $1 WHERE id = $2', [this.stamp(leaseMs), ticketId]);
    return rowCount === 1;
  }

  async releaseLock(ticketId: number): Promise<LockRecord | undefined> {
    const [row] = await this.db.rows<LockRow>('DELETE FROM lock_queue WHERE id = $1 RETURNING *', [ticketId]);
    return row && toLock(row);
  }

  async releaseLocksOf(repo: string, pr: number): Promise<LockRecord[]> {
    const rows = await this.db.rows<LockRow>('DELETE FROM lock_queue WHERE repo = $1 AND pr = $2 RETURNING *', [repo, pr]);
    return rows.sort((a, b) => a.id - b.id).map(toLock);
  }

  async getLock(repo: string, environment: string): Promise<LockRecord | undefined> {
    const [row] = await this.db.rows<LockRow>("SELECT * FROM lock_queue WHERE repo = $1 AND environment = $2 AND state = 'held'", [
      repo,
      environment,
    ]);
    return row && toLock(row);
  }

  async listLocks(repo?: string): Promise<LockRecord[]> {
    const order = "ORDER BY repo, environment, state = 'held' DESC, id";
    const rows =
      repo === undefined
        ? await this.db.rows<LockRow>(`SELECT * FROM lock_queue ${order}`)
        : await this.db.rows<LockRow>(`SELECT * FROM lock_queue WHERE repo = $1 ${order}`, [repo]);
    return rows.map(toLock);
  }

  async abandonedLocks(): Promise<LockRecord[]> {
    const rows = await this.db.rows<LockRow>(
      `SELECT * FROM lock_queue WHERE NOT ${liveOwner('owner')} OR lease_expires_at < $2 ORDER BY id`,
      [this.controllerId, this.stamp()],
    );
    return rows.map(toLock);
  }
}
