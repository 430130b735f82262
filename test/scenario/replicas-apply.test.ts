// Scenario: applies through two `gitops serve` replicas on one PostgreSQL database, sharing one Terraform
// state directory (as replicas share a remote backend). Two merges into dev at once, one through each
// replica, are applied one after the other; a replica killed with SIGKILL while terraform applies has its
// apply failed and its dev lock released by the other replica once its lease has run out, and the next
// merge applies.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateDirOf } from '../../controller/compose.js';
import pg from 'pg';
import { PostgresStore } from '../../controller/store/postgres-store.js';
import { killHard, until, type ControllerProcess } from './controller-process.js';
import { checkRuns, deployedCommit, type GitHubWorld } from './harness.js';
import { replicaIdOf, startReplicaWorld, type ReplicaWorld } from './replica-world.js';

jest.setTimeout(600_000);

/**
 * The replicas' lease. Short, so that the killed replica's work is taken over within seconds; long enough
 * that a replica busy planning on a loaded machine still renews in time (with 3 s, replicas took over
 * each other's running plans).
 */
const LEASE_MS = 5000;
/** How long every terraform apply takes at least, so that two applies not held apart would overlap. */
const APPLY_SECONDS = 2;

let replicaWorld: ReplicaWorld;
let world: GitHubWorld;
let replicas: readonly ControllerProcess[];
let store: PostgresStore;
let binDir: string;
/** Present: the next terraform apply holds the state lock for two minutes instead of applying. */
let holdNextApply: string;
/** `start <ns>` and `end <ns>` of every terraform apply that ran, in the order they happened. */
let applyLog: string;

