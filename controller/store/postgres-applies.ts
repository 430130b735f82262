// Applies in the PostgreSQL store: one row per environment and commit applied, with what another
// replica needs to finish one whose replica stopped (check run, deployment, lock ticket).
import { APPLY_STATUSES, type ApplyLinks, type ApplyRecord, type ApplyStatus, type NewApply, type RunRecord } from '../core/ports/store.js';
import type { PgDb } from './postgres-db.js';
import { liveOwner } from './postgres-replicas.js';
import { oneOf, optional, positiveInt, text, toApply, toRun, type ApplyRow, type RunRow } from './rows.js';

export class PostgresApplies {
  constructor(
    private readonly db: PgDb,
    private readonly stamp: () => string,
    private readonly controllerId: string,
    private readonly mask: (text: string) => string,
  ) {}

  async saveApply(apply: NewApply): Promise<number> {
    const at = this.stamp();
    const [row] = await this.db.rows<{ id: number }>(
      `INSERT INTO applies (repo, environment, sha, base_sha, pr, status, installation_id, clone_url, actor, started_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        text('apply.repo', apply.repo),
        text('apply.environment', apply.environment),
        text('apply.sha', apply.sha),
        text('apply.baseSha', apply.baseSha),
        optional('apply.pr', apply.pr, positiveInt),
        optional('apply.installationId', apply.installationId, positiveInt),
        optional('apply.cloneUrl', apply.cloneUrl, text),
        optional('apply.actor', apply.actor, text),
        this.controllerId,
        at,
        at,
      ],
    );
    return row.id;
  }

  async updateApply(id: number, change: { readonly status: ApplyStatus; readonly reason?: string }): Promise<void> {
    const reason = change.reason === undefined ? null : text('apply.reason', this.mask(change.reason));
    const { rowCount } = await this.db.query(
      'UPDATE applies SET status = $1, reason = COALESCE($2, reason), updated_at = $3 WHERE id = $4',
      [oneOf('apply.status', change.status, APPLY_STATUSES), reason, this.stamp(), id],
    );
    if (rowCount !== 1) throw new Error(`updateApply: no apply with id ${id}`);
  }

  async linkApply(id: number, links: ApplyLinks): Promise<void> {
    const { rowCount } = await this.db.query(
      `UPDATE applies SET check_run_id = COALESCE($1, check_run_id), deployment_id = COALESCE($2, deployment_id),
                          lock_id = COALESCE($3, lock_id), updated_at = $4 WHERE id = $5`,
      [
        optional('checkRunId', links.checkRunId, positiveInt),
        optional('deploymentId', links.deploymentId, positiveInt),
        optional('lockId', links.lockId, positiveInt),
        this.stamp(),
        id,
      ],
    );
    if (rowCount !== 1) throw new Error(`linkApply: no apply with id ${id}`);
  }

  async getApply(id: number): Promise<ApplyRecord | undefined> {
    const [row] = await this.db.rows<ApplyRow>('SELECT * FROM applies WHERE id = $1', [id]);
    return row && toApply(row);
  }

  async succeededApplies(repo: string, environment: string, limit = 20): Promise<ApplyRecord[]> {
    const rows = await this.db.rows<ApplyRow>(
      "SELECT * FROM applies WHERE repo = $1 AND environment = $2 AND status = 'succeeded' ORDER BY id DESC LIMIT $3",
      [repo, environment, positiveInt('succeededApplies limit', limit)],
    );
    return rows.map(toApply);
  }

  async deployedApplies(): Promise<ApplyRecord[]> {
    const rows = await this.db.rows<ApplyRow>(
      `SELECT * FROM applies WHERE id IN (SELECT max(id) FROM applies WHERE status = 'succeeded' GROUP BY repo, environment)
       ORDER BY repo, environment`,
    );
    return rows.map(toApply);
  }

  async recentApplies(limit: number): Promise<ApplyRecord[]> {
    const rows = await this.db.rows<ApplyRow>('SELECT * FROM applies ORDER BY id DESC LIMIT $1', [
      positiveInt('recentApplies limit', limit),
    ]);
    return rows.map(toApply);
  }

  /** Takes over (started_by becomes this replica) the queued and running applies of replicas that stopped, oldest first. */
  async abandonedApplies(): Promise<ApplyRecord[]> {
    const rows = await this.db.rows<ApplyRow>(
      `UPDATE applies SET started_by = $1 WHERE id IN (
         SELECT id FROM applies WHERE status IN ('queued', 'running') AND NOT ${liveOwner('started_by')}
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.controllerId, this.stamp()],
    );
    return rows.sort((a, b) => a.id - b.id).map(toApply);
  }

  async runsOfApply(applyId: number): Promise<RunRecord[]> {
    return (await this.db.rows<RunRow>('SELECT * FROM runs WHERE apply_id = $1 ORDER BY id', [applyId])).map(toRun);
  }
}
