import type { CheckRunUpdate } from './ports/github.js';
import type { PolicySettings } from '../../modules/policy/engine.js';
import type { PlannedPullRequest, SynthStacks } from './ports/plan-report.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { ReleaseController } from './controller.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner } from '../../test/doubles/fake-planner.js';
import { runPlan } from './plan-check.js';
import { policyCheckName } from './check-names.js';
import type { PlanRequest } from './ports/planner.js';

const TAGS = { environment: 'uat', system: 'ingest', owner: 'platform-team', 'cost-center': 'cc-1002' };
const queue = (encrypted: boolean) => ({ ...(encrypted ? { sqs_managed_sse_enabled: true } : {}), tags: TAGS });
const ingest = (queues: Record<string, object>) => ({ resource: { aws_sqs_queue: queues } });
/** Base: one encrypted queue without a DLQ. Head: the same plus an unencrypted one (two new failures). */
const BASE_STACKS: SynthStacks = { 'ingest-uat': ingest({ work: queue(true) }) };
const HEAD_STACKS: SynthStacks = { 'ingest-uat': ingest({ work: queue(true), audit: queue(false) }) };
const ERROR: PolicySettings = { level: 'error', waivers: [] };
const WARNING: PolicySettings = { level: 'warning', waivers: [] };

/** FakePlanner that also hands back synth output, and lists every head stack as affected. */
class SynthPlanner extends FakePlanner {
  override readonly synthesizes = true;
  head: SynthStacks = HEAD_STACKS;
  base: SynthStacks | undefined = BASE_STACKS;

  override async plan(req: PlanRequest): Promise<PlannedPullRequest> {
    const report = await this.planReport(req);
    const [template] = report.stacks;
    const stacks = Object.keys(this.head).map((name) => ({ ...template, name }));
    // like a real synth, both sides hold the release stack (it has nothing the rules check)
    const release = { [template.name]: { resource: { terraform_data: { record: { input: { commit_sha: req.headSha } } } } } };
    return {
      report: { ...report, stacks: [...stacks, template] },
      synthesized: { head: { ...this.head, ...release }, base: this.base && { ...this.base, ...release } },
    };
  }
}

function setup(planner: FakePlanner = new SynthPlanner()) {
  const gh = new FakeGitHub();
  const store = new SqliteStore(':memory:');
  return { gh, store, planner, session: sessionOf(gh), deps: { store, planner } };
}

const live = () => new AbortController().signal;
const UAT_PR = pullRequest({ baseRef: 'release/r1' });

