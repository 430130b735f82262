import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gitops-migrations-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A store file as the first controller release left it: schema version 1, one delivery, one plan mid-run. */
function versionOneFile(): string {
  const file = join(dir, 'gitops.sqlite');
  const db = new Database(file);
  db.exec(MIGRATIONS[0]);
  db.pragma('user_version = 1');
  db.prepare("INSERT INTO deliveries (id, event, received_at) VALUES ('d-old', 'pull_request.opened', '2025-05-01T00:00:00.000Z')").run();
  db.prepare(
    `INSERT INTO plans (repo, pr, environment, head_sha, base_sha, status, created_at, updated_at)
     VALUES ('acme/infra', 7, 'dev', 'h1', 'b1', 'running', '2025-05-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z')`,
  ).run();
  db.close();
  return file;
}

describe('store migrations', () => {
  test('GIVEN the schema versions WHEN read THEN each is a separate entry (appended, never edited in place)', () => {
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS[0]).toContain('CREATE TABLE deliveries');
    expect(MIGRATIONS[1]).toContain('ALTER TABLE plans ADD COLUMN installation_id');
  });

  test('GIVEN a version 1 file with a delivery and a running plan WHEN opened by this controller THEN it is upgraded and the old rows read as handled and abandoned', async () => {
    const file = versionOneFile();
    const store = new SqliteStore(file, { controllerId: 'upgraded' });
    try {
      expect(store.schemaVersion).toBe(MIGRATIONS.length);
      // a delivery handled before the upgrade counts as done: never released, its redelivery still ignored
      expect(await store.releaseAbandonedDeliveries()).toBe(0);
      expect(await store.claimDelivery('d-old', 'pull_request.opened')).toBe(false);
      // the plan that was running is abandoned, with nothing recorded for recovery
      const [plan] = await store.abandonedPlans();
      expect(plan).toMatchObject({ repo: 'acme/infra', pr: 7, status: 'running', installationId: null, planCheckId: null, cloneUrl: null });
      expect(await store.takeReply({ repo: 'acme/infra', pr: 7, user: 'bob', kind: 'refused' }, new Date(), 3600_000)).toBe(true);
    } finally {
      await store.close();
    }
  });

  test('GIVEN an upgraded file WHEN reopened THEN no migration runs twice', async () => {
    const file = versionOneFile();
    await new SqliteStore(file).close();
    const again = new SqliteStore(file);
    expect(again.schemaVersion).toBe(MIGRATIONS.length);
    await again.close();
  });

  test('GIVEN a version 2 file with a held lock WHEN opened by this controller THEN the lock is kept as a held ticket of an earlier process', async () => {
    const file = join(dir, 'v2.sqlite');
    const db = new Database(file);
    db.exec(MIGRATIONS[0]);
    db.exec(MIGRATIONS[1]);
    db.pragma('user_version = 2');
    db.prepare(
      "INSERT INTO locks (environment, holder, pr, acquired_at) VALUES ('prod', 'acme/infra#41', 41, '2025-05-01T00:00:00.000Z')",
    ).run();
    db.prepare("INSERT INTO locks (environment, holder, pr, acquired_at) VALUES ('uat', 'job-7', NULL, '2025-05-01T00:00:00.000Z')").run();
    db.close();
    const store = new SqliteStore(file, { controllerId: 'upgraded' });
    try {
      expect(await store.getLock('acme/infra', 'prod')).toMatchObject({ holder: 'acme/infra#41', pr: 41, state: 'held' });
      expect((await store.abandonedLocks()).map((l) => [l.repo, l.environment, l.owner])).toEqual([
        ['acme/infra', 'prod', '(before version 3)'],
        ['(unknown)', 'uat', '(before version 3)'],
      ]);
    } finally {
      await store.close();
    }
  });
});
