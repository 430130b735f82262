// Scenario: release/r1 → main (prod requires uat) is blocked until uat has deployed the head's tree, a writer
// approved and the plan of prod is current; the gitops/approvals/prod check says which gate is missing.
// The uat deployment is made here through the controller's own deployments adapter, as an apply would.
import { jest } from '@jest/globals';
import { Octokit } from '@octokit/rest';
import { OctokitDeployments } from '../../controller/github/deployments.js';
import { checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { wanda: 'write', rita: 'read' } });
});
afterAll(() => world?.close());

const latestCheck = (headSha: string) => checkRuns(world.sandbox, 'gitops/approvals/prod', headSha).at(-1)!;

describe('scenario: promotion gates of release/r1 → main', () => {
  let pr: { number: number; headSha: string };
  let deploymentId: number;
  const uat = () =>
    new OctokitDeployments(
      new Octokit({ baseUrl: world.sandbox.apiUrl, auth: world.sandbox.issueToken(), request: { retries: 0 } }),
      'acme',
      'infra',
    );
  /** A review that changes no approval: the event after which the check is evaluated again. */
  const anotherReview = async () => {
    await world.sandbox.submitReview({ pr: pr.number, user: 'rita', state: 'commented', body: 'looking' });
    await world.settle();
  };

  test('GIVEN the pull request opens WHEN nothing is deployed to uat nor approved THEN gitops/approvals/prod fails naming both, with the plan current once it finished', async () => {
    const { sandbox } = world;
    await sandbox.commit('release/r1', { 'environments/RELEASE.md': 'r1\n' }, 'Release r1');
    pr = await sandbox.openPullRequest({ head: 'release/r1', base: 'main' });
    await world.settle();

    const plan = checkRuns(sandbox, 'gitops/plan/prod', pr.headSha);
    expect(plan.at(-1)).toMatchObject({ status: 'completed' });
    expect(['success', 'neutral']).toContain(plan.at(-1)?.conclusion);
    const checks = checkRuns(sandbox, 'gitops/approvals/prod', pr.headSha);
    expect(checks).toHaveLength(2); // when the pull request opened, and again once its plan finished
    expect(checks[0].output.summary).toContain('✗ **plan current**');
    const latest = checks[1];
    expect(latest).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(latest.output.title).toBe('Blocked (prod): ✗ deployed to uat · ✗ approvals · ✓ plan current');
    expect(latest.output.summary).toMatch(
      /✗ \*\*deployed to uat\*\*: uat has no successful deployment of tree <code>[0-9a-f]{7}<\/code> \(head /,
    );
    expect(latest.output.summary).toContain('merge the release into uat first');
    expect(latest.output.summary).toContain('(0 of 1)');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer approves WHEN the review arrives THEN only the uat deployment is missing', async () => {
    await world.sandbox.submitReview({ pr: pr.number, user: 'wanda', state: 'approved' });
    await world.settle();
    const latest = latestCheck(pr.headSha);
    expect(latest.conclusion).toBe('failure');
    expect(latest.output.title).toBe('Blocked (prod): ✗ deployed to uat · ✓ approvals · ✓ plan current');
    expect(world.sandbox.violations).toEqual([]);
  });

  test('GIVEN uat holds the same files in another commit and its deployment is still in progress WHEN the check is evaluated again THEN it stays blocked', async () => {
    const { sandbox } = world;
    const uatCommit = await sandbox.commit('uat', { 'environments/RELEASE.md': 'r1\n' }, 'Release r1 into uat');
    expect(uatCommit.sha).not.toBe(pr.headSha);
    deploymentId = await uat().createDeployment({ sha: uatCommit.sha, environment: 'uat', description: 'apply uat', production: false });
    await uat().setDeploymentStatus(deploymentId, { state: 'in_progress', description: 'applying' });
    await anotherReview();
    expect(latestCheck(pr.headSha).output.title).toBe('Blocked (prod): ✗ deployed to uat · ✓ approvals · ✓ plan current');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the uat deployment succeeded WHEN the check is evaluated again THEN every gate holds and the check passes', async () => {
    const { sandbox } = world;
    await uat().setDeploymentStatus(deploymentId, { state: 'success', description: 'applied' });
    await anotherReview();
    const latest = latestCheck(pr.headSha);
    expect(latest.conclusion).toBe('success');
    expect(latest.output.title).toBe('Ready to promote (prod): ✓ deployed to uat · ✓ approvals · ✓ plan current');
    expect(latest.output.summary).toMatch(/✓ \*\*deployed to uat\*\*: uat deployed tree <code>[0-9a-f]{7}<\/code> successfully/);
    expect(sandbox.violations).toEqual([]);
  });
});
