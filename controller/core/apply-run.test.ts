import { FakeGitHub, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner, reportFor } from '../../test/doubles/fake-planner.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { runApply, type ApplyDeps, type ApplyRequest } from './apply-run.js';
import type { Environment } from '../../environments/schema.js';
import type { PlanReport } from './ports/plan-report.js';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE = sha('c');
const dev = { name: 'dev', branch: 'dev', tier: 'development' } as Environment;
const live = () => new AbortController().signal;

const withStacks = (report: PlanReport, names: string[]): PlanReport => ({
  ...report,
  stacks: names.map((name) => ({ ...report.stacks[0], name, summary: { ...report.stacks[0].summary!, stack: name } })),
});

async function setup(reviewedReport: PlanReport = reportFor({ environment: 'dev', headSha: HEAD, baseSha: BASE })) {
  const gh = new FakeGitHub();
  const store = new SqliteStore(':memory:', { controllerId: 'ctl' });
  const planner = new FakePlanner();
  const session = sessionOf(gh);
  const planId = await store.savePlan({
    repo: 'acme/infra',
    pr: 7,
    environment: 'dev',
    headSha: HEAD,
    baseSha: BASE,
    status: 'planned',
    summaryJson: JSON.stringify(reviewedReport),
  });
  const request: ApplyRequest = {
    owner: 'acme',
    repo: 'infra',
    cloneUrl: 'https://github.example/acme/infra.git',
    environment: dev,
    sha: MERGE,
    baseSha: BASE,
    pr: 7,
    reviewed: await store.getPlan(planId),
  };
  const deps: ApplyDeps = { store, planner, pollMs: 5 };
  return { gh, store, planner, session, request, deps };
}

