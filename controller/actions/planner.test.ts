import nock from 'nock';
import type { PlannedPullRequest, PlanReport, PlanSummary } from '../core/ports/plan-report.js';
import type { Planner, PlanRequest } from '../core/ports/planner.js';
import { zipArchive } from '../../test/zip-archive.js';
import { ActionsPlanner, repositoryOfUrl } from './planner.js';
import { octokitWorkflows } from './workflow-client.js';
import { PLAN_APPLY_PATH, runTitle, WorkflowRunWaits, type RunInputs } from './workflow-runs.js';

// The planner over the real Octokit client, GitHub answered by nock; each dispatched run "completes" by
// handing the waits the workflow_run the webhook handler would.
const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const HEAD = 'c'.repeat(40);
const BASE = 'd'.repeat(40);
const REQUEST: PlanRequest = {
  repoUrl: 'https://ghe.example.test/acme/infra.git',
  authToken: 'ghs_token',
  headSha: HEAD,
  baseSha: BASE,
  baseRef: 'dev',
  environment: 'dev',
};

/** What the controller's synth finds: ingest-dev changed, old-dev removed. */
class SynthOnly implements Planner {
  readonly synthesizes = true;
  async plan(req: PlanRequest): Promise<PlannedPullRequest> {
    const synth = (name: string, status: 'changed' | 'removed') =>
      ({ name, status, source: 'synth', unavailableReason: 'no terraform runner is configured' }) as const;
    const report: PlanReport = {
      environment: req.environment,
      headSha: req.headSha,
      baseSha: req.baseSha,
      stacks: [synth('ingest-dev', 'changed'), synth('old-dev', 'removed')],
      warnings: [],
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:01.000Z',
    };
    return { report, synthesized: { head: {} } };
  }
}

