import { readFileSync } from 'node:fs';
import type { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import { readZipEntry } from '../../controller/actions/zip.js';
import type { Sandbox } from './sandbox.js';
import { owner, payloads, repo, SECRET, startTestSandbox, stopTestSandbox, type Receiver } from './test-sandbox.js';

const SHA = 'e'.repeat(40);
const INPUTS = { env: 'dev', stack: 'ingest-dev', sha: SHA, mode: 'plan' };

describe('sandbox GitHub Actions', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  let octokit: Octokit;
  const dispatch = (ref: string, inputs: Record<string, string>, workflow_id = 'plan-apply.yml') =>
    octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id, ref, inputs });

  beforeAll(async () => {
    ({ sandbox, receiver, octokit } = await startTestSandbox());
    await sandbox.commit('dev', { '.github/workflows/plan-apply.yml': readFileSync('.github/workflows/plan-apply.yml', 'utf8') });
  });
  afterAll(stopTestSandbox);

  test("GIVEN plan-apply.yml on dev WHEN dispatched there THEN a queued run of dev's tip is recorded, titled by the workflow's run-name", async () => {
    const { status } = await dispatch('dev', INPUTS);
    expect(status).toBe(204);
    expect(sandbox.workflowRuns.at(-1)).toMatchObject({
      path: '.github/workflows/plan-apply.yml',
      workflowName: 'gitops-plan-apply',
      headBranch: 'dev',
      headSha: await sandbox.branchSha('dev'),
      inputs: INPUTS,
      displayTitle: `gitops plan ingest-dev in dev @ ${SHA}`,
      status: 'queued',
      actor: sandbox.botLogin,
    });
  });

  test.each<[string, string, Record<string, string>, number, string]>([
    ['a branch without the workflow', 'main', INPUTS, 404, 'Not Found'],
    ['a missing branch', 'nope', INPUTS, 422, 'No ref found for: nope'],
    ['an input the workflow does not take', 'dev', { ...INPUTS, extra: 'x' }, 422, 'Unexpected inputs provided: ["extra"]'],
    ['a required input left out', 'dev', { env: 'dev', stack: 'ingest-dev', mode: 'plan' }, 422, "Required input 'sha' not provided"],
    [
      'a choice outside its options',
      'dev',
      { ...INPUTS, mode: 'destroy' },
      422,
      "Provided value 'destroy' for input 'mode' not in the list of allowed values",
    ],
  ])('GIVEN %s WHEN dispatched THEN GitHub refuses it and records no run', async (_what, ref, inputs, status, message) => {
    const before = sandbox.workflowRuns.length;
    await expect(dispatch(ref, inputs)).rejects.toMatchObject({ status, message: expect.stringContaining(message) });
    expect(sandbox.workflowRuns).toHaveLength(before);
  });

  test('GIVEN a dispatched run WHEN the test completes it with artifacts THEN a signed workflow_run.completed goes out and the artifact downloads', async () => {
    await dispatch('dev', INPUTS);
    const run = sandbox.workflowRuns.at(-1)!;
    const before = receiver.received.length;
    await sandbox.completeWorkflowRun(run.id, {
      conclusion: 'success',
      artifacts: { [`plan-dev-ingest-dev-${SHA}`]: { 'plan.txt': 'ingest-dev: no changes\n', 'plan.json': '{"stack":"ingest-dev"}' } },
    });
    const [delivery] = receiver.received.slice(before);
    expect(delivery?.headers['x-github-event']).toBe('workflow_run');
    expect(await verify(SECRET, delivery!.body, String(delivery!.headers['x-hub-signature-256']))).toBe(true);
    expect(payloads(receiver.received.slice(before), 'workflow_run')[0]).toMatchObject({
      action: 'completed',
      installation: { id: sandbox.installationId },
      workflow_run: {
        id: run.id,
        display_title: run.displayTitle,
        path: '.github/workflows/plan-apply.yml',
        event: 'workflow_dispatch',
        status: 'completed',
        conclusion: 'success',
        head_branch: 'dev',
      },
    });
    const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
      owner,
      repo,
      run_id: run.id,
      name: `plan-dev-ingest-dev-${SHA}`,
    });
    expect(data.artifacts.map((a) => a.name)).toEqual([`plan-dev-ingest-dev-${SHA}`]);
    const zip = await octokit.rest.actions.downloadArtifact({ owner, repo, artifact_id: data.artifacts[0]!.id, archive_format: 'zip' });
    expect(readZipEntry(Buffer.from(zip.data as ArrayBuffer), 'plan.json', 1024)?.toString('utf8')).toBe('{"stack":"ingest-dev"}');
    await expect(sandbox.completeWorkflowRun(run.id, { conclusion: 'failure' })).rejects.toThrow('is completed already');
    expect(sandbox.violations).toEqual([]);
  });
});
