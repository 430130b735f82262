// Scenario: merges apply. A merged pull request's push re-plans the merged commit with real terraform
// on the `release-<env>` stack, compares it with the plan reviewed on the pull request and applies
// exactly that saved plan under the environment's lock, with a gitops/apply check and a GitHub
// deployment. Redeliveries apply nothing twice; two merges apply one after the other; a plan that
// differs from the reviewed one applies nothing.
import { jest } from '@jest/globals';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/sandbox.js';
import { botComments, checkRuns, deployedCommit as deployedCommitIn, releaseStatePath, startWorld, type World } from './harness.js';

jest.setTimeout(600_000);

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

const statePath = (env: string) => releaseStatePath(world.workDir, env);
const deployedCommit = (env: string) => deployedCommitIn(world.workDir, env);
const deploymentsOf = (sandbox: Sandbox, env: string, sha?: string) =>
  sandbox.state.deployments.filter((d) => d.environment === env && (sha === undefined || d.sha === sha));
const states = (d: { statuses: { state: string }[] }) => d.statuses.map((s) => s.state);

/** Opens a pull request from a new branch with one changed file and waits for its plan. */
async function planned(branch: string, base: string, file: string, text: string) {
  await world.sandbox.commit(branch, { [file]: text }, `Change ${file} on ${branch}`);
  const pr = await world.sandbox.openPullRequest({ head: branch, base });
  await world.settle();
  return pr;
}

async function applyRuns(env: string) {
  return (await world.server.runtime.store.listRuns({ environment: env, kind: 'apply' })).reverse();
}

