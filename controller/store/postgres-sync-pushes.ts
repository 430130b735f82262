// Back-sync's pushes in the PostgreSQL store: recorded before each push is made, taken once by the apply
// of the push webhook it caused, whichever replica receives that webhook.
import type { SyncPush } from '../core/ports/store.js';
import type { PgDb } from './postgres-db.js';
import { text } from './rows.js';

interface SyncPushRow {
  repo: string;
  branch: string;
  before_sha: string;
  after_sha: string;
  trunk: string;
  trunk_sha: string;
}

export class PostgresSyncPushes {
  constructor(
    private readonly db: PgDb,
    private readonly stamp: () => string,
  ) {}

  async recordSyncPush(push: SyncPush): Promise<void> {
    await this.db.query(
      `INSERT INTO sync_pushes (repo, branch, before_sha, after_sha, trunk, trunk_sha, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        text('syncPush.repo', push.repo),
        text('syncPush.branch', push.branch),
        text('syncPush.before', push.before),
        text('syncPush.after', push.after),
        text('syncPush.trunk', push.trunk),
        text('syncPush.trunkSha', push.trunkSha),
        this.stamp(),
      ],
    );
  }

  async takeSyncPush(push: Pick<SyncPush, 'repo' | 'branch' | 'before' | 'after'>): Promise<SyncPush | undefined> {
    // SKIP LOCKED: two replicas taking at once cannot both mark the same row
    const [row] = await this.db.rows<SyncPushRow>(
      `UPDATE sync_pushes SET taken_at = $1
       WHERE id = (SELECT id FROM sync_pushes
                   WHERE repo = $2 AND branch = $3 AND before_sha = $4 AND after_sha = $5 AND taken_at IS NULL
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING repo, branch, before_sha, after_sha, trunk, trunk_sha`,
      [this.stamp(), push.repo, push.branch, push.before, push.after],
    );
    return (
      row && { repo: row.repo, branch: row.branch, before: row.before_sha, after: row.after_sha, trunk: row.trunk, trunkSha: row.trunk_sha }
    );
  }
}
