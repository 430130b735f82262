// Scenario: `gitops serve` as its own process is killed with SIGKILL while it plans a pull request,
// and started again on the same work directory and store. Nothing may stay in progress on GitHub, the
// interrupted plan is recorded as failed, a new plan runs, GitHub's redelivery of the interrupted
// delivery runs, and no job directory of the killed process is left.
import { jest } from '@jest/globals';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../controller/store/sqlite-store.js';
import { killHard, startController, until, type ControllerProcess } from './controller-process.js';
import { checkRuns, startGitHub, type GitHubWorld } from './harness.js';

jest.setTimeout(600_000);

const PLAN_DONE = ['success', 'neutral'];

let world: GitHubWorld;
let running: ControllerProcess | undefined;
beforeAll(async () => {
  world = await startGitHub();
});
afterAll(async () => {
  if (running?.child.exitCode === null) await killHard(running);
  await world?.sandbox.close();
  if (world) rmSync(world.workDir, { recursive: true, force: true });
});

describe('scenario: the controller is killed while planning and started again', () => {
  test('GIVEN a plan in progress WHEN the controller is killed with SIGKILL and restarted THEN no check stays in progress, the plan is failed with "controller restarted", a new plan completes and the leftovers are gone', async () => {
    const { sandbox, workDir, serveEnv } = world;
    const first = await startController(serveEnv);
    running = first;
    sandbox.setWebhookUrl(first.webhookUrl);

    // GIVEN a pull request whose plan is synthesizing
    await sandbox.commit('feature/x', { 'environments/README.md': 'feature x\n' }, 'Feature x');
    const pr = await sandbox.openPullRequest({ head: 'feature/x', base: 'dev' });
    await until('the plan check in progress', () => checkRuns(sandbox, 'gitops/plan/dev', pr.headSha)[0]?.status === 'in_progress');
    const jobsDir = join(workDir, 'jobs');
    const [killedJob] = await until(
      'the job directory of the plan',
      () => existsSync(jobsDir) && readdirSync(jobsDir).length > 0 && readdirSync(jobsDir),
    );
    await until('the synth of the head', () => existsSync(join(jobsDir, killedJob, 'head', 'package.json')));

    // WHEN it is killed and started again on the same work directory and store
    await killHard(first);
    expect(checkRuns(sandbox, 'gitops/plan/dev', pr.headSha).map((c) => c.status)).toEqual(['in_progress']);
    expect(readdirSync(jobsDir)).toEqual([killedJob]);
    const second = await startController(serveEnv);
    running = second;
    sandbox.setWebhookUrl(second.webhookUrl);

    // THEN the interrupted check says why, and the re-plan queued at start completes
    const replanDone = (n: number) => () => {
      const runs = checkRuns(sandbox, 'gitops/plan/dev', pr.headSha);
      const policy = checkRuns(sandbox, 'gitops/policy/dev', pr.headSha);
      return runs.length === n && policy.length === n && runs[n - 1].status === 'completed' && policy[n - 1].status === 'completed' && runs;
    };
    const plans = await until('the re-plan to complete', replanDone(2));
    expect(checkRuns(sandbox, 'gitops/policy/dev', pr.headSha)[0]).toMatchObject({
      status: 'completed',
      conclusion: 'cancelled',
      output: { title: 'Stopped: controller restarted; planning again' },
    });
    expect(plans[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(plans[0].output.title).toBe('Stopped: controller restarted; planning again');
    expect(plans[0].history.map((h) => h.status)).toEqual(['in_progress', 'completed']);
    expect(PLAN_DONE).toContain(plans[1].conclusion);
    expect(sandbox.state.checkRuns.filter((c) => c.status !== 'completed')).toEqual([]);

    // and GitHub's redelivery of the delivery the killed controller claimed runs again
    const opened = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened');
    expect((await sandbox.redeliver(opened!.id)).status).toBe(200);
    const replanned = await until('the redelivered plan to complete', replanDone(3));
    expect(PLAN_DONE).toContain(replanned[2].conclusion);

    // the store says what happened; no job directory of the killed plan is left
    const store = new SqliteStore(join(workDir, 'gitops.sqlite'));
    try {
      const ofHead = await store.plansOfHead('acme/infra', pr.number, 'dev', pr.headSha);
      expect(ofHead.map((p) => [p.status, p.reason])).toEqual([
        ['failed', 'controller restarted'],
        ['superseded', null],
        ['planned', null],
      ]);
      expect(await store.abandonedPlans()).toEqual([]);
    } finally {
      store.close();
    }
    expect(existsSync(join(jobsDir, killedJob))).toBe(false);
    const terraformJobs = join(workDir, 'terraform', 'jobs');
    const terraformDirs = existsSync(terraformJobs) ? readdirSync(terraformJobs).flatMap((s) => readdirSync(join(terraformJobs, s))) : [];
    expect(terraformDirs).not.toContain(killedJob);
    expect(sandbox.violations).toEqual([]);

    const exited = new Promise<number | null>((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