const SUMMARY: PlanSummary = {
  stack: 'ingest-dev',
  counts: { add: 1, change: 0, replace: 0, destroy: 0, noop: 0, read: 0 },
  hasChanges: true,
  resources: [{ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', action: 'create', attributes: [] }],
  outputs: [],
};

let waits: WorkflowRunWaits;
let dispatched: { ref: string; inputs: RunInputs }[];
const planner = (over: { applyTimeoutMs?: number } = {}) =>
  new ActionsPlanner({ synth: new SynthOnly(), waits, clientFor: octokitWorkflows(API), ...over });

/** GitHub takes each dispatch; its run completes with `conclusion` (none: it never completes). */
function runs(conclusion: string | undefined, times = 1): void {
  nock(API)
    .post(`${REPO}/actions/workflows/plan-apply.yml/dispatches`)
    .times(times)
    .reply((_, body) => {
      const { ref, inputs } = body as { ref: string; inputs: RunInputs };
      dispatched.push({ ref, inputs });
      const id = dispatched.length;
      if (conclusion !== undefined) {
        setImmediate(() =>
          waits.completed({
            owner: 'acme',
            repo: 'infra',
            id,
            title: runTitle(inputs),
            path: PLAN_APPLY_PATH,
            event: 'workflow_dispatch',
            conclusion,
            htmlUrl: `https://ghe.example.test/acme/infra/actions/runs/${id}`,
            createdAt: new Date().toISOString(),
          }),
        );
      }
      return [204];
    });
}

/** Run `id`'s artifact `name` holds `files`. */
function artifact(id: number, name: string, files: Record<string, string>): void {
  nock(API)
    .get(`${REPO}/actions/runs/${id}/artifacts`)
    .query(true)
    .reply(200, { total_count: 1, artifacts: [{ id: 100 + id, name, size_in_bytes: 500, expired: false }] })
    .get(`${REPO}/actions/artifacts/${100 + id}/zip`)
    .reply(200, zipArchive(files), { 'content-type': 'application/zip' });
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  waits = new WorkflowRunWaits();
  dispatched = [];
});
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('ActionsPlanner.plan', () => {
  test("GIVEN a successful plan run WHEN planned THEN each changed stack is dispatched on the base branch and its artifact's plan.json is its terraform plan", async () => {
    runs('success');
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.txt': 'ingest-dev: 1 to add', 'plan.json': JSON.stringify(SUMMARY) });
    const { report, synthesized } = await planner().plan(REQUEST);
    expect(dispatched).toEqual([{ ref: 'dev', inputs: { env: 'dev', stack: 'ingest-dev', sha: HEAD, mode: 'plan' } }]);
    expect(report.stacks[0]).toEqual({ name: 'ingest-dev', status: 'changed', source: 'terraform', summary: SUMMARY });
    expect(report.stacks[1]).toMatchObject({ name: 'old-dev', status: 'removed', source: 'synth' });
    expect(synthesized).toEqual({ head: {} });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN a failed run, a plan.json of another stack or none WHEN planned THEN the stack keeps its synth diff and the reason names the run', async () => {
    runs('failure');
    expect((await planner().plan(REQUEST)).report.stacks[0]).toMatchObject({
      source: 'synth',
      unavailableReason: 'workflow run https://ghe.example.test/acme/infra/actions/runs/1 ended failure',
    });
    dispatched = [];
    runs('success');
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.json': JSON.stringify({ ...SUMMARY, stack: 'payments-dev' }) });
    expect((await planner().plan(REQUEST)).report.stacks[0]?.unavailableReason).toBe(
      'workflow run https://ghe.example.test/acme/infra/actions/runs/1: plan.json is the plan of another stack (asked for ingest-dev)',
    );
    dispatched = [];
    runs('success');
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.json': '{"stack":"ingest-dev","counts":"all"}' });
    expect((await planner().plan(REQUEST)).report.stacks[0]?.unavailableReason).toMatch(
      /^workflow run .*\/runs\/1: plan\.json: counts expected object/,
    );
    dispatched = [];
    runs('success');
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.txt': 'only text' });
    expect((await planner().plan(REQUEST)).report.stacks[0]?.unavailableReason).toBe(
      `workflow run https://ghe.example.test/acme/infra/actions/runs/1 left no plan.json in its artifact plan-dev-ingest-dev-${HEAD}`,
    );
  });

  test('GIVEN GitHub refuses the dispatch or no branch is known WHEN planned THEN the stack keeps its synth diff with the reason', async () => {
    nock(API).post(`${REPO}/actions/workflows/plan-apply.yml/dispatches`).reply(404, { message: 'Not Found' });
    expect((await planner().plan(REQUEST)).report.stacks[0]?.unavailableReason).toMatch(
      /^plan-apply\.yml could not be dispatched on dev: Not Found/,
    );
    expect(waits.size).toBe(0);
    const { baseRef: _, ...noBranch } = REQUEST;
    expect((await planner().plan(noBranch)).report.stacks[0]?.unavailableReason).toBe(
      'the actions runner dispatches plan-apply.yml on a branch, and this plan names none',
    );
  });

  test('GIVEN a plan waiting for its run WHEN its job is cancelled THEN the plan rejects with the reason and nothing waits', async () => {
    runs(undefined);
    const controller = new AbortController();
    const planning = planner().plan({ ...REQUEST, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    controller.abort(new Error('superseded'));
    await expect(planning).rejects.toThrow('superseded');
    expect(waits.size).toBe(0);
  });
});

describe('ActionsPlanner.planToApply', () => {
  test('GIVEN the re-plan WHEN a stack is applied THEN mode apply is dispatched on the branch and the log ends with the artifact apply.txt', async () => {
    runs('success', 2);
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.json': JSON.stringify(SUMMARY) });
    artifact(2, `apply-dev-ingest-dev-${HEAD}`, { 'apply.txt': 'ingest-dev: applied' });
    const planned = await planner().planToApply(REQUEST);
    expect(planned.report.stacks[0]?.source).toBe('terraform');
    const applied = await planned.apply('ingest-dev');
    expect(dispatched[1]).toEqual({ ref: 'dev', inputs: { env: 'dev', stack: 'ingest-dev', sha: HEAD, mode: 'apply' } });
    expect(applied).toEqual({
      stack: 'ingest-dev',
      log: 'workflow run https://ghe.example.test/acme/infra/actions/runs/2 ended success\ningest-dev: applied',
    });
    await planned.discard();
  });

  test('GIVEN an apply run that fails or never completes WHEN applied THEN it rejects with a one-line reason and the log', async () => {
    runs('success');
    artifact(1, `plan-dev-ingest-dev-${HEAD}`, { 'plan.json': JSON.stringify(SUMMARY) });
    const planned = await planner({ applyTimeoutMs: 300 }).planToApply(REQUEST);
    runs('failure');
    nock(API).get(`${REPO}/actions/runs/2/artifacts`).query(true).reply(200, { total_count: 0, artifacts: [] });
    await expect(planned.apply('ingest-dev')).rejects.toMatchObject({
      reason: 'workflow run https://ghe.example.test/acme/infra/actions/runs/2 ended failure',
      logTail: 'workflow run https://ghe.example.test/acme/infra/actions/runs/2 ended failure\n',
    });
    runs(undefined);
    await expect(planned.apply('ingest-dev')).rejects.toMatchObject({
      reason: `no run "gitops apply ingest-dev in dev @ ${HEAD}" of plan-apply.yml completed within 0 s`,
    });
  });
});

describe('repositoryOfUrl', () => {
  test('GIVEN clone URLs WHEN read THEN owner and name; a URL without both is refused', () => {
    expect(repositoryOfUrl('https://github.com/acme/infra.git')).toEqual({ owner: 'acme', repo: 'infra' });
    expect(repositoryOfUrl('http://127.0.0.1:3100/acme/infra')).toEqual({ owner: 'acme', repo: 'infra' });
    expect(() => repositoryOfUrl('https://github.com/')).toThrow('the actions runner cannot tell the repository of https://github.com/…');
  });
});
