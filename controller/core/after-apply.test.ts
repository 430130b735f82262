import { FakeGitHub, sessionOf } from '../../test/doubles/fake-github.js';
import { FakeSyncRequests } from '../../test/doubles/fake-sync-requests.js';
import { backSyncAfterApply } from './after-apply.js';
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
