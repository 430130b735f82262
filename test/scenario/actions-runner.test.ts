// Scenario: the actions runner (GITOPS_RUNNER=actions). The controller runs no terraform: it
// dispatches plan-apply.yml on the environment's branch and waits for the run's workflow_run event.
// The sandbox GitHub records each dispatch and this test plays GitHub Actions: it completes each run
// with a conclusion and the artifact plan-apply.yml would upload. A merge into dev is planned by one
// run and applied by another; the deployment and the check follow the apply run's conclusion.
import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanSummary } from '../../controller/core/ports/plan-report.js';
import type { WorkflowRunRecord } from '../sandbox/sandbox.js';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(600_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ env: { GITOPS_RUNNER: 'actions' } });
});
afterAll(() => world?.close());

/** What `gitops plan --summary-json` writes for release-dev at `sha`: its terraform_data records the commit. */
const releasePlan = (sha: string): PlanSummary => ({
  stack: 'release-dev',
  counts: { add: 0, change: 1, replace: 0, destroy: 0, noop: 0, read: 0 },
  hasChanges: true,
  resources: [
    {
      address: 'terraform_data.record_release_F658472A',
      type: 'terraform_data',
      name: 'record_release_F658472A',
      action: 'update',
      attributes: [{ path: 'input.commit_sha', before: '0'.repeat(40), after: sha, sensitive: false, unknownAfter: false }],
    },
  ],
  outputs: [],
});

/** The queued run of `mode` at `sha`, once the controller has dispatched it. */
async function dispatched(mode: 'plan' | 'apply', sha: string): Promise<WorkflowRunRecord> {
  for (const started = Date.now(); Date.now() - started < 300_000; await new Promise((r) => setTimeout(r, 100))) {
    const run = world.sandbox.workflowRuns.find((r) => r.status === 'queued' && r.inputs.mode === mode && r.inputs.sha === sha);
    if (run) return run;
  }
  throw new Error(`no ${mode} run of ${sha} was dispatched within 300 s`);
}

/** Completes `run` as plan-apply.yml would: the plan (text and plan.json) or the apply's output as its artifact. */
async function finish(run: WorkflowRunRecord, conclusion: 'success' | 'failure'): Promise<void> {
  const { env, stack, sha, mode } = run.inputs as Record<string, string>;
  const files: Record<string, string> =
    mode === 'plan'
      ? { 'plan.txt': `${stack}: 0 to add, 1 to change\n`, 'plan.json': JSON.stringify(releasePlan(sha!)) }
      : { 'apply.txt': conclusion === 'success' ? `${stack}: applied\n` : `Error: ${stack}: AccessDenied\n` };
  await world.sandbox.completeWorkflowRun(run.id, { conclusion, artifacts: { [`${mode}-${env}-${stack}-${sha}`]: files } });
}

/** Opens a pull request into dev and lets its plan run succeed. */
async function planned(branch: string) {
  await world.sandbox.commit(branch, { [`environments/${branch.replace('/', '-')}.md`]: `${branch}\n` }, `Change on ${branch}`);
  const pr = await world.sandbox.openPullRequest({ head: branch, base: 'dev' });
  await finish(await dispatched('plan', pr.headSha), 'success');
  await world.settle();
  return pr;
}

const deploymentOf = (sha: string) => world.sandbox.state.deployments.find((d) => d.environment === 'dev' && d.sha === sha)!;
const applyRuns = async (sha: string) =>
  (await world.server.runtime.store.listRuns({ environment: 'dev', kind: 'apply' })).filter((r) => r.sha === sha);

describe('scenario: the actions runner plans and applies through plan-apply.yml runs', () => {
  test("GIVEN a pull request into dev WHEN it is planned THEN plan-apply.yml is dispatched on dev for release-dev at the head, and the run's plan is the check and the comment", async () => {
    const pr = await planned('feature/a');
    const [run] = world.sandbox.workflowRuns;
    expect(run).toMatchObject({
      path: '.github/workflows/plan-apply.yml',
      headBranch: 'dev',
      inputs: { env: 'dev', stack: 'release-dev', sha: pr.headSha, mode: 'plan' },
      displayTitle: `gitops plan release-dev in dev @ ${pr.headSha}`,
      actor: world.sandbox.botLogin,
    });
    expect(checkRuns(world.sandbox, 'gitops/plan/dev', pr.headSha).at(-1)).toMatchObject({ status: 'completed', conclusion: 'success' });
    const comment = botComments(world.sandbox, pr.number)[0]!.body;
    expect(comment).toContain('terraform_data.record_release_F658472A');
    expect(comment).not.toContain('synth diff (plan unavailable)');
  });

  test('GIVEN that pull request WHEN merged THEN a plan run of the merge commit is compared, an apply run applies it, and its success completes the deployment and the check', async () => {
    const { sandbox } = world;
    const pr = sandbox.state.pulls.find((p) => p.headRef === 'feature/a')!;
    const { sha } = await sandbox.merge(pr.number);
    await finish(await dispatched('plan', sha), 'success');
    const apply = await dispatched('apply', sha);
    expect(apply).toMatchObject({ headBranch: 'dev', inputs: { env: 'dev', stack: 'release-dev', sha, mode: 'apply' } });
    expect(deploymentOf(sha).statuses.map((s) => s.state)).toEqual(['queued', 'in_progress']);
    await finish(apply, 'success');
    await world.settle();

    expect(deploymentOf(sha).statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success']);
    expect(checkRuns(sandbox, 'gitops/apply/dev', sha)[0]).toMatchObject({ status: 'completed', conclusion: 'success' });
    const [run] = await applyRuns(sha);
    expect(run).toMatchObject({ stack: 'release-dev', status: 'succeeded' });
    expect(run!.logTail).toContain(`${sandbox.url}/acme/infra/actions/runs/${apply.id} ended success`);
    expect(run!.logTail).toContain('release-dev: applied');
    // terraform ran on GitHub's runner, not here
    expect(existsSync(join(world.workDir, 'terraform'))).toBe(false);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN another pull request planned into dev WHEN merged and its apply run fails THEN the deployment and the check fail naming the run', async () => {
    const { sandbox } = world;
    const pr = await planned('feature/b');
    const { sha } = await sandbox.merge(pr.number);
    await finish(await dispatched('plan', sha), 'success');
    const apply = await dispatched('apply', sha);
    await finish(apply, 'failure');
    await world.settle();

    const reason = `workflow run ${sandbox.url}/acme/infra/actions/runs/${apply.id} ended failure`;
    expect(deploymentOf(sha).statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'failure']);
    expect(deploymentOf(sha).statuses.at(-1)?.description).toContain('release-dev');
    expect(checkRuns(sandbox, 'gitops/apply/dev', sha)[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    const [run] = await applyRuns(sha);
    expect(run).toMatchObject({ stack: 'release-dev', status: 'failed' });
    expect(run!.logTail).toContain(reason);
    expect(run!.logTail).toContain('Error: release-dev: AccessDenied');
    expect(await world.server.runtime.store.listLocks()).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });
});
