import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
const open: SqliteStore[] = [];
let clock = Date.parse('2025-06-01T12:00:00Z');
/** A store on one shared file, speaking for controller process `controllerId`. */
function store(controllerId?: string): SqliteStore {
  const s = new SqliteStore(join(dir, 'gitops.sqlite'), { now: () => new Date(clock), controllerId });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-store-'));
  clock = Date.parse('2025-06-01T12:00:00Z');
});
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteApplies', () => {
  const sha = 'b'.repeat(40);
  test('GIVEN an apply WHEN linked and finished THEN it reads back; an unfinished one of another process is abandoned', async () => {
    const s = store('ctl-1');
    const id = await s.saveApply({
      repo: 'acme/infra',
      environment: 'dev',
      sha,
      baseSha: 'c'.repeat(40),
      pr: 4,
      installationId: 1,
      cloneUrl: 'http://x/a.git',
    });
    await s.linkApply(id, { checkRunId: 11 });
    await s.linkApply(id, { deploymentId: 12, lockId: 13 });
    await s.updateApply(id, { status: 'running' });
    expect(await s.getApply(id)).toMatchObject({ status: 'running', checkRunId: 11, deploymentId: 12, lockId: 13, pr: 4, reason: null });
    expect(await s.abandonedApplies()).toEqual([]);
    expect((await store('ctl-2').abandonedApplies()).map((a) => a.id)).toEqual([id]);
    await s.updateApply(id, { status: 'succeeded' });
    expect((await s.succeededApplies('acme/infra', 'dev')).map((a) => a.sha)).toEqual([sha]);
    expect(await store('ctl-2').abandonedApplies()).toEqual([]);
  });

  test('GIVEN applies of two repositories and environments WHEN the deployed and recent ones are read THEN the newest succeeded one of each pair comes, and every apply newest first', async () => {
    const s = store();
    const apply = async (repo: string, environment: string, sha: string, status: 'succeeded' | 'failed') => {
      const id = await s.saveApply({ repo, environment, sha, baseSha: 'c'.repeat(40) });
      await s.updateApply(id, { status });
      return id;
    };
    await apply('acme/infra', 'dev', 'd1', 'succeeded');
    await apply('acme/infra', 'dev', 'd2', 'succeeded');
    await apply('acme/infra', 'dev', 'd3', 'failed');
    await apply('acme/infra', 'uat', 'u1', 'succeeded');
    await apply('acme/apps', 'dev', 'a1', 'succeeded');
    await apply('acme/infra', 'prod', 'p1', 'failed');
    expect((await s.deployedApplies()).map((a) => [a.repo, a.environment, a.sha])).toEqual([
      ['acme/apps', 'dev', 'a1'],
      ['acme/infra', 'dev', 'd2'],
      ['acme/infra', 'uat', 'u1'],
    ]);
    expect((await s.recentApplies(3)).map((a) => a.sha)).toEqual(['p1', 'a1', 'u1']);
    await expect(s.recentApplies(0)).rejects.toThrow('recentApplies limit must be a positive integer (got 0)');
  });

  test.each<[() => Promise<unknown>, string]>([
    [() => store().saveApply({ repo: 'r', environment: 'dev', sha: '', baseSha: 'b' }), 'apply.sha must be a non-empty string (got "")'],
    [
      () => store().updateApply(1, { status: 'done' as never }),
      'apply.status must be one of queued, running, succeeded, failed, differs, skipped (got "done")',
    ],
    [() => store().updateApply(999, { status: 'failed' }), 'updateApply: no apply with id 999'],
    [() => store().linkApply(999, { lockId: 1 }), 'linkApply: no apply with id 999'],
  ])('GIVEN bad apply input #%# WHEN stored THEN it throws naming the field', async (act, message) => {
    await expect(act()).rejects.toThrow(message);
  });
});
