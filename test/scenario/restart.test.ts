// Scenario: `gitops serve` as its own process is killed with SIGKILL while it plans a pull request,
// and started again on the same work directory and store. Nothing may stay in progress on GitHub, the
// interrupted plan is recorded as failed, a new plan runs, GitHub's redelivery of the interrupted
// delivery runs, and no job directory of the killed process is left.
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../controller/store/sqlite-store.js';
import { checkRuns, PROJECT_ROOT, startGitHub, type GitHubWorld } from './harness.js';

jest.setTimeout(600_000);

const PLAN_DONE = ['success', 'neutral'];

interface ControllerProcess {
  readonly child: ChildProcess;
  readonly webhookUrl: string;
  /** Everything it printed, for the failure message. */
  readonly output: () => string;
}

/** `gitops serve` in a child process, configured by environment variables as an operator would. */
function startController(env: Record<string, string>): Promise<ControllerProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'gitops.mjs'), 'serve'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // a process group of its own, so that killing it and its children can never reach this test's group
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const url = /gitops controller listening on (\S+)/.exec(out)?.[1];
      if (!url) return;
      child.stdout.off('data', onData);
      resolve({ child, webhookUrl: url, output: () => out });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gitops serve exited with ${code} before listening:\n${out}`)));
  });
}

/** pid, parent and process group of every process (Linux /proc). */
function processTable(): { pid: number; ppid: number; pgid: number }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so read after the last ')'
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid) }];
      } catch {
        return [];
      }
    });
}

/** Process ids and groups of every descendant of `pid`. */
function descendants(pid: number): { pid: number; pgid: number }[] {
  const stats = processTable();
  const found: { pid: number; pgid: number }[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of stats) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push({ pid: p.pid, pgid: p.pgid });
        grew = true;
      }
    }
  }
  return found;
}

/**
 * SIGKILL to the controller, then to the process groups of its children (synth runs in groups of
 * its own): the controller and everything it started die at once, as when the machine or container
 * goes down.
 */
async function killHard(controller: ControllerProcess): Promise<void> {
  const pid = controller.child.pid!;
  const ownGroup = processTable().find((p) => p.pid === process.pid)?.pgid;
  const children = descendants(pid);
  const exited = new Promise((r) => controller.child.once('exit', r));
  process.kill(pid, 'SIGKILL');
  for (const pgid of new Set([pid, ...children.map((c) => c.pgid)])) {
    if (pgid === ownGroup) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
  await exited;
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
