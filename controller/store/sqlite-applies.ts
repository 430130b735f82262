// Applies in the SQLite store: one row per environment and commit applied, with what a restarted
// controller needs to finish one that a dead process left (check run, deployment, lock ticket).
import type Database from 'better-sqlite3';
import { APPLY_STATUSES, type ApplyLinks, type ApplyRecord, type ApplyStatus, type NewApply, type RunRecord } from '../core/ports/store.js';
import { oneOf, optional, positiveInt, text, toApply, toRun, type ApplyRow, type RunRow } from './rows.js';

export class SqliteApplies {
  constructor(
    private readonly db: Database.Database,
    private readonly stamp: () => string,
    private readonly controllerId: string,
    private readonly mask: (text: string) => string,
  ) {}

  async saveApply(apply: NewApply): Promise<number> {
    const at = this.stamp();
    const info = this.db
      .prepare(
        `INSERT INTO applies (repo, environment, sha, base_sha, pr, status, installation_id, clone_url, actor, started_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
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
      );
    return Number(info.lastInsertRowid);
  }

  async updateApply(id: number, change: { readonly status: ApplyStatus; readonly reason?: string }): Promise<void> {
    const reason = change.reason === undefined ? null : text('apply.reason', this.mask(change.reason));
    const info = this.db
      .prepare('UPDATE applies SET status = ?, reason = COALESCE(?, reason), updated_at = ? WHERE id = ?')
      .run(oneOf('apply.status', change.status, APPLY_STATUSES), reason, this.stamp(), id);
    if (info.changes !== 1) throw new Error(`updateApply: no apply with id ${id}`);
  }

  async linkApply(id: number, links: ApplyLinks): Promise<void> {
    const info = this.db
      .prepare(
        `UPDATE applies SET check_run_id = COALESCE(?, check_run_id), deployment_id = COALESCE(?, deployment_id),
                            lock_id = COALESCE(?, lock_id), updated_at = ? WHERE id = ?`,
      )
      .run(
        optional('checkRunId', links.checkRunId, positiveInt),
        optional('deploymentId', links.deploymentId, positiveInt),
        optional('lockId', links.lockId, positiveInt),
        this.stamp(),
        id,
      );
    if (info.changes !== 1) throw new Error(`linkApply: no apply with id ${id}`);
  }

  async getApply(id: number): Promise<ApplyRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM applies WHERE id = ?').get(id) as ApplyRow | undefined;
    return row && toApply(row);
  }

  async succeededApplies(repo: string, environment: string, limit = 20): Promise<ApplyRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM applies WHERE repo = ? AND environment = ? AND status = 'succeeded' ORDER BY id DESC LIMIT ?")
      .all(repo, environment, positiveInt('succeededApplies limit', limit)) as ApplyRow[];
    return rows.map(toApply);
  }

  async deployedApplies(): Promise<ApplyRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT * FROM applies WHERE id IN (SELECT max(id) FROM applies WHERE status = 'succeeded' GROUP BY repo, environment)
         ORDER BY repo, environment`,
      )
      .all() as ApplyRow[];
    return rows.map(toApply);
  }

  async recentApplies(limit: number): Promise<ApplyRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM applies ORDER BY id DESC LIMIT ?')
      .all(positiveInt('recentApplies limit', limit)) as ApplyRow[];
    return rows.map(toApply);
  }

  async abandonedApplies(): Promise<ApplyRecord[]> {
    const rows = this.db
      .prepare("SELECT * FROM applies WHERE status IN ('queued', 'running') AND started_by != ? ORDER BY id")
      .all(this.controllerId) as ApplyRow[];
    return rows.map(toApply);
  }

  async runsOfApply(applyId: number): Promise<RunRecord[]> {
    return (this.db.prepare('SELECT * FROM runs WHERE apply_id = ? ORDER BY id').all(applyId) as RunRow[]).map(toRun);
  }
}