describe('scenario: merges apply their environment', () => {
  let firstMerge: string;

  test('GIVEN feature/a planned into dev WHEN merged THEN dev is applied: the deployment succeeds with the check as its log, release-dev records the merge commit, the run is kept and the lock is free', async () => {
    const { sandbox, server } = world;
    const pr = await planned('feature/a', 'dev', 'environments/README.md', 'feature a\n');
    expect(await server.runtime.store.latestPlan('acme/infra', pr.number, 'dev')).toMatchObject({ status: 'planned' });

    const { sha } = await sandbox.merge(pr.number);
    firstMerge = sha;
    await world.settle();

    const [deployment] = deploymentsOf(sandbox, 'dev', sha);
    expect(states(deployment)).toEqual(['queued', 'in_progress', 'success']);
    expect(deployment.productionEnvironment).toBe(false);
    const [check] = checkRuns(sandbox, 'gitops/apply/dev', sha);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check.output.title).toBe('Applied 1 stack to dev');
    expect(deployment.statuses.at(-1)?.logUrl).toMatch(new RegExp(`/runs/${check.id}$`));
    expect(deployedCommit('dev')).toBe(sha);
    const runs = await applyRuns('dev');
    expect(runs.map((r) => [r.stack, r.sha, r.status])).toEqual([['release-dev', sha, 'succeeded']]);
    expect(runs[0].logTail).toContain('Apply complete!');
    expect(await server.runtime.store.listLocks()).toEqual([]);
    // the sticky comment shows the deployment and the lock queue
    expect(botComments(sandbox, pr.number)[0].body).toContain('Deployment to <code>dev</code>');
    // saved plans hold secrets: none is left once the job has ended
    const jobs = join(world.workDir, 'terraform', 'jobs', 'release-dev');
    expect(existsSync(jobs) ? readdirSync(jobs) : []).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the push already applied WHEN GitHub redelivers it THEN it is acknowledged and nothing is applied twice', async () => {
    const { sandbox } = world;
    const push = sandbox.deliveries.find((d) => d.event === 'push' && (d.payload as { after?: string }).after === firstMerge);
    const again = await sandbox.redeliver(push!.id);
    await world.settle();
    expect(again.status).toBe(200);
    expect(deploymentsOf(sandbox, 'dev', firstMerge)).toHaveLength(1);
    expect(checkRuns(sandbox, 'gitops/apply/dev', firstMerge)).toHaveLength(1);
    expect(await applyRuns('dev')).toHaveLength(1);
  });

  test('GIVEN two pull requests planned into dev WHEN merged at once THEN they apply one after the other, in merge order', async () => {
    const { sandbox } = world;
    const b = await planned('feature/b', 'dev', 'environments/b.md', 'feature b\n');
    const c = await planned('feature/c', 'dev', 'environments/c.md', 'feature c\n');
    const mergedB = await sandbox.merge(b.number);
    const mergedC = await sandbox.merge(c.number);
    await world.settle();

    // the later success makes the earlier deployment inactive, as GitHub does
    expect(states(deploymentsOf(sandbox, 'dev', mergedB.sha)[0])).toEqual(['queued', 'in_progress', 'success', 'inactive']);
    expect(states(deploymentsOf(sandbox, 'dev', mergedC.sha)[0])).toEqual(['queued', 'in_progress', 'success']);
    const runs = (await applyRuns('dev')).slice(1);
    expect(runs.map((r) => [r.sha, r.status])).toEqual([
      [mergedB.sha, 'succeeded'],
      [mergedC.sha, 'succeeded'],
    ]);
    // the second started only after the first had finished: one apply per environment at a time
    expect(runs[1].startedAt >= runs[0].finishedAt!).toBe(true);
    expect(deployedCommit('dev')).toBe(mergedC.sha);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN release/r1 planned into uat WHEN merged THEN uat is applied and release-uat records the merge commit', async () => {
    const { sandbox } = world;
    const pr = await planned('release/r1', 'uat', 'environments/README.md', 'release r1\n');
    const { sha } = await sandbox.merge(pr.number);
    await world.settle();
    expect(states(deploymentsOf(sandbox, 'uat', sha)[0])).toEqual(['queued', 'in_progress', 'success']);
    expect(checkRuns(sandbox, 'gitops/apply/uat', sha)[0]).toMatchObject({ conclusion: 'success' });
    expect(deployedCommit('uat')).toBe(sha);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a planned pull request whose environment changed before the merge WHEN merged THEN nothing is applied: the deployment fails and the pull request gets the difference', async () => {
    const { sandbox } = world;
    const pr = await planned('feature/d', 'dev', 'environments/d.md', 'feature d\n');
    const before = deployedCommit('dev');
    // someone removed release-dev's state since the review: the merged commit now plans a create, not an update
    const kept = `${statePath('dev')}.kept`;
    copyFileSync(statePath('dev'), kept);
    rmSync(statePath('dev'));
    try {
      const { sha } = await sandbox.merge(pr.number);
      await world.settle();
      const [deployment] = deploymentsOf(sandbox, 'dev', sha);
      expect(states(deployment)).toEqual(['queued', 'in_progress', 'failure']);
      expect(deployment.statuses.at(-1)?.description).toContain('differs from the reviewed plan in release-dev');
      expect(checkRuns(sandbox, 'gitops/apply/dev', sha)[0]).toMatchObject({ conclusion: 'failure' });
      expect((await applyRuns('dev')).filter((r) => r.sha === sha)).toEqual([]);
      expect(existsSync(statePath('dev'))).toBe(false);
      const comment = botComments(sandbox, pr.number).find((c) => c.body.startsWith('Nothing was applied'));
      expect(comment?.body).toContain('differs from the plan reviewed on this pull request');
      expect(comment?.body).toMatch(/^- update terraform_data/m);
      expect(comment?.body).toMatch(/^\+ create terraform_data/m);
      expect(comment?.body).toContain('`/apply`');
      expect(await world.server.runtime.store.listLocks()).toEqual([]);
    } finally {
      copyFileSync(kept, statePath('dev'));
    }
    expect(deployedCommit('dev')).toBe(before);
    expect(sandbox.violations).toEqual([]);
  });
});
