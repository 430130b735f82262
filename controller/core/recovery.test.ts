import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite-store.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner } from '../../test/doubles/fake-planner.js';
import { runPlan } from './plan-check.js';
import type { PullRequestInfo } from './ports/github.js';
import type { PullRequestRef } from './ports/session.js';
import type { NewPlan } from './ports/store.js';
import { RESTART_REASON, recoverPlans, type RecoveryDeps } from './recovery.js';

let dir: string;
let file: string;
const open: SqliteStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-recovery-'));
  file = join(dir, 'gitops.sqlite');
});
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

/** The store as one controller process opens it. */
function storeOf(controllerId: string): SqliteStore {
  const s = new SqliteStore(file, { controllerId });
  open.push(s);
  return s;
}

const openPull = (over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number: 7,
  state: 'open',
  merged: false,
  draft: false,
  title: 'Feature x',
  author: 'alice',
  headRef: 'feature/x',
  headSha: sha('a'),
  baseRef: 'dev',
  baseSha: sha('b'),
  ...over,
});

/** A plan record as runPlan saves it while running, written straight to the store. */
const runningPlan = (over: Partial<NewPlan> = {}): NewPlan => ({
  repo: 'acme/infra',
  pr: 7,
  environment: 'dev',
  headSha: sha('a'),
  baseSha: sha('b'),
  status: 'running',
  installationId: 42,
  cloneUrl: 'https://github.example/acme/infra.git',
  ...over,
});

/**
 * A controller process that is killed while it plans: runPlan starts (checks in progress, record
 * running) and never gets further. Its store is left as the process left it.
 */
async function killedDuringPlan(gh: FakeGitHub, pr: PullRequestRef = pullRequest(), installationId = 42): Promise<void> {
  const planner = Object.assign(new FakePlanner(), { synthesizes: true, hold: true });
  const store = storeOf('stopped');
  void runPlan(
    { ...sessionOf(gh), installationId },
    pr,
    'dev',
    new AbortController().signal,
    { store, planner },
    {
      policy: { level: 'error', waivers: [] },
    },
  );
  while (planner.requests.length === 0) await new Promise((r) => setImmediate(r));
}

function recovery(gh: FakeGitHub, over: Partial<RecoveryDeps> = {}) {
  const replans: PullRequestRef[] = [];
  const sessionsFor: string[] = [];
  const session = sessionOf(gh);
  const store = storeOf('restarted');
  const deps: RecoveryDeps = {
    store,
    sessionFor: async (installationId, owner, repo) => {
      sessionsFor.push(`${installationId} ${owner}/${repo}`);
      return session;
    },
    replan: (_session, pr) => void replans.push(pr),
    log: session.log,
    ...over,
  };
  return { store, deps, replans, sessionsFor, logs: session.logs, run: () => recoverPlans(deps) };
}

