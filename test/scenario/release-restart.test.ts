// Scenario: `gitops serve` as its own process is killed with SIGKILL while terraform applies a merged
// pull request, and started again on the same work directory and store. The apply's check and
// deployment must end failed with "controller restarted", its run be recorded failed, and the dev lock
// be released (Terraform's state lock, checked first, died with the killed terraform), so the next
// merge applies.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../controller/store/sqlite-store.js';
import { killHard, startController, until, type ControllerProcess } from './controller-process.js';
import { checkRuns, startGitHub, type GitHubWorld } from './harness.js';

jest.setTimeout(600_000);

let world: GitHubWorld;
let running: ControllerProcess | undefined;
let binDir: string;
beforeAll(async () => {
  world = await startGitHub();
  // the real terraform, behind a wrapper that marks when an apply starts and holds it there for a minute
  binDir = mkdtempSync(join(tmpdir(), 'gitops-slow-apply-'));
  // pull request plans run terraform in the sandbox, as another uid: it must be able to reach the wrapper
  chmodSync(binDir, 0o755);
  const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(binDir, 'terraform'),
    `#!/bin/sh\nif [ "$1" = apply ]; then touch '${join(binDir, 'applying')}'; sleep 60; fi\nexec '${terraform}' "$@"\n`,
  );
  chmodSync(join(binDir, 'terraform'), 0o755);
});
afterAll(async () => {
  if (running?.child.exitCode === null) await killHard(running);
  await world?.sandbox.close();
  if (world) rmSync(world.workDir, { recursive: true, force: true });
  rmSync(binDir, { recursive: true, force: true });
});

describe('scenario: the controller is killed while applying and started again', () => {
  // Skipped, known broken: since pull request plans run terraform in the sandbox, the wrapper on PATH is also
  // what the sandboxed plan runs, and the plan of the pull request does not complete there, so no apply starts
  // (it timed out after 334 s). Open in issue 11: make the wrapper reach only the host's apply, then unskip.
  test.skip('GIVEN terraform applying a merge to dev WHEN the controller is killed with SIGKILL and restarted THEN the check, deployment and run are failed with "controller restarted" and no lock is left', async () => {
    const { sandbox, workDir, serveEnv } = world;
    const env = { ...serveEnv, PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const first = await startController(env);
    running = first;
    sandbox.setWebhookUrl(first.webhookUrl);

    // GIVEN a planned pull request into dev, merged, whose apply is running
    await sandbox.commit('feature/k', { 'environments/README.md': 'feature k\n' }, 'Feature k');
    const pr = await sandbox.openPullRequest({ head: 'feature/k', base: 'dev' });
    await until('the plan of the pull request', () => checkRuns(sandbox, 'gitops/plan/dev', pr.headSha)[0]?.status === 'completed');
    const { sha } = await sandbox.merge(pr.number);
    await until('terraform apply to start', () => existsSync(join(binDir, 'applying')));
    expect(checkRuns(sandbox, 'gitops/apply/dev', sha).map((c) => c.status)).toEqual(['in_progress']);

    // WHEN it is killed and started again on the same work directory and store
    await killHard(first);
    const second = await startController(env);
    running = second;
    sandbox.setWebhookUrl(second.webhookUrl);

    // THEN nothing stays in progress, and the lock is free
    const [check] = await until('the apply check to be completed', () => {
      const runs = checkRuns(sandbox, 'gitops/apply/dev', sha);
      return runs[0]?.status === 'completed' && runs;
    });
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: 'Apply stopped: controller restarted' } });
    const deployment = await until('the deployment to fail', () => {
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
    expect(existsSync(join(workDir, 'terraform', 'state', '.release-dev.tfstate.lock.info'))).toBe(false);
    expect(sandbox.state.checkRuns.filter((c) => c.status !== 'completed')).toEqual([]);
    expect(sandbox.violations).toEqual([]);

    const exited = new Promise<number | null>((r) => second.child.once('exit', r));
    second.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
