// Which controller replicas are alive. Each one has a row in `replicas` whose lease it renews at a
// third of its length; a replica killed (or cut off from the database) stops renewing, and once its
// lease has run out its unfinished work counts as abandoned. A replica closing cleanly leaves at once.
import type { PgDb } from './postgres-db.js';

/** How long a replica counts as alive without renewing its lease, unless GITOPS_REPLICA_LEASE_MS says. */
export const DEFAULT_REPLICA_LEASE_MS = 30_000;

/**
 * SQL that is true when `column` names this replica ($1 by default) or one whose lease has not run
 * out at the time given as $2 by default.
 */
export function liveOwner(column: string, me = '$1', now = '$2'): string {
  return `(${column} = ${me} OR ${column} IN (SELECT id FROM replicas WHERE lease_expires_at >= ${now}))`;
}

/** Renewals of a replica's lease since it started: done, failed (the database did not answer), and late (done after the lease had run out). */
export interface LeaseRenewals {
  readonly ok: number;
  readonly failed: number;
  readonly late: number;
}

export class ReplicaLease {
  private timer: NodeJS.Timeout | undefined;
  private lastRenewed: number | undefined;
  private readonly counts = { ok: 0, failed: 0, late: 0 };
  stopped = false;

  constructor(
    private readonly db: PgDb,
    private readonly stamp: (offsetMs?: number) => string,
    private readonly id: string,
    private readonly leaseMs: number,
  ) {
    if (!Number.isFinite(leaseMs) || leaseMs < 30)
      throw new TypeError(`replicaLeaseMs must be a number of ms of at least 30 (got ${leaseMs})`);
  }

  /** Registers the replica and renews its lease until stop(). */
  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(() => void this.renew().catch(() => void this.counts.failed++), Math.floor(this.leaseMs / 3));
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    // the pool itself: queries through PgDb wait for the start this is part of
    await this.db.pool.query(
      `INSERT INTO replicas (id, started_at, lease_expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET lease_expires_at = excluded.lease_expires_at`,
      [this.id, this.stamp(), this.stamp(this.leaseMs)],
    );
    const now = Date.now();
    // the other replicas may already have taken this one's work over
    if (this.lastRenewed !== undefined && now - this.lastRenewed > this.leaseMs) this.counts.late++;
    this.lastRenewed = now;
    this.counts.ok++;
  }

  get renewals(): LeaseRenewals {
    return { ...this.counts };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.db.pool.query('DELETE FROM replicas WHERE id = $1', [this.id]);
  }
}