describe('recoverPlans', () => {
  test('GIVEN a controller killed while planning WHEN the next one starts THEN both checks say controller restarted, the record is failed and the pull request as it is now is planned again', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull({ headSha: sha('c') }));
    await killedDuringPlan(gh);
    expect(gh.checkRuns.map((c) => `${c.name} ${c.status}`)).toEqual(['gitops/plan/dev in_progress', 'gitops/policy/dev in_progress']);
    gh.writes.length = 0;
    const { run, replans, sessionsFor, store } = recovery(gh);

    const [recovered] = await run();

    expect(sessionsFor).toEqual(['42 acme/infra']);
    expect(gh.writes).toEqual([
      'updateCheckRun gitops/plan/dev completed cancelled',
      'updateCheckRun gitops/policy/dev completed cancelled',
    ]);
    expect(gh.check('gitops/plan/dev')).toMatchObject({
      title: 'Stopped: controller restarted; planning again',
      summary: 'The plan of aaaaaaa for dev was stopped: the controller restarted while it ran. A new plan of the pull request is queued.',
    });
    expect(gh.check('gitops/policy/dev')?.title).toBe('Stopped: controller restarted; planning again');
    expect(await store.latestPlan('acme/infra', 7, 'dev')).toMatchObject({ status: 'failed', reason: RESTART_REASON });
    expect(replans).toEqual([pullRequest({ headSha: sha('c') })]);
    expect(recovered).toEqual({ planId: 1, repo: 'acme/infra', pr: 7, environment: 'dev', checksCompleted: true, replanned: true });
    expect(await store.abandonedPlans()).toEqual([]);
  });

  test('GIVEN a head whose plan a restart already interrupted WHEN it is interrupted again THEN its checks fail and it is not planned again on its own', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull());
    await killedDuringPlan(gh);
    await recovery(gh).run();
    await killedDuringPlan(gh);
    gh.writes.length = 0;
    const { run, replans } = recovery(gh);

    const [recovered] = await run();

    expect(recovered).toMatchObject({ checksCompleted: true, replanned: false });
    expect(replans).toEqual([]);
    expect(gh.writes).toEqual(['updateCheckRun gitops/plan/dev completed failure', 'updateCheckRun gitops/policy/dev completed failure']);
    expect(gh.check('gitops/plan/dev')?.title).toBe('Stopped: controller restarted again while planning this head');
    expect(gh.check('gitops/plan/dev')?.summary).toContain('comment `/plan` to plan it again');
  });

  test('GIVEN the pull request was closed meanwhile WHEN recovered THEN its checks are cancelled and nothing is planned', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull({ state: 'closed' }));
    await killedDuringPlan(gh);
    const { run, replans } = recovery(gh);
    expect(await run()).toMatchObject([{ checksCompleted: true, replanned: false }]);
    expect(replans).toEqual([]);
    expect(gh.check('gitops/plan/dev')).toMatchObject({ conclusion: 'cancelled', title: 'Stopped: controller restarted' });
    expect(gh.check('gitops/plan/dev')?.summary).toContain('The pull request is closed');
  });

  test('GIVEN a plan killed before its check existed WHEN recovered THEN a completed check is created on its head', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull());
    await storeOf('stopped').savePlan(runningPlan());
    const { run, replans } = recovery(gh);
    await run();
    expect(gh.writes).toEqual(['createCheckRun gitops/plan/dev completed cancelled']);
    expect(gh.check('gitops/plan/dev', sha('a'))?.title).toBe('Stopped: controller restarted; planning again');
    expect(replans).toHaveLength(1);
  });

  test('GIVEN a running plan saved before the upgrade (no installation recorded) WHEN recovered THEN it is marked failed, GitHub is not called and a warning says why', async () => {
    const gh = new FakeGitHub();
    const stopped = storeOf('stopped');
    const id = await stopped.savePlan(runningPlan({ installationId: undefined, cloneUrl: undefined }));
    const { run, sessionsFor, logs } = recovery(gh);
    expect(await run()).toEqual([{ planId: id, repo: 'acme/infra', pr: 7, environment: 'dev', checksCompleted: false, replanned: false }]);
    expect(sessionsFor).toEqual([]);
    expect(await stopped.getPlan(id)).toMatchObject({ status: 'failed', reason: RESTART_REASON });
    expect(logs.join('\n')).toContain('no installation recorded');
  });

  test('GIVEN two abandoned plans and GitHub failing for the first installation WHEN recovered THEN the second is still recovered and both records are failed', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull());
    gh.pulls.set(8, openPull({ number: 8 }));
    await killedDuringPlan(gh, pullRequest(), 13);
    await killedDuringPlan(gh, pullRequest({ number: 8 }), 42);
    const base = recovery(gh);
    const { run, replans, logs, deps } = recovery(gh, {
      sessionFor: async (installationId, owner, repo) => {
        if (installationId === 13) throw new Error('401 Bad credentials');
        return base.deps.sessionFor(installationId, owner, repo);
      },
    });
    expect((await run()).map((r) => [r.pr, r.checksCompleted, r.replanned])).toEqual([
      [7, false, false],
      [8, true, true],
    ]);
    expect(replans.map((p) => p.number)).toEqual([8]);
    expect(logs.join('\n')).toMatch(/abandoned plan could not be recovered on GitHub .*401 Bad credentials/);
    expect(await deps.store.abandonedPlans()).toEqual([]);
  });

  test('GIVEN a check that cannot be updated WHEN recovered THEN the other check is still completed and the failure is logged', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull());
    await killedDuringPlan(gh);
    const updateCheckRun = gh.updateCheckRun.bind(gh);
    gh.updateCheckRun = async (id, update) => {
      if (id === 1) throw new Error('422 check run is gone');
      return updateCheckRun(id, update);
    };
    const { run, logs } = recovery(gh);
    expect(await run()).toMatchObject([{ checksCompleted: false, replanned: true }]);
    expect(gh.check('gitops/policy/dev')?.status).toBe('completed');
    expect(logs.join('\n')).toMatch(/check of an abandoned plan could not be completed .*gitops\/plan\/dev.*422/);
  });

  test('GIVEN abandoned plans of one pull request for two environments WHEN recovered THEN it is planned again once', async () => {
    const gh = new FakeGitHub();
    gh.pulls.set(7, openPull());
    await killedDuringPlan(gh);
    await storeOf('stopped').savePlan(runningPlan({ environment: 'uat' }));
    const { run, replans } = recovery(gh);
    expect((await run()).map((r) => [r.environment, r.checksCompleted, r.replanned])).toEqual([
      ['dev', true, true],
      ['uat', true, false],
    ]);
    expect(replans).toHaveLength(1);
  });

  test('GIVEN a plan this controller is running WHEN recovery runs THEN it is left alone', async () => {
    const gh = new FakeGitHub();
    const { run, store, sessionsFor } = recovery(gh);
    const mine = await store.savePlan(runningPlan());
    expect(await run()).toEqual([]);
    expect(sessionsFor).toEqual([]);
    expect((await store.getPlan(mine))?.status).toBe('running');
  });
});
