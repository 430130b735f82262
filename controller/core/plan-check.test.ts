import { COMMENT_MARKER } from '../comment/templates.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { SupersededError } from '../webhooks/job-queue.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner } from '../../test/doubles/fake-planner.js';
import { runPlan } from './plan-check.js';

function setup() {
  const gh = new FakeGitHub();
  const store = new SqliteStore(':memory:');
  const planner = new FakePlanner();
  return { gh, store, planner, session: sessionOf(gh), deps: { store, planner } };
}

const live = () => new AbortController().signal;

describe('runPlan', () => {
  test('GIVEN a pull request WHEN planned THEN the check goes in_progress → success, one sticky comment is written and the record is planned', async () => {
    const { gh, store, planner, session, deps } = setup();
    const pr = pullRequest();
    const outcome = await runPlan(session, pr, 'dev', live(), deps);
    expect(outcome.status).toBe('planned');
    expect(gh.writes).toEqual([
      'createCheckRun gitops/plan/dev in_progress',
      'createComment #7',
      'updateCheckRun gitops/plan/dev completed success',
    ]);
    expect(planner.requests[0]).toMatchObject({
      repoUrl: pr.cloneUrl,
      authToken: 'ghs_installation',
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      environment: 'dev',
    });
    expect(planner.requests[0].signal).toBeInstanceOf(AbortSignal);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toContain(COMMENT_MARKER);
    expect(gh.comments[0].body).toContain('release-dev');
    const check = gh.check('gitops/plan/dev');
    expect(check?.summary).toContain('release-dev');
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({ status: 'planned', headSha: pr.headSha });
    expect(JSON.parse((await store.latestPlan('acme/infra', 7, 'dev'))?.summaryJson ?? '{}').environment).toBe('dev');
  });

  test('GIVEN a plan that succeeds WHEN its check is completed THEN the record is already planned (a merge the green check allows finds the reviewed plan)', async () => {
    const { gh, store, session, deps } = setup();
    const seen: (string | undefined)[] = [];
    const complete = gh.updateCheckRun.bind(gh);
    gh.updateCheckRun = async (id, update) => {
      if (update.status === 'completed') seen.push((await store.latestPlan('acme/infra', 7, 'dev'))?.status);
      return complete(id, update);
    };
    await runPlan(session, pullRequest(), 'dev', live(), deps);
    expect(seen).toEqual(['planned']);
  });

  test('GIVEN a plan whose check cannot be completed WHEN planned THEN the record is failed, not left planned', async () => {
    const { gh, store, session, deps } = setup();
    const complete = gh.updateCheckRun.bind(gh);
    gh.updateCheckRun = async (id, update) => {
      if (update.conclusion === 'success') throw new Error('GitHub answered 502');
      return complete(id, update);
    };
    const outcome = await runPlan(session, pullRequest(), 'dev', live(), deps);
    expect(outcome).toEqual({ status: 'failed', reason: 'GitHub answered 502' });
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({ status: 'failed', reason: 'GitHub answered 502' });
    expect(gh.check('gitops/plan/dev')).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  test('GIVEN a planned pull request WHEN a new head is planned THEN the same comment is edited (stale first), and the old record is superseded', async () => {
    const { gh, store, session, deps } = setup();
    const first = await runPlan(session, pullRequest(), 'dev', live(), deps);
    gh.writes.length = 0;
    await runPlan(session, pullRequest({ headSha: sha('c') }), 'dev', live(), deps);
    expect(gh.comments).toHaveLength(1);
    expect(gh.writes).toEqual([
      'updateComment 2',
      'createCheckRun gitops/plan/dev in_progress',
      'updateComment 2',
      'updateCheckRun gitops/plan/dev completed success',
    ]);
    expect(gh.comments[0].body).toContain('cccccc');
    expect(gh.comments[0].body).not.toContain('out of date');
    expect(first.status === 'planned' && (await store.getPlan(first.planId))?.status).toBe('superseded');
    expect((await store.latestPlan('acme/infra', 7, 'dev'))?.status).toBe('planned');
  });

  test('GIVEN a plan running for an old head WHEN the stale banner is written THEN it names the new head', async () => {
    const { gh, session, deps, planner } = setup();
    await runPlan(session, pullRequest(), 'dev', live(), deps);
    planner.failWith = new Error('boom');
    await runPlan(session, pullRequest({ headSha: sha('c') }), 'dev', live(), deps);
    expect(gh.comments[0].body).toContain('out of date');
    expect(gh.comments[0].body).toContain('cccccc');
  });

  test('GIVEN a person pasted the marker into their own comment WHEN planned THEN the App writes its own comment and leaves theirs alone', async () => {
    const { gh, session, deps } = setup();
    gh.addComment(7, `copied: ${COMMENT_MARKER}`, 'mallory');
    await runPlan({ ...session, botLogin: async () => 'gitops[bot]' }, pullRequest(), 'dev', live(), deps);
    expect(gh.comments.map((c) => [c.author, c.body.startsWith('copied')])).toEqual([
      ['mallory', true],
      ['gitops[bot]', false],
    ]);
  });

  test('GIVEN a stack whose terraform plan is unavailable WHEN planned THEN the check is neutral', async () => {
    const { gh, session, deps, planner } = setup();
    planner.source = 'synth';
    await runPlan(session, pullRequest(), 'dev', live(), deps);
    expect(gh.check('gitops/plan/dev')?.conclusion).toBe('neutral');
  });

  test('GIVEN the planner fails with a reason WHEN planned THEN the check fails with that one line, no comment is written, the record is failed', async () => {
    const { gh, store, session, deps, planner } = setup();
    planner.failWith = Object.assign(new Error('terraform init failed\nlong log…'), {
      reason: 'terraform init exited with 1: provider not found',
    });
    const outcome = await runPlan(session, pullRequest(), 'dev', live(), deps);
    expect(outcome).toEqual({ status: 'failed', reason: 'terraform init exited with 1: provider not found' });
    expect(gh.check('gitops/plan/dev')).toMatchObject({
      conclusion: 'failure',
      title: 'Plan failed: terraform init exited with 1: provider not found',
    });
    expect(gh.comments).toHaveLength(0);
    expect((await store.latestPlan('acme/infra', 7, 'dev'))?.status).toBe('failed');
    expect(session.logs.join('\n')).toContain('plan failed');
  });

  test('GIVEN a running plan WHEN a newer push aborts it THEN the check is cancelled naming the newer plan and the record is superseded', async () => {
    const { gh, store, session, deps, planner } = setup();
    planner.hold = true;
    const controller = new AbortController();
    const running = runPlan(session, pullRequest(), 'dev', controller.signal, deps);
    await new Promise((r) => setImmediate(r));
    controller.abort(new SupersededError('plan of ccccccc'));
    expect(await running).toEqual({ status: 'superseded', by: 'superseded by the plan of ccccccc' });
    expect(gh.check('gitops/plan/dev')).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
      title: 'Stopped: superseded by the plan of ccccccc',
    });
    expect(gh.comments).toHaveLength(0);
    expect((await store.latestPlan('acme/infra', 7, 'dev'))?.status).toBe('superseded');
  });

  test('GIVEN a session of installation 42 WHEN a plan with a policy check is running THEN its record already holds what a restarted controller needs', async () => {
    const { gh, store, session, deps, planner } = setup();
    Object.assign(planner, { synthesizes: true, hold: true });
    const controller = new AbortController();
    const running = runPlan({ ...session, installationId: 42 }, pullRequest(), 'dev', controller.signal, deps, {
      policy: { level: 'error', waivers: [] },
    });
    await new Promise((r) => setImmediate(r));
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({
      status: 'running',
      installationId: 42,
      headRef: 'feature/x',
      baseRef: 'dev',
      cloneUrl: 'https://github.example/acme/infra.git',
      author: 'alice',
      planCheckId: gh.check('gitops/plan/dev')?.id,
      policyCheckId: gh.check('gitops/policy/dev')?.id,
    });
    controller.abort(new SupersededError('plan of ccccccc'));
    await running;
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({
      status: 'superseded',
      reason: 'superseded by the plan of ccccccc',
    });
  });

  test('GIVEN the planner fails WHEN planned THEN the record keeps the reason', async () => {
    const { store, session, deps, planner } = setup();
    planner.failWith = Object.assign(new Error('x'), { reason: 'synth exited with 1' });
    await runPlan(session, pullRequest(), 'dev', live(), deps);
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({
      status: 'failed',
      reason: 'synth exited with 1',
      installationId: null,
    });
  });

  test('GIVEN a plan superseded before it started WHEN run THEN it only records a cancelled check on the old head and never plans', async () => {
    const { gh, store, session, deps, planner } = setup();
    const controller = new AbortController();
    controller.abort(new SupersededError('plan of ccccccc'));
    await runPlan(session, pullRequest(), 'dev', controller.signal, deps);
    expect(planner.requests).toHaveLength(0);
    expect(gh.writes).toEqual(['createCheckRun gitops/plan/dev completed cancelled']);
    expect(gh.check('gitops/plan/dev', sha('a'))?.summary).toBe('The plan of aaaaaaa was not run: superseded by the plan of ccccccc.');
    expect((await store.latestPlan('acme/infra', 7, 'dev'))?.status).toBe('superseded');
  });
});