beforeAll(async () => {
  // The real terraform behind a wrapper: every apply logs when it starts and ends and takes APPLY_SECONDS
  // longer; while `hold` exists the next apply instead holds the state file locked in the kernel (flock,
  // as terraform's fcntl lock) with its lock info file written, as a terraform applying does.
  binDir = mkdtempSync(join(tmpdir(), 'gitops-replica-apply-'));
  // pull request plans run the wrapper too, in the sandbox as another uid: it must be able to reach it
  chmodSync(binDir, 0o755);
  holdNextApply = join(binDir, 'hold');
  applyLog = join(binDir, 'applies.log');
  replicaWorld = await startReplicaWorld({
    env: { LOG_LEVEL: 'info', GITOPS_REPLICA_LEASE_MS: String(LEASE_MS), PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    sharedState: true,
  });
  ({ world, replicas } = replicaWorld);
  const terraform = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
  const stateDir = stateDirOf(world.workDir);
  writeFileSync(
    join(binDir, 'terraform'),
    [
      '#!/bin/sh',
      'if [ "$1" = apply ]; then',
      `  if [ -e '${holdNextApply}' ]; then`,
      `    rm -f '${holdNextApply}'`,
      `    echo '{"ID":"scenario","Operation":"OperationTypeApply"}' > '${join(stateDir, '.release-dev.tfstate.lock.info')}'`,
      `    exec flock '${join(stateDir, 'release-dev.tfstate')}' sh -c "touch '${join(binDir, 'applying')}'; sleep 120"`,
      '  fi',
      `  echo "start $(date +%s%N)" >> '${applyLog}'`,
      `  sleep ${APPLY_SECONDS}`,
      `  '${terraform}' "$@"`,
      '  status=$?',
      `  echo "end $(date +%s%N)" >> '${applyLog}'`,
      '  exit $status',
      'fi',
      `exec '${terraform}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(join(binDir, 'terraform'), 0o755);
  store = await PostgresStore.open(replicaWorld.database.url, { replica: false });
}, 300_000);

afterAll(async () => {
  await store?.close();
  await replicaWorld?.close();
  if (binDir) rmSync(binDir, { recursive: true, force: true });
});

/** `until`, whose timeout error ends with what the replicas logged. */
const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> =>
  until(what, probe).catch((e: Error) => {
    const logs = replicas.map((r, i) => `replica ${i}:\n${r.output().slice(-4000)}`).join('\n');
    throw new Error(`${e.message}; the replicas logged:\n${logs}`);
  });

/** A pull request into dev adding `file`. */
async function pullRequest(branch: string, file: string): Promise<{ number: number; headSha: string }> {
  await world.sandbox.commit(branch, { [file]: `${branch}\n` }, `Add ${file}`);
  return world.sandbox.openPullRequest({ head: branch, base: 'dev' });
}

/** Resolves once the pull request's plan check has completed. */
const planned = (pr: { number: number; headSha: string }) =>
  waitFor(`the plan of #${pr.number}`, () => checkRuns(world.sandbox, 'gitops/plan/dev', pr.headSha)[0]?.status === 'completed');

/** The dev deployment of `sha` once its last status is final. */
const finishedDeployment = (sha: string) =>
  waitFor(`the deployment of ${sha.slice(0, 7)} to finish`, () => {
    const found = world.sandbox.state.deployments.find((d) => d.sha === sha && d.environment === 'dev');
    return ['success', 'failure', 'error'].includes(found?.statuses.at(-1)?.state ?? '') && found;
  });

/** Resolves once the dev lock queue is `expected` (commit, state, owner replica per ticket, first come first). */
async function queueIs(what: string, expected: readonly (readonly [string, string, string])[]): Promise<void> {
  const deadline = Date.now() + 300_000;
  let queue: (string | null)[][] = [];
  while (Date.now() < deadline) {
    queue = (await store.listLocks()).filter((l) => l.environment === 'dev').map((l) => [l.sha, l.state, l.owner]);
    if (JSON.stringify(queue) === JSON.stringify(expected)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: the dev lock queue is ${JSON.stringify(queue)}`);
}

/** The dev lock's holder (a replica id) once the dev lock queue is that one commit's, held. */
async function heldBy(what: string, sha: string): Promise<string> {
  let queue: (string | null)[][] = [];
  return waitFor(what, async () => {
    queue = (await store.listLocks()).filter((l) => l.environment === 'dev').map((l) => [l.sha, l.state, l.owner]);
    const [only] = queue;
    return queue.length === 1 && only[0] === sha && only[1] === 'held' && (only[2] ?? false);
  }).catch((e: Error) => {
    throw new Error(`${e.message}; the dev lock queue was ${JSON.stringify(queue)}`);
  });
}

/** Resolves once the shared jobs of the dev branch are `expected` (label, state, replica that accepted it). */
async function devJobsAre(what: string, expected: readonly (readonly [string, string, string])[]): Promise<void> {
  const client = new pg.Client({ connectionString: replicaWorld.database.url });
  await client.connect();
  try {
    let jobs: string[][] = [];
    await waitFor(what, async () => {
      const { rows } = await client.query<{ label: string; state: string; accepted_by: string }>(
        "SELECT label, state, accepted_by FROM jobs WHERE key LIKE '%:branch:dev' ORDER BY id",
      );
      jobs = rows.map((r) => [r.label, r.state, r.accepted_by]);
      return JSON.stringify(jobs) === JSON.stringify(expected);
    }).catch((e: Error) => {
      throw new Error(`${e.message}; the dev branch's jobs were ${JSON.stringify(jobs)}`);
    });
  } finally {
    await client.end();
  }
}

const applyLogLines = () => (existsSync(applyLog) ? readFileSync(applyLog, 'utf8').trim().split('\n') : []);

describe('scenario: applies through two controller replicas on one PostgreSQL database', () => {
  test('GIVEN terraform applying a merge to dev in one replica WHEN that replica is killed with SIGKILL THEN the other one fails the check, deployment and run with "controller restarted" and releases the lock once the lease has run out, and the next merge applies', async () => {
    const { sandbox } = world;
    const [killed, survivor] = replicas;
    const stateDir = stateDirOf(world.workDir);
    // (the next pull request is planned now too: its plan, on a dev applied by nobody yet, stays what it applies)
    const pr = await pullRequest('feature/k', 'environments/k.md');
    const next = await pullRequest('feature/l', 'environments/l.md');
    await Promise.all([planned(pr), planned(next)]);

    // GIVEN the merge's apply in the first replica, holding terraform's state lock
    writeFileSync(holdNextApply, '');
    replicaWorld.balancer.pin(killed.webhookUrl);
    const { sha } = await sandbox.merge(pr.number);
    replicaWorld.balancer.pin(undefined);
    await waitFor('terraform apply to start', () => existsSync(join(binDir, 'applying')));
    expect(checkRuns(sandbox, 'gitops/apply/dev', sha).map((c) => c.status)).toEqual(['in_progress']);
    expect((await store.listLocks()).map((l) => [l.environment, l.state, l.owner])).toEqual([['dev', 'held', replicaIdOf(killed)]]);

    // WHEN it is killed; the balancer sends webhooks to the replica left
    await killHard(killed);
    const killedAt = Date.now();

    // THEN the other replica fails the apply once the killed one's lease has run out (renewed a third of it before at most)
    const [check] = await waitFor('the apply check to be completed', () => {
      const found = checkRuns(sandbox, 'gitops/apply/dev', sha);
      return found[0]?.status === 'completed' && found;
    });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual((LEASE_MS * 2) / 3);
    expect(check).toMatchObject({ conclusion: 'failure', output: { title: 'Apply stopped: controller restarted' } });
    const deployment = await finishedDeployment(sha);
    expect(deployment.statuses.map((s) => [s.state, s.description])).toEqual([
      ['queued', 'Waiting for the dev lock'],
      ['in_progress', `Applying ${sha.slice(0, 7)} to dev`],
      ['failure', 'controller restarted'],
    ]);
    // (logged once the apply is recorded failed, after the check and deployment)
    await waitFor('the other replica to log the recovery', () =>
      survivor.output().includes('"msg":"abandoned apply failed: controller restarted"'),
    );
    // it releases the lock once it has checked the state lock: shortly after the check is failed
    for (let tries = 0; (await store.listLocks()).length > 0 && tries < 100; tries++) await new Promise((r) => setTimeout(r, 100));
    expect(await store.listLocks()).toEqual([]);
    const runs = await store.listRuns({ environment: 'dev', kind: 'apply', sha });
    expect(runs.map((r) => [r.stack, r.status, r.logTail, r.startedBy])).toEqual([
      ['release-dev', 'failed', 'controller restarted while terraform ran', replicaIdOf(killed)],
    ]);
    // the check found the kernel lock gone with the killed replica's terraform, and removed the info file it left
    expect(existsSync(join(stateDir, '.release-dev.tfstate.lock.info'))).toBe(false);
    expect(sandbox.state.checkRuns.filter((c) => c.status !== 'completed')).toEqual([]);

    // AND the next merge into dev applies, through the replica left
    const merged = await sandbox.merge(next.number);
    const nextDeployment = await finishedDeployment(merged.sha);
    expect(nextDeployment.statuses.map((s) => s.state)).toEqual(['queued', 'in_progress', 'success']);
    expect(checkRuns(sandbox, 'gitops/apply/dev', merged.sha)).toMatchObject([
      { status: 'completed', conclusion: 'success', output: { title: 'Applied 1 stack to dev' } },
    ]);
    expect((await store.listRuns({ environment: 'dev', kind: 'apply', sha: merged.sha })).map((r) => [r.status, r.startedBy])).toEqual([
      ['succeeded', replicaIdOf(survivor)],
    ]);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN two pull requests into dev WHEN they are merged at once, one through each replica THEN both are applied, one after the other, and both deployments succeed', async () => {
    const { sandbox } = world;
    // GIVEN both replicas running (the one killed above started again) and dev applied before: a first apply
    // creates the release stack's resource, so a plan reviewed before it would differ from its re-plan after
    if (replicas[0].child.signalCode !== null) await replicaWorld.restart(0);
    expect(deployedCommit(world.workDir, 'dev')).toBeDefined();
    const appliesBefore = applyLogLines().length;
    const a = await pullRequest('feature/a', 'environments/a.md');
    const b = await pullRequest('feature/b', 'environments/b.md');
    await Promise.all([planned(a), planned(b)]);

    // WHEN the push of each merge reaches a different replica, the second while the first one's apply holds the dev lock
    const [first, second] = replicas.map(replicaIdOf);
    replicaWorld.balancer.pin(replicas[0].webhookUrl);
    const mergedA = await sandbox.merge(a.number);
    const holder = await heldBy('the first merge to hold the dev lock', mergedA.sha);
    replicaWorld.balancer.pin(replicas[1].webhookUrl);
    const mergedB = await sandbox.merge(b.number);
    replicaWorld.balancer.pin(undefined);
    // THEN the second push's job, accepted by the other replica, waits in the database behind the first one's (the
    // jobs of one branch run one at a time, across replicas), and nothing of it queued for the lock yet
    await devJobsAre('the second merge to wait behind the first', [
      [`push of ${mergedA.sha.slice(0, 7)} to dev`, 'running', first],
      [`push of ${mergedB.sha.slice(0, 7)} to dev`, 'pending', second],
    ]);
    await queueIs('the dev lock to be the first merge’s alone', [[mergedA.sha, 'held', holder]]);

    // AND both deployments succeed
    const deployments = await Promise.all([finishedDeployment(mergedA.sha), finishedDeployment(mergedB.sha)]);
    for (const sha of [mergedA.sha, mergedB.sha]) {
      expect(checkRuns(sandbox, 'gitops/apply/dev', sha)).toMatchObject([
        { status: 'completed', conclusion: 'success', output: { title: 'Applied 1 stack to dev' } },
      ]);
    }
    // (GitHub marks an environment's earlier successful deployment inactive once a later one succeeds)
    expect(deployments.map((d) => d.statuses.map((st) => st.state))).toEqual([
      ['queued', 'in_progress', 'success', 'inactive'],
      ['queued', 'in_progress', 'success'],
    ]);
    // AND terraform applied them one after the other: each apply ended before the next one started
    expect(
      applyLogLines()
        .slice(appliesBefore)
        .map((line) => line.split(' ')[0]),
    ).toEqual(['start', 'end', 'start', 'end']);
    // AND the store's runs say the same: one by each replica, the later one started after the earlier one finished
    const runs = [
      ...(await store.listRuns({ environment: 'dev', kind: 'apply', sha: mergedA.sha })),
      ...(await store.listRuns({ environment: 'dev', kind: 'apply', sha: mergedB.sha })),
    ];
    expect(runs.map((r) => [r.sha, r.status])).toEqual([
      [mergedA.sha, 'succeeded'],
      [mergedB.sha, 'succeeded'],
    ]);
    expect(runs[0].startedBy).toBe(holder);
    expect([first, second]).toContain(runs[1].startedBy);
    expect(Date.parse(runs[1].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[0].finishedAt!));
    expect(await store.listLocks()).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });
});
