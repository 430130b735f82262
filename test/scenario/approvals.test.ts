// Scenario: approvals count only from people with write permission, on the current head.
import { jest } from '@jest/globals';
import { checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { rita: 'read', wanda: 'write' } });
});
afterAll(() => world?.close());

describe('scenario: approvals of release/r1 → uat (1 approval required)', () => {
  let pr: { number: number; headSha: string };

  test('GIVEN the pull request opens WHEN nobody has approved THEN gitops/approvals/uat fails with 0 of 1', async () => {
    const { sandbox } = world;
    await sandbox.commit('release/r1', { 'environments/RELEASE.md': 'r1\n' }, 'Release r1');
    pr = await sandbox.openPullRequest({ head: 'release/r1', base: 'uat' });
    await world.settle();
    const approvals = checkRuns(sandbox, 'gitops/approvals/uat', pr.headSha);
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(approvals[0].output.summary).toContain('0 of 1 required approval');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a read-only user approves WHEN the review arrives THEN the approval is not counted', async () => {
    const { sandbox } = world;
    await sandbox.submitReview({ pr: pr.number, user: 'rita', state: 'approved' });
    await world.settle();
    const latest = checkRuns(sandbox, 'gitops/approvals/uat', pr.headSha).at(-1)!;
    expect(latest.conclusion).toBe('failure');
    expect(latest.output.text).toContain('`rita`: has read permission (write, maintain or admin needed)');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer approves WHEN the review arrives THEN the check passes naming them', async () => {
    const { sandbox } = world;
    await sandbox.submitReview({ pr: pr.number, user: 'wanda', state: 'approved' });
    await world.settle();
    const latest = checkRuns(sandbox, 'gitops/approvals/uat', pr.headSha).at(-1)!;
    expect(latest.conclusion).toBe('success');
    expect(latest.output.text).toContain('Counted: `wanda`');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN an approved pull request WHEN a new commit is pushed THEN the approval no longer counts on the new head', async () => {
    const { sandbox } = world;
    const pushed = await sandbox.commit('release/r1', { 'environments/RELEASE.md': 'r1, fixed\n' }, 'Fix r1');
    await world.settle();
    const latest = checkRuns(sandbox, 'gitops/approvals/uat', pushed.sha).at(-1)!;
    expect(latest.conclusion).toBe('failure');
    expect(latest.output.text).toContain('`wanda`: approved an older commit');
    expect(sandbox.violations).toEqual([]);
  });
});
