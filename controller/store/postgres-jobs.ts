// The jobs the replicas share, in PostgreSQL. A claim is one transaction: the oldest pending job whose
// key has no earlier job pending or running, locked with SKIP LOCKED so that two replicas claiming at
// once take different jobs; the "no earlier job of its key" condition keeps one pull request's (or one
// branch's) jobs in the order they were accepted, one at a time, whichever replica runs them.
import type { ClaimedJob, NewSharedJob, SharedJobs, SupersededJob } from '../core/ports/jobs.js';
import type { PgDb } from './postgres-db.js';
import { liveOwner } from './postgres-replicas.js';
import { positiveInt, text } from './rows.js';

interface JobRow {
  id: number;
  key: string;
  label: string;
  supersede_group: string | null;
  superseded_by: string | null;
  order_json: string;
  installation_id: number;
  delivery: string | null;
}

const toJob = (r: JobRow): ClaimedJob => ({
  id: r.id,
  key: r.key,
  label: r.label,
  orderJson: r.order_json,
  installationId: r.installation_id,
  ...(r.supersede_group !== null ? { supersedeGroup: r.supersede_group } : {}),
  ...(r.superseded_by !== null ? { supersededBy: r.superseded_by } : {}),
  ...(r.delivery !== null ? { delivery: r.delivery } : {}),
});

export class PostgresJobs implements SharedJobs {
  constructor(
    private readonly db: PgDb,
    private readonly stamp: () => string,
    private readonly controllerId: string,
  ) {}

  async addJob(job: NewSharedJob): Promise<number> {
    const key = text('job key', job.key);
    try {
      JSON.parse(job.orderJson);
    } catch {
      throw new TypeError(`job "${job.label}": its order must be JSON (no replica could read it back)`);
    }
    return this.db.tx(async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO jobs (key, label, supersede_group, order_json, installation_id, delivery, state, accepted_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id`,
        [
          key,
          text('job label', job.label),
          job.supersedeGroup ?? null,
          job.orderJson,
          positiveInt('installation id', job.installationId),
          job.delivery ?? null,
          this.controllerId,
          this.stamp(),
        ],
      );
      const id = rows[0]!.id;
      if (job.supersedeGroup !== undefined) {
        await client.query(
          'UPDATE jobs SET superseded_by = $1 WHERE key = $2 AND supersede_group = $3 AND id < $4 AND superseded_by IS NULL',
          [job.label, key, job.supersedeGroup, id],
        );
      }
      return id;
    });
  }

  async claimJob(): Promise<ClaimedJob | undefined> {
    return this.db.tx(async (client) => {
      const { rows } = await client.query<JobRow>(
        `SELECT * FROM jobs j
          WHERE j.state = 'pending'
            AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.key = j.key AND (e.state = 'running' OR e.id < j.id))
          ORDER BY j.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      await client.query("UPDATE jobs SET state = 'running', claimed_by = $1, claimed_at = $2 WHERE id = $3", [
        this.controllerId,
        this.stamp(),
        row.id,
      ]);
      // the delivery's claim follows the job: it is released only if this replica dies before the job ends
      if (row.delivery !== null) {
        await client.query("UPDATE deliveries SET claimed_by = $1 WHERE id = $2 AND status = 'claimed'", [this.controllerId, row.delivery]);
      }
      return toJob(row);
    });
  }

  async finishJob(id: number): Promise<void> {
    await this.db.query('DELETE FROM jobs WHERE id = $1', [id]);
  }

  async supersededJobs(): Promise<SupersededJob[]> {
    const rows = await this.db.rows<{ id: number; superseded_by: string }>(
      "SELECT id, superseded_by FROM jobs WHERE state = 'running' AND claimed_by = $1 AND superseded_by IS NOT NULL ORDER BY id",
      [this.controllerId],
    );
    return rows.map((r) => ({ id: r.id, by: r.superseded_by }));
  }

  async remainingJobs(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return (await this.db.rows<{ id: number }>('SELECT id FROM jobs WHERE id = ANY($1::bigint[]) ORDER BY id', [ids])).map((r) => r.id);
  }

  async pendingJobs(): Promise<number> {
    const rows = await this.db.rows<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE state = 'pending'");
    return rows[0]?.n ?? 0;
  }

  async dropAbandonedJobs(): Promise<number> {
    const { rowCount } = await this.db.query(`DELETE FROM jobs WHERE state = 'running' AND NOT ${liveOwner('claimed_by')}`, [
      this.controllerId,
      this.stamp(),
    ]);
    return rowCount ?? 0;
  }
}