describe('runApply', () => {
  test('GIVEN a re-plan equal to the reviewed plan WHEN applied THEN the check, the deployment (queued → in_progress → success with the check as log) and a run per stack are recorded, the plans discarded and the lock released', async () => {
    const { gh, store, planner, session, request, deps } = await setup();
    const after: string[] = [];
    const outcome = await runApply(session, request, live(), {
      ...deps,
      afterApply: async (_s, env, at) => void after.push(`${env.name}@${at}`),
    });
    expect(outcome).toMatchObject({ status: 'succeeded', differences: [] });
    expect(planner.requests[0]).toMatchObject({ headSha: MERGE, baseSha: BASE, environment: 'dev', jobId: `apply-${outcome.applyId}` });
    expect(planner.applyLog).toEqual(['apply release-dev', 'discard']);
    expect(gh.writes).toEqual(['createCheckRun gitops/apply/dev in_progress', 'updateCheckRun gitops/apply/dev completed success']);
    const [deployment] = session.deployments.deployments;
    expect(deployment).toMatchObject({ sha: MERGE, environment: 'dev', production: false });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success']);
    expect(deployment.statuses.at(-1)?.logUrl).toBe(`https://github.example/acme/infra/runs/${gh.checkRuns[0].id}`);
    const runs = await store.runsOfApply(outcome.applyId);
    expect(runs.map((r) => [r.stack, r.status, r.logTail])).toEqual([['release-dev', 'succeeded', 'release-dev: Apply complete!']]);
    expect(await store.getApply(outcome.applyId)).toMatchObject({ status: 'succeeded', checkRunId: gh.checkRuns[0].id, deploymentId: 1 });
    expect(await store.listLocks()).toEqual([]);
    expect(after).toEqual([`dev@${MERGE}`]);
  });

  test('GIVEN the environment’s credentials WHEN applied THEN the re-plan of the merged commit carries them; a missing variable fails the apply naming it, with nothing applied', async () => {
    const { planner, session, request, deps, store } = await setup();
    const credentials = { plan: { AWS_PROFILE: 'dev-reader' }, apply: { AWS_PROFILE: 'dev-deployer' } };
    const ok = await runApply(session, request, live(), {
      ...deps,
      credentialsOf: (env) => (env.name === 'dev' ? credentials : { plan: {}, apply: {} }),
    });
    expect(ok.status).toBe('succeeded');
    expect(planner.requests[0].credentials).toEqual(credentials);

    const missing = await setup();
    const failed = await runApply(missing.session, missing.request, live(), {
      ...missing.deps,
      credentialsOf: () => {
        throw new Error("dev.yaml: credentials.apply.passEnv: ARM_CLIENT_SECRET is not set in the controller's environment");
      },
    });
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('ARM_CLIENT_SECRET is not set');
    expect(missing.planner.applyLog).toEqual([]);
    expect(await store.listLocks()).toEqual([]);
  });

  test('GIVEN three stacks in the listed order WHEN the second fails THEN the third is skipped, the deployment fails and the check lists each result', async () => {
    const three = (h: string) =>
      withStacks(reportFor({ environment: 'dev', headSha: h, baseSha: BASE }), ['account-dev', 'ingest-dev', 'release-dev']);
    const { gh, store, planner, session, request, deps } = await setup(three(HEAD));
    planner.applyReport = (req) => three(req.headSha);
    planner.failingApplies.add('ingest-dev');
    const outcome = await runApply(session, request, live(), deps);
    expect(outcome.status).toBe('failed');
    expect(Object.fromEntries(outcome.results)).toEqual({ 'account-dev': 'succeeded', 'ingest-dev': 'failed', 'release-dev': 'skipped' });
    expect(planner.applyLog).toEqual(['apply account-dev', 'apply ingest-dev', 'discard']);
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'failure', title: 'Apply to dev failed: 2 of 3 stacks not applied' });
    expect(gh.checkRuns[0].summary).toContain('| <code>release-dev</code> | ⏭️ skipped | a stack it follows was not applied |');
    expect(session.deployments.deployments[0].statuses.at(-1)).toMatchObject({
      state: 'failure',
      description: 'Failed: ingest-dev: ingest-dev failed',
    });
    expect((await store.runsOfApply(outcome.applyId)).map((r) => [r.stack, r.status, r.logTail])).toEqual([
      ['account-dev', 'succeeded', 'account-dev: Apply complete!'],
      ['ingest-dev', 'failed', 'Error: boom'],
    ]);
  });

  test('GIVEN a re-plan that differs from the reviewed plan WHEN run THEN nothing is applied, the deployment fails, the pull request gets the difference and the re-plan is kept for /apply', async () => {
    const { gh, store, planner, session, request, deps } = await setup();
    planner.applyReport = (req) => {
      const r = reportFor(req);
      const summary = {
        ...r.stacks[0].summary!,
        resources: [{ address: 'terraform_data.x', type: 'terraform_data', name: 'x', action: 'create' as const, attributes: [] }],
      };
      return { ...r, stacks: [{ ...r.stacks[0], summary }] };
    };
    const outcome = await runApply(session, request, live(), deps);
    expect(outcome.status).toBe('differs');
    expect(planner.applyLog).toEqual(['discard']);
    expect(gh.comments[0].body).toContain('+ create terraform_data.x');
    expect(session.deployments.deployments[0].statuses.at(-1)?.state).toBe('failure');
    expect(await store.plansOfHead('acme/infra', 7, 'dev', MERGE)).toEqual([expect.objectContaining({ status: 'planned', baseSha: BASE })]);
  });

  test('GIVEN no reviewed plan WHEN run THEN nothing is applied and the reason is given', async () => {
    const { planner, session, request, deps } = await setup();
    const outcome = await runApply(
      session,
      { ...request, reviewed: undefined, noReviewReason: 'pull request #7 has no completed plan' },
      live(),
      deps,
    );
    expect(outcome).toMatchObject({ status: 'differs', reason: 'pull request #7 has no completed plan' });
    expect(planner.applyLog).toEqual(['discard']);
  });

  test('GIVEN the lock held by another apply WHEN run THEN it waits (deployment queued) and applies once the holder releases', async () => {
    const { store, session, request, deps } = await setup();
    const other = await store.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#6', pr: 6, leaseMs: 60_000 });
    const running = runApply(session, request, live(), deps);
    await new Promise((r) => setTimeout(r, 50));
    expect(session.deployments.deployments[0].statuses.map((s) => s.state)).toEqual(['queued']);
    expect((await store.listLocks()).map((t) => [t.pr, t.state])).toEqual([
      [6, 'held'],
      [7, 'waiting'],
    ]);
    await store.releaseLock(other.ticket.id);
    expect((await running).status).toBe('succeeded');
  });

  test('GIVEN a later commit deployed already WHEN an older push applies THEN it is skipped without planning', async () => {
    const { gh, store, planner, session, request, deps } = await setup();
    const later = await store.saveApply({ repo: 'acme/infra', environment: 'dev', sha: sha('d'), baseSha: MERGE });
    await store.updateApply(later, { status: 'succeeded' });
    gh.compares.set(`${MERGE}...${sha('d')}`, [{ sha: sha('d'), parents: [MERGE] }]);
    const outcome = await runApply(session, request, live(), deps);
    expect(outcome).toMatchObject({ status: 'skipped', reason: `a later commit (${sha('d').slice(0, 7)}) is deployed to dev already` });
    expect(planner.requests).toEqual([]);
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
  });

  test('GIVEN a planner that cannot plan WHEN run THEN the apply fails with its reason and the lock is released', async () => {
    const { store, planner, session, request, deps } = await setup();
    planner.failWith = Object.assign(new Error('x'), { reason: 'synth failed' });
    expect(await runApply(session, request, live(), deps)).toMatchObject({ status: 'failed', reason: 'synth failed' });
    expect(await store.listLocks()).toEqual([]);
  });
});
