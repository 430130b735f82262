import { FakeGitHub, pullRequest, sessionOf } from '../../test/doubles/fake-github.js';
import { FakeSyncRequests } from '../../test/doubles/fake-sync-requests.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { afterApplySteps, backSyncAfterApply } from './after-apply.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import type { BackSync, BackSyncOptions, BackSyncReport } from './ports/back-sync.js';

const MAIN = 'a'.repeat(40);
const CLONE = 'https://github.example/acme/infra.git';

/** The shipped environment files at MAIN, a back-sync that reports `report`, and what it was asked. */
async function world(report: BackSyncReport) {
  const github = new FakeGitHub().withProjectEnvironments(MAIN);
  const calls: BackSyncOptions[] = [];
  const backSync: BackSync = async (opts) => {
    calls.push(opts);
    return report;
  };
  const session = { ...sessionOf(github), syncRequests: new FakeSyncRequests() };
  const loaded = await loadEnvironmentsAt(github, MAIN);
  if (!loaded.ok) throw new Error(loaded.text);
  const env = (name: string) => loaded.environments.find((e) => e.name === name)!;
  return { github, calls, backSync, session, env };
}

const synced: BackSyncReport = {
  trunk: 'main',
  trunkSha: MAIN,
  dryRun: false,
  branches: [
    { branch: 'uat', outcome: 'synced', before: 'b'.repeat(40), after: 'd'.repeat(40), conflicts: [], message: 'uat synced' },
    {
      branch: 'dev',
      outcome: 'conflict',
      before: 'c'.repeat(40),
      after: 'c'.repeat(40),
      conflicts: ['modules/x.ts'],
      message: 'dev conflict',
    },
  ],
};

describe('backSyncAfterApply', () => {
  test('GIVEN prod (main) applied WHEN the hook runs THEN uat and dev are rebased onto main from the clone URL with the token, and dev, left untouched, gets its sync pull request', async () => {
    const { calls, backSync, session, env } = await world(synced);
    await backSyncAfterApply(backSync)(session, env('prod'), MAIN, CLONE);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ repo: CLONE, trunk: 'main', authToken: 'ghs_installation' });
    expect(calls[0].branches).toEqual(expect.arrayContaining(['uat', 'dev']));
    expect(session.syncRequests.pulls.map((p) => p.base)).toEqual(['dev']);
    expect(session.logs.some((l) => l.includes('back-sync after apply') && l.includes('dev: conflict'))).toBe(true);
  });

  test('GIVEN dev applied (nothing is rebased onto dev) WHEN the hook runs THEN back-sync does not run', async () => {
    const { calls, backSync, session, env } = await world(synced);
    await backSyncAfterApply(backSync)(session, env('dev'), MAIN, CLONE);
    expect(calls).toEqual([]);
  });

  test('GIVEN a session that cannot open pull requests WHEN prod is applied THEN back-sync is skipped with a warning', async () => {
    const { calls, backSync, session, env } = await world(synced);
    await backSyncAfterApply(backSync)({ ...session, syncRequests: undefined }, env('prod'), MAIN, CLONE);
    expect(calls).toEqual([]);
    expect(session.logs.some((l) => l.startsWith('warn back-sync skipped'))).toBe(true);
  });
});

describe('afterApplySteps', () => {
  test('GIVEN prod (main) applied WHEN the steps run THEN back-sync gets a recordPush that records each push in the store as the controller’s own', async () => {
    const { calls, backSync, session, env } = await world(synced);
    const store = new SqliteStore(':memory:');
    await afterApplySteps({ backSync, store })(session, env('prod'), MAIN, CLONE);
    expect(calls).toHaveLength(1);
    const push = { branch: 'uat', before: 'b'.repeat(40), after: 'd'.repeat(40) };
    await calls[0].recordPush?.({ ...push, trunkSha: MAIN });
    expect(await store.takeSyncPush({ repo: 'acme/infra', ...push })).toEqual({
      repo: 'acme/infra',
      ...push,
      trunk: 'main',
      trunkSha: MAIN,
    });
    store.close();
  });

  test('GIVEN uat applied and release/r1 → main open WHEN the steps run THEN its gitops/approvals/prod check is written again and nothing is rebased', async () => {
    const { github, calls, backSync, session, env } = await world(synced);
    github.withProjectEnvironments(pullRequest().baseSha);
    github.open(pullRequest({ headRef: 'release/r1', baseRef: 'main' }));
    const store = new SqliteStore(':memory:');
    await afterApplySteps({ backSync, store })(session, env('uat'), MAIN, CLONE);
    expect(github.writes).toEqual(['createCheckRun gitops/approvals/prod completed failure']);
    expect(calls).toEqual([]);
    expect(session.logs.some((l) => l.startsWith('info promotion gates refreshed') && l.includes('"pullRequests":[7]'))).toBe(true);
    store.close();
  });

  test('GIVEN GitHub cannot list pull requests WHEN prod’s steps run THEN the failure is logged and back-sync still runs', async () => {
    const { github, calls, backSync, session, env } = await world(synced);
    github.listOpenPullRequests = async () => {
      throw new Error('GitHub 502');
    };
    const store = new SqliteStore(':memory:');
    // nothing requires prod: make uat's file require it, so that the listing is asked for
    github.withProjectEnvironments(MAIN, (file, text) =>
      file === 'uat.yaml' ? text.replace('release:', 'release:\n  requires: prod') : text,
    );
    await afterApplySteps({ backSync, store })(session, env('prod'), MAIN, CLONE);
    expect(session.logs.some((l) => l.startsWith('error promotion gates not refreshed') && l.includes('GitHub 502'))).toBe(true);
    expect(calls).toHaveLength(1);
    store.close();
  });
});
