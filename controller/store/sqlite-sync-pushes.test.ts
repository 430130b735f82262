import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncPush } from '../core/ports/store.js';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
const open: SqliteStore[] = [];
/** A store on one shared file (two of them are two controller replicas). */
function store(): SqliteStore {
  const s = new SqliteStore(join(dir, 'gitops.sqlite'));
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-store-'));
});
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

const push: SyncPush = {
  repo: 'acme/infra',
  branch: 'uat',
  before: 'b'.repeat(40),
  after: 'd'.repeat(40),
  trunk: 'main',
  trunkSha: 'a'.repeat(40),
};
const key = { repo: push.repo, branch: push.branch, before: push.before, after: push.after };

describe('SqliteSyncPushes', () => {
  test('GIVEN a recorded push WHEN taken THEN it reads back once; a second take, by any replica, finds nothing', async () => {
    const [one, two] = [store(), store()];
    await one.recordSyncPush(push);
    expect(await two.takeSyncPush(key)).toEqual(push);
    expect(await one.takeSyncPush(key)).toBeUndefined();
    expect(await two.takeSyncPush(key)).toBeUndefined();
  });

  test.each([
    ['another branch', { branch: 'dev' }],
    ['another before (someone reset the branch first)', { before: 'c'.repeat(40) }],
    ['another after', { after: 'e'.repeat(40) }],
    ['another repository', { repo: 'acme/other' }],
  ])('GIVEN a recorded push WHEN a push with %s is taken THEN nothing is found and the record stays', async (_what, over) => {
    const s = store();
    await s.recordSyncPush(push);
    expect(await s.takeSyncPush({ ...key, ...over })).toBeUndefined();
    expect(await s.takeSyncPush(key)).toEqual(push);
  });

  test('GIVEN a push with an empty field WHEN recorded THEN it is refused naming the field, and nothing is recorded', async () => {
    const s = store();
    await expect(s.recordSyncPush({ ...push, trunkSha: '' })).rejects.toThrow('syncPush.trunkSha must be a non-empty string (got "")');
    expect(await s.takeSyncPush(key)).toBeUndefined();
  });
});
