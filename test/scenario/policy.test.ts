// Scenario: the gitops/policy/<env> check. A pull request into a uat candidate (release/r1, level error)
// that turns deletion protection off fails with the new violations listed first; waivers the pull
// request writes into its own environment file change nothing; the same waivers on the base branch
// are applied. A pull request into dev (level warning) is neutral with the findings listed.
import { jest } from '@jest/globals';
import { parseDocument } from 'yaml';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

const PLAN_DONE = ['success', 'neutral'];

/** The environment file at `ref`, with `edits` applied (comments kept). */
async function editedEnvironment(ref: string, env: string, edits: [path: string[], value: unknown][]): Promise<string> {
  const text = await world.sandbox.readFile(ref, `environments/${env}.yaml`);
  if (text === undefined) throw new Error(`environments/${env}.yaml is missing at ${ref}`);
  const doc = parseDocument(text);
  for (const [path, value] of edits) doc.setIn(path, value);
  return doc.toString();
}

const unescape = (cell: string) =>
  cell
    .replace(/<\/?code>/g, '')
    .replace(/&#95;/g, '_')
    .trim();

/** The rows of one section of the policy check text as [rule, stack, resource] (the waived table has no severity column). */
function sectionRows(text: string, heading: string): [string, string, string][] {
  const stackColumn = heading === 'Waived' ? 2 : 3;
  const section = text.split('\n\n').find((s) => s.startsWith(`#### ${heading}`));
  if (!section) return [];
  return section
    .split('\n')
    .filter((l) => l.startsWith('| <code>'))
    .map((l) => {
      const cells = l.split('|').map(unescape);
      return [cells[1], cells[stackColumn], cells[stackColumn + 1]];
    });
}

describe('scenario: policy gate of feature/p2 → release/r1 (uat, level error)', () => {
  let pr: { number: number; headSha: string; baseSha: string };
  let newViolations: [string, string, string][];

  test('GIVEN a head that turns off deletion protection for payments in uat WHEN its pull request opens THEN gitops/policy/uat fails listing the new violations first, and the comment carries the policy line', async () => {
    const { sandbox } = world;
    await sandbox.createBranch('release/r1');
    const uat = await editedEnvironment('main', 'uat', [[['systems', 'payments', 'deletionProtection'], false]]);
    await sandbox.commit('feature/p2', { 'environments/uat.yaml': uat }, 'Payments: no deletion protection in uat');
    pr = await sandbox.openPullRequest({ head: 'feature/p2', base: 'release/r1' });
    await world.settle();

    const [plan] = checkRuns(sandbox, 'gitops/plan/uat', pr.headSha);
    expect(PLAN_DONE).toContain(plan.conclusion);
    const policy = checkRuns(sandbox, 'gitops/policy/uat', pr.headSha);
    expect(policy).toHaveLength(1);
    expect(policy[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(policy[0].history.map((h) => h.status)).toEqual(['in_progress', 'completed']);
    expect(policy[0].output.title).toMatch(/^uat: \d+ new policy violations?, 0 existing \(level error\)$/);
    const text = policy[0].output.text ?? '';
    expect(text.startsWith('#### New violations')).toBe(true);
    newViolations = sectionRows(text, 'New violations');
    expect(newViolations).toContainEqual(['CKV_AWS_293', 'payments-uat', expect.stringMatching(/^aws_db_instance\./)]);
    expect(newViolations.every(([, stack]) => stack === 'payments-uat')).toBe(true);
    expect(policy[0].output.summary).toContain('environment files of <code>release/r1</code> (the base)');
    expect(policy[0].output.summary).toMatch(/<code>payments-uat<\/code>, <code>release-uat<\/code>/);

    const [comment] = botComments(sandbox, pr.number);
    expect(comment.body).toMatch(
      new RegExp(
        `❌ policy: 2 stacks, \\d+ checks: \\d+ passed, ${newViolations.length} failed \\(${newViolations.length} errors, 0 warnings\\), 0 waived · \\*\\*${newViolations.length} new\\*\\*`,
      ),
    );
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the pull request waives its own findings in its uat.yaml WHEN pushed THEN the waivers are ignored and the check still fails', async () => {
    const { sandbox } = world;
    const waivers = newViolations.map(([rule, stack, resource]) => ({
      rule,
      resource: `${stack}.${resource}`,
      reason: 'waived by the pull request itself',
    }));
    const uat = await editedEnvironment('feature/p2', 'uat', [[['policy', 'waivers'], waivers]]);
    const pushed = await sandbox.commit('feature/p2', { 'environments/uat.yaml': uat }, 'Waive my own findings');
    await world.settle();

    const [policy] = checkRuns(sandbox, 'gitops/policy/uat', pushed.sha);
    expect(policy).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(policy.output.text).not.toContain('#### Waived');
    expect(policy.output.summary).toContain(', 0 waived');
    expect(sectionRows(policy.output.text ?? '', 'New violations')).toEqual(newViolations);
    pr = { ...pr, headSha: pushed.sha };
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the same waivers committed to the base branch WHEN /plan runs again THEN they are applied, listed, and the check passes', async () => {
    const { sandbox } = world;
    const waivers = newViolations.map(([rule, stack, resource]) => ({
      rule,
      resource: `${stack}.${resource}`,
      reason: 'payments uat is rebuilt nightly',
    }));
    const uat = await editedEnvironment('release/r1', 'uat', [[['policy', 'waivers'], waivers]]);
    const base = await sandbox.commit('release/r1', { 'environments/uat.yaml': uat }, 'Waive deletion protection for payments uat');
    await sandbox.addComment({ pr: pr.number, user: 'developer', body: '/plan' });
    await world.settle();

    const policy = checkRuns(sandbox, 'gitops/policy/uat', pr.headSha).at(-1)!;
    expect(policy).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(policy.output.title).toMatch(new RegExp(`^uat: \\d+ checks passed on 2 stacks, ${newViolations.length} waived$`));
    expect(policy.output.summary).toContain(base.sha.slice(0, 7));
    expect(sectionRows(policy.output.text ?? '', 'Waived')).toEqual(newViolations);
    expect(policy.output.text).toContain('| applied | <code>payments uat is rebuilt nightly</code> |');
    expect(botComments(sandbox, pr.number).find((c) => c.body.includes('<!-- gitops:plan -->'))?.body).toContain(
      `, 0 failed (0 errors, 0 warnings), ${newViolations.length} waived`,
    );
    expect(sandbox.violations).toEqual([]);
  });
});

describe('scenario: policy gate of feature/p1 → dev (level warning)', () => {
  test('GIVEN a head that changes the payments stack of dev WHEN its pull request opens THEN gitops/policy/dev is neutral with the findings listed', async () => {
    const { sandbox } = world;
    const dev = await editedEnvironment('main', 'dev', [[['systems', 'payments', 'logRetentionDays'], 14]]);
    await sandbox.commit('feature/p1', { 'environments/dev.yaml': dev }, 'Payments: two weeks of logs in dev');
    const pr = await sandbox.openPullRequest({ head: 'feature/p1', base: 'dev' });
    await world.settle();

    const [policy] = checkRuns(sandbox, 'gitops/policy/dev', pr.headSha);
    expect(policy).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(policy.output.title).toMatch(/^dev: 0 new policy violations, \d+ existing \(level warning: reported, not enforced\)$/);
    const existing = sectionRows(policy.output.text ?? '', 'Existing violations');
    expect(existing.length).toBeGreaterThan(0);
    expect(existing.every(([, stack]) => stack === 'payments-dev')).toBe(true);
    const [comment] = botComments(sandbox, pr.number);
    // account-dev changes too: its trail keeps logs as long as the environment's longest logRetentionDays
    expect(comment.body).toMatch(
      /⚠️ policy: 3 stacks, \d+ checks: \d+ passed, \d+ failed \(0 errors, \d+ warnings\), 0 waived · \[?<code>gitops\/policy\/dev<\/code>/,
    );
    expect(sandbox.violations).toEqual([]);
  });
});
