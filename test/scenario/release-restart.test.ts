// Scenario: `gitops serve` as its own process is killed with SIGKILL while terraform applies a merged
// pull request, and started again on the same work directory and store. The apply's check and
// deployment must end failed with "controller restarted", its run be recorded failed, and the dev lock
// be released once the state lock is checked (Terraform's kernel lock died with the killed process, its
// lock info file is left over and removed), so the next merge applies.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateDirOf } from '../../controller/compose.js';
import { checkLocalStateLocks } from '../../controller/runner/state-lock.js';
import { SqliteStore } from '../../controller/store/sqlite-store.js';
import { killHard, startController, until, type ControllerProcess } from './controller-process.js';
import { checkRuns, startGitHub, type GitHubWorld } from './harness.js';

jest.setTimeout(600_000);

let world: GitHubWorld;
let running: ControllerProcess | undefined;
let binDir: string;
beforeAll(async () => {
  world = await startGitHub();
  // The real terraform, behind a wrapper that holds the first apply the way a terraform applying does: the
  // state file locked in the kernel (flock, listed in /proc/locks like terraform's own fcntl lock) and its
  // lock info file written, for two minutes. Later applies and every plan run the real terraform.
  binDir = mkdtempSync(join(tmpdir(), 'gitops-slow-apply-'));
  // pull request plans run the wrapper too, in the sandbox as another uid: it must be able to reach it
  chmodSync(binDir, 0o755);
  const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
  const state = join(stateDirOf(world.workDir), 'release-dev.tfstate');
  const held = join(binDir, 'applying');
  writeFileSync(
    join(binDir, 'terraform'),
    [
      '#!/bin/sh',
      `if [ "$1" = apply ] && [ ! -e '${held}' ]; then`,
      `  echo '{"ID":"scenario","Operation":"OperationTypeApply"}' > '${join(stateDirOf(world.workDir), '.release-dev.tfstate.lock.info')}'`,
      `  exec flock '${state}' sh -c "touch '${held}'; sleep 120"`,
      'fi',
      `exec '${terraform}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(binDir, 'terraform'), 0o755);
});
afterAll(async () => {
  if (running?.child.exitCode === null) await killHard(running);
  await world?.sandbox.close();
  if (world) rmSync(world.workDir, { recursive: true, force: true });
  rmSync(binDir, { recursive: true, force: true });
});

/** `until`, whose timeout error ends with what the running controller logged. */
const waitFor = <T>(what: string, probe: () => T | undefined | false): Promise<T> =>
  until(what, probe).catch((e: Error) => {
    throw new Error(`${e.message}; the controller logged:\n${running?.output().slice(-6000) ?? ''}`);
  });

describe('scenario: the controller is killed while applying and started again', () => {
  test('GIVEN terraform applying a merge to dev WHEN the controller is killed with SIGKILL and restarted THEN the check, deployment and run are failed with "controller restarted", the lock is released once the state lock is free, and the next merge applies', async () => {
    const { sandbox, workDir, serveEnv } = world;
    const stateDir = stateDirOf(workDir);
    const env = {
      ...serveEnv,
      LOG_LEVEL: process.env.SCENARIO_LOG_LEVEL ?? 'info',
      PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    };
    const first = await startController(env);
    running = first;
    sandbox.setWebhookUrl(first.webhookUrl);

    // GIVEN a pull request into dev, merged as soon as its plan check completed, whose apply holds the state lock
    await sandbox.commit('feature/k', { 'environments/README.md': 'feature k\n' }, 'Feature k');
    const pr = await sandbox.openPullRequest({ head: 'feature/k', base: 'dev' });
    await waitFor('the plan of the pull request', () => checkRuns(sandbox, 'gitops/plan/dev', pr.headSha)[0]?.status === 'completed');
    const { sha } = await sandbox.merge(pr.number);
    await waitFor('terraform apply to start', () => existsSync(join(binDir, 'applying')));
    expect(checkRuns(sandbox, 'gitops/apply/dev', sha).map((c) => c.status)).toEqual(['in_progress']);
    expect(checkLocalStateLocks(stateDir, ['release-dev'])).toEqual({ held: ['release-dev'], staleInfoRemoved: [] });

    // WHEN it is killed and started again on the same work directory and store
    await killHard(first);
    const second = await startController(env);
    running = second;
    sandbox.setWebhookUrl(second.webhookUrl);

    // THEN nothing stays in progress
    const [check] = await waitFor('the apply check to be completed', () => {
      const runs = checkRuns(sandbox, 'gitops/apply/dev', sha);
      return runs[0]?.status === 'completed' && runs;
    });
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: 'Apply stopped: controller restarted' } });
    const deployment = await waitFor('the deployment to fail', () => {
      const found = sandbox.state.deployments.find((d) => d.sha === sha && d.environment === 'dev');
      return found?.statuses.at(-1)?.state === 'failure' && found;
    });
    expect(deployment.statuses.map((s) => [s.state, s.description])).toEqual([
      ['queued', 'Waiting for the dev lock'],
      ['in_progress', `Applying ${sha.slice(0, 7)} to dev`],
      ['failure', 'controller restarted'],
    ]);
    const store = new SqliteStore(join(workDir, 'gitops.sqlite'));
    try {
      // recovery releases the lock once it has checked the state lock: shortly after the check is failed
      for (let tries = 0; (await store.listLocks()).length > 0 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 100));
      expect(await store.listLocks()).toEqual([]);
      const runs = await store.listRuns({ environment: 'dev', kind: 'apply' });
      expect(runs.map((r) => [r.stack, r.sha, r.status, r.logTail])).toEqual([
        ['release-dev', sha, 'failed', 'controller restarted while terraform ran'],
      ]);
      expect(await store.abandonedApplies()).toEqual([]);
    } finally {
      store.close();
    }
    // the check found the kernel lock gone with the killed process, and removed the info file it left
    expect(existsSync(join(stateDir, '.release-dev.tfstate.lock.info'))).toBe(false);
    expect(sandbox.state.checkRuns.filter((c) => c.status !== 'completed')).toEqual([]);

    // AND the next merge into dev applies
    await sandbox.commit('feature/l', { 'environments/l.md': 'feature l\n' }, 'Feature l');
    const next = await sandbox.openPullRequest({ head: 'feature/l', base: 'dev' });
    await waitFor(
      'the plan of the next pull request',
      () => checkRuns(sandbox, 'gitops/plan/dev', next.headSha)[0]?.status === 'completed',
    );
    const merged = await sandbox.merge(next.number);
    // the deployment's last status is written after the check's
    const nextDeployment = await waitFor('the next deployment to finish', () => {
      const found = sandbox.state.deployments.find((d) => d.sha === merged.sha && d.environment === 'dev');
      return ['success', 'failure', 'error'].includes(found?.statuses.at(-1)?.state ?? '') && found;
    });
    expect(nextDeployment.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success']);
    expect(checkRuns(sandbox, 'gitops/apply/dev', merged.sha)).toMatchObject([
      { status: 'completed', conclusion: 'success', output: { title: 'Applied 1 stack to dev' } },
    ]);
    expect(sandbox.violations).toEqual([]);

    const exited = new Promise<number | null>((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
