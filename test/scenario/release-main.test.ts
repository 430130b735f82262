// Scenario: one release all the way to production. release/r is merged into uat (applied by the
// controller), release/r → main is blocked until uat has deployed its tree and a writer approved, then
// merged: prod is applied, uat is rebased onto main, and dev, which holds a commit that conflicts with
// the release, is left untouched with one sync pull request that brings main in.
import { jest } from '@jest/globals';
import type { Sandbox } from '../sandbox/sandbox.js';
import { checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(600_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { wanda: 'write' } });
});
afterAll(() => world?.close());

const FILE = 'environments/README.md';
const deploymentsOf = (sandbox: Sandbox, env: string, sha: string) =>
  sandbox.state.deployments.filter((d) => d.environment === env && d.sha === sha);
const lastState = (d: { statuses: { state: string }[] }) => d.statuses.at(-1)?.state;
const approvalsCheck = (sha: string) => checkRuns(world.sandbox, 'gitops/approvals/prod', sha).at(-1)!;

describe('scenario: release/r from uat to prod, then back-sync', () => {
  let release: { number: number; headSha: string };
  let devBefore: string;

  test('GIVEN dev holds its own change of a file WHEN release/r (changing the same file) is merged into uat THEN uat is applied', async () => {
    const { sandbox } = world;
    await sandbox.commit('dev', { [FILE]: 'a change only dev has\n' }, 'Dev-only change');
    await sandbox.commit('release/r', { [FILE]: 'release r\n' }, 'Release r');
    const intoUat = await sandbox.openPullRequest({ head: 'release/r', base: 'uat' });
    await world.settle();
    const { sha } = await sandbox.merge(intoUat.number);
    await world.settle();
    expect(deploymentsOf(sandbox, 'uat', sha).map(lastState)).toEqual(['success']);
    devBefore = (await sandbox.branchSha('dev'))!;
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN uat deployed the release’s tree WHEN release/r → main opens THEN gitops/approvals/prod is blocked on the approval alone', async () => {
    const { sandbox } = world;
    release = await sandbox.openPullRequest({ head: 'release/r', base: 'main' });
    await world.settle();
    const check = approvalsCheck(release.headSha);
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('Blocked (prod): ✓ deployed to uat · ✗ approvals · ✓ plan current');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer approves WHEN the review arrives THEN every gate holds', async () => {
    await world.sandbox.submitReview({ pr: release.number, user: 'wanda', state: 'approved' });
    await world.settle();
    const check = approvalsCheck(release.headSha);
    expect(check.conclusion).toBe('success');
    expect(check.output.title).toBe('Ready to promote (prod): ✓ deployed to uat · ✓ approvals · ✓ plan current');
  });

  test('GIVEN the promotion WHEN merged into main THEN prod is applied, uat is rebased onto main, and dev is untouched with one sync pull request listing the conflict', async () => {
    const { sandbox } = world;
    const { sha } = await sandbox.merge(release.number);
    await world.settle();

    const [prod] = deploymentsOf(sandbox, 'prod', sha);
    expect(prod.productionEnvironment).toBe(true);
    expect(lastState(prod)).toBe('success');
    expect(checkRuns(sandbox, 'gitops/apply/prod', sha)[0]).toMatchObject({ conclusion: 'success' });

    // uat held only the release (and its merge): rebased, it is main itself
    expect(await sandbox.branchSha('uat')).toBe(sha);
    expect(await sandbox.readFile('uat', FILE)).toBe('release r\n');
    // dev's own change conflicts with the release: nothing was pushed to dev
    expect(await sandbox.branchSha('dev')).toBe(devBefore);
    const sync = sandbox.state.pulls.filter((p) => p.baseRef === 'dev' && p.headRef === 'sync/dev');
    expect(sync).toHaveLength(1);
    expect(sync[0].labels).toContain('sync-conflict');
    expect(sync[0].body).toContain(FILE);
    expect(await sandbox.branchSha('sync/dev')).toBe(sha);
    expect(sandbox.violations).toEqual([]);
  });
});