describe('the gitops/policy/<env> check in runPlan', () => {
  test('GIVEN a head adding a violation at level error WHEN planned THEN the policy check goes in_progress → failure, listing it as new, and the comment carries the line', async () => {
    const { gh, store, session, deps } = setup();
    const outcome = await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: ERROR });
    expect(gh.writes).toEqual([
      'createCheckRun gitops/plan/uat in_progress',
      'createCheckRun gitops/policy/uat in_progress',
      'createComment #7',
      'updateCheckRun gitops/plan/uat completed success',
      'updateCheckRun gitops/policy/uat completed failure',
    ]);
    const check = gh.check('gitops/policy/uat')!;
    expect(check.title).toBe('uat: 2 new policy violations, 1 existing (level error)');
    expect(check.text).toMatch(/^#### New violations \(2\)\n/);
    expect(check.text).toContain('aws&#95;sqs&#95;queue.audit');
    expect(check.summary).toContain('environment files of <code>release/r1</code> (the base)');
    const line =
      /❌ policy: 2 stacks, \d+ checks: \d+ passed, 3 failed \(3 errors, 0 warnings\), 0 waived · \*\*2 new\*\* · \[<code>gitops\/policy\/uat<\/code>\]\(https:\/\/github.example\/acme\/infra\/runs\/2\)/;
    expect(gh.comments[0].body).toMatch(line);
    expect(outcome.status === 'planned' && outcome.policy?.conclusion).toBe('failure');
    const stored = JSON.parse((await store.latestPlan('acme/infra', 7, 'uat'))?.summaryJson ?? '{}') as {
      policy?: { newFailures: number };
    };
    expect(stored.policy).toMatchObject({ environment: 'uat', conclusion: 'failure', newFailures: 2 });
  });

  test('GIVEN the same head at level warning WHEN planned THEN the policy check is neutral with the findings listed', async () => {
    const { gh, session, deps } = setup();
    await runPlan(session, pullRequest(), 'dev', live(), deps, { policy: WARNING });
    const check = gh.check('gitops/policy/dev')!;
    expect(check.conclusion).toBe('neutral');
    expect(check.title).toBe('dev: 2 new policy violations, 1 existing (level warning: reported, not enforced)');
    expect(check.text).toContain('#### Existing violations (1)');
    expect(gh.comments[0].body).toContain('⚠️ policy: 2 stacks');
  });

  test('GIVEN a head with no failing rule WHEN planned THEN the policy check succeeds', async () => {
    const planner = new SynthPlanner();
    planner.head = { 'ingest-uat': ingest({}) };
    const { gh, session, deps } = setup(planner);
    await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: ERROR });
    expect(gh.check('gitops/policy/uat')).toMatchObject({ conclusion: 'success', title: 'uat: 0 checks passed on 2 stacks' });
    expect(gh.comments[0].body).toContain('✅ policy: 2 stacks, 0 checks');
  });

  test('GIVEN a planner that hands back no synth output WHEN planned with policy settings THEN no policy check is written', async () => {
    const { gh, session, deps } = setup(new FakePlanner());
    expect(deps.planner.synthesizes).toBe(false);
    await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: ERROR });
    expect(gh.writes.some((w) => w.includes('gitops/policy/'))).toBe(false);
    expect(gh.comments[0].body).not.toContain('policy');
  });

  test.each([
    ['error', 'failure', ERROR],
    ['warning', 'neutral', WARNING],
  ] as const)(
    'GIVEN a plan that fails at level %s WHEN run THEN the policy check completes %s saying it was not checked',
    async (_l, conclusion, settings) => {
      const { gh, session, deps, planner } = setup();
      planner.failWith = Object.assign(new Error('synth failed: long message'), { reason: 'synth of uat exited with 1: boom' });
      const outcome = await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: settings });
      expect(outcome.status).toBe('failed');
      expect(gh.check('gitops/policy/uat')).toMatchObject({
        status: 'completed',
        conclusion,
        title: 'uat: policy not checked: the plan failed: synth of uat exited with 1: boom',
      });
      expect(gh.check('gitops/plan/uat')?.conclusion).toBe('failure');
    },
  );

  test('GIVEN synth output the rules cannot read WHEN planned THEN the plan succeeds and the policy check says why it was not checked', async () => {
    const planner = new SynthPlanner();
    planner.head = { 'ingest-uat': { resource: { aws_sqs_queue: { work: null } } } } as unknown as SynthStacks;
    const { gh, session, deps } = setup(planner);
    await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: ERROR });
    expect(gh.check('gitops/plan/uat')?.conclusion).toBe('success');
    const check = gh.check('gitops/policy/uat')!;
    expect(check.conclusion).toBe('failure');
    expect(check.title).toMatch(/^uat: policy not checked: the synthesized configuration could not be checked: /);
    expect(gh.comments[0].body).toContain('❌ policy not checked: <code>the synthesized configuration could not be checked');
  });

  test('GIVEN a plan superseded while it runs WHEN aborted THEN both checks say cancelled', async () => {
    const { gh, session, deps, planner } = setup();
    planner.hold = true;
    const controller = new AbortController();
    const pending = runPlan(session, UAT_PR, 'uat', controller.signal, deps, { policy: ERROR });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort({ by: `plan of ${sha('c').slice(0, 7)}` });
    expect((await pending).status).toBe('superseded');
    expect(gh.check('gitops/policy/uat')).toMatchObject({ conclusion: 'cancelled', title: 'Stopped: superseded by the plan of ccccccc' });
    expect(gh.check('gitops/plan/uat')?.conclusion).toBe('cancelled');
  });

  test('GIVEN a job superseded before it started WHEN run THEN a cancelled policy check is written beside the plan check', async () => {
    const { gh, session, deps, planner } = setup();
    const controller = new AbortController();
    controller.abort({ by: 'plan of ccccccc' });
    await runPlan(session, UAT_PR, 'uat', controller.signal, deps, { policy: ERROR });
    expect(gh.writes).toEqual([
      'createCheckRun gitops/plan/uat completed cancelled',
      'createCheckRun gitops/policy/uat completed cancelled',
    ]);
    expect(planner.requests).toHaveLength(0);
  });

  test('GIVEN a planned pull request WHEN the next plan fails THEN the stale comment keeps the previous policy line', async () => {
    const { gh, session, deps, planner } = setup();
    await runPlan(session, UAT_PR, 'uat', live(), deps, { policy: ERROR });
    planner.failWith = new Error('boom');
    await runPlan(session, { ...UAT_PR, headSha: sha('c') }, 'uat', live(), deps, { policy: ERROR });
    expect(gh.comments[0].body).toContain('out of date');
    expect(gh.comments[0].body).toContain('❌ policy: 2 stacks');
  });

  test('GIVEN GitHub refuses the policy check update WHEN planned THEN the plan still counts as planned and the failure is logged', async () => {
    class RefusingGitHub extends FakeGitHub {
      override async updateCheckRun(id: number, update: CheckRunUpdate): Promise<void> {
        if (this.checkRuns.find((c) => c.id === id)?.name === policyCheckName('uat')) throw new Error('422 Unprocessable');
        return super.updateCheckRun(id, update);
      }
    }
    const gh = new RefusingGitHub();
    const store = new SqliteStore(':memory:');
    const session = sessionOf(gh);
    const outcome = await runPlan(session, UAT_PR, 'uat', live(), { store, planner: new SynthPlanner() }, { policy: ERROR });
    expect(outcome.status).toBe('planned');
    expect(gh.check('gitops/plan/uat')?.conclusion).toBe('success');
    expect(session.logs.some((l) => l.startsWith('error policy check could not be completed') && l.includes('422'))).toBe(true);
  });
});

