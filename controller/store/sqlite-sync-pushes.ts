// Back-sync's pushes in the SQLite store: recorded before each push is made, taken once by the apply
// of the push webhook it caused.
import type Database from 'better-sqlite3';
import type { SyncPush } from '../core/ports/store.js';
import { text } from './rows.js';

interface SyncPushRow {
  repo: string;
  branch: string;
  before_sha: string;
  after_sha: string;
  trunk: string;
  trunk_sha: string;
}

export class SqliteSyncPushes {
  constructor(
    private readonly db: Database.Database,
    private readonly stamp: () => string,
  ) {}

  async recordSyncPush(push: SyncPush): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sync_pushes (repo, branch, before_sha, after_sha, trunk, trunk_sha, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        text('syncPush.repo', push.repo),
        text('syncPush.branch', push.branch),
        text('syncPush.before', push.before),
        text('syncPush.after', push.after),
        text('syncPush.trunk', push.trunk),
        text('syncPush.trunkSha', push.trunkSha),
        this.stamp(),
      );
  }

  async takeSyncPush(push: Pick<SyncPush, 'repo' | 'branch' | 'before' | 'after'>): Promise<SyncPush | undefined> {
    // one statement: two takers at once cannot both mark the same row
    const row = this.db
      .prepare(
        `UPDATE sync_pushes SET taken_at = ?
         WHERE id = (SELECT id FROM sync_pushes
                     WHERE repo = ? AND branch = ? AND before_sha = ? AND after_sha = ? AND taken_at IS NULL
                     ORDER BY id LIMIT 1)
         RETURNING repo, branch, before_sha, after_sha, trunk, trunk_sha`,
      )
      .get(this.stamp(), push.repo, push.branch, push.before, push.after) as SyncPushRow | undefined;
    return (
      row && { repo: row.repo, branch: row.branch, before: row.before_sha, after: row.after_sha, trunk: row.trunk, trunkSha: row.trunk_sha }
    );
  }
}
