// Scenario: pull requests that break the branching model fail gitops/branch-policy with a text that
// says which pairs are allowed, and are never planned.
import { jest } from '@jest/globals';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

describe('scenario: branch policy', () => {
  test('GIVEN feature/y WHEN its pull request targets main THEN branch-policy fails listing the allowed pairs and nothing is planned or commented', async () => {
    const { sandbox } = world;
    await sandbox.commit('feature/y', { 'environments/README.md': 'feature y\n' }, 'Feature y');
    const pr = await sandbox.openPullRequest({ head: 'feature/y', base: 'main' });
    await world.settle();

    const policy = checkRuns(sandbox, 'gitops/branch-policy', pr.headSha);
    expect(policy).toHaveLength(1);
    expect(policy[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(policy[0].output.title).toBe('feature/y → main is not allowed');
    expect(policy[0].output.summary).toContain('main (environment prod) accepts release/*, hotfix/* only');
    for (const pair of ['feature/* → dev', 'release/* → uat', 'release/* → main', 'hotfix/* → main', 'feature/* → release/*']) {
      expect(policy[0].output.text).toContain(`\`${pair}\``);
    }
    expect(sandbox.state.checkRuns.filter((c) => c.name.startsWith('gitops/plan/'))).toEqual([]);
    expect(botComments(sandbox, pr.number)).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN release/r2 carrying a commit that is only on dev WHEN its pull request targets uat THEN branch-policy fails naming the commit', async () => {
    const { sandbox } = world;
    const onDev = await sandbox.commit('dev', { 'environments/DEV-ONLY.md': 'untested\n' }, 'Straight to dev');
    await sandbox.commit('release/r2', { 'environments/RELEASE.md': 'r2\n' }, 'Release r2', { from: 'dev' });
    const pr = await sandbox.openPullRequest({ head: 'release/r2', base: 'uat' });
    await world.settle();

    const [policy] = checkRuns(sandbox, 'gitops/branch-policy', pr.headSha);
    expect(policy).toMatchObject({ conclusion: 'failure' });
    expect(policy.output.title).toBe('release/r2 is not based on main');
    expect(policy.output.summary).toContain(onDev.sha.slice(0, 7));
    expect(checkRuns(sandbox, 'gitops/plan/uat', pr.headSha)).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });
});