describe('ReleaseController: the policy settings come from the base', () => {
  const BASE = sha('b');
  const waiveAudit = (text: string) =>
    text.replace(
      'policy:\n  level: error\n',
      'policy:\n  level: error\n  waivers:\n' +
        ['CKV_AWS_27', 'GITOPS_SQS_DLQ']
          .map(
            (rule) =>
              `    - rule: ${rule}\n      resource: ingest-uat.aws_sqs_queue.audit\n      reason: an audit queue kept for a week only\n`,
          )
          .join(''),
    );

  function controllerSetup(baseEdit?: (file: string, text: string) => string) {
    const gh = new FakeGitHub().withProjectEnvironments(BASE, baseEdit);
    gh.compares.set(`main...${sha('a')}`, [{ sha: sha('1'), parents: [sha('0')] }]);
    gh.compares.set('main...dev', []);
    gh.compares.set('main...uat', []);
    const store = new SqliteStore(':memory:');
    const planner = new SynthPlanner();
    gh.open(pullRequest());
    return { gh, planner, session: sessionOf(gh), controller: new ReleaseController({ store, planner, replan: () => undefined }) };
  }

  test('GIVEN feature/x → release/r1 (uat, level error) WHEN the head adds violations THEN the policy check fails after the plan check', async () => {
    const { gh, controller, session } = controllerSetup();
    await controller.pullRequestChanged(session, UAT_PR, live());
    expect(gh.writes.slice(-2)).toEqual([
      'updateCheckRun gitops/plan/uat completed success',
      'updateCheckRun gitops/policy/uat completed failure',
    ]);
  });

  test('GIVEN waivers in the head environment files only WHEN checked THEN they are ignored: the pull request cannot waive its own findings', async () => {
    const { gh, controller, session } = controllerSetup();
    gh.withProjectEnvironments(sha('a'), (f, t) => (f === 'uat.yaml' ? waiveAudit(t) : t));
    await controller.pullRequestChanged(session, UAT_PR, live());
    expect(gh.check('gitops/policy/uat')).toMatchObject({ conclusion: 'failure' });
    expect(gh.check('gitops/policy/uat')?.text).not.toContain('Waived');
  });

  test('GIVEN the same waivers in the base environment files WHEN checked THEN the new failures are waived and listed, and only the existing one remains', async () => {
    const { gh, controller, session } = controllerSetup((f, t) => (f === 'uat.yaml' ? waiveAudit(t) : t));
    await controller.pullRequestChanged(session, UAT_PR, live());
    const check = gh.check('gitops/policy/uat')!;
    expect(check.title).toBe('uat: 0 new policy violations, 1 existing (level error)');
    expect(check.text).toContain('#### Waived (2)');
    expect(check.text).toContain('<code>an audit queue kept for a week only</code>');
  });

  test('GIVEN feature/x → dev (level warning in dev.yaml) WHEN checked THEN the policy check is neutral', async () => {
    const { gh, controller, session, planner } = controllerSetup();
    planner.head = { 'ingest-dev': ingest({ audit: queue(false) }) };
    planner.base = {};
    await controller.pullRequestChanged(session, pullRequest(), live());
    expect(gh.check('gitops/policy/dev')?.conclusion).toBe('neutral');
  });
});
