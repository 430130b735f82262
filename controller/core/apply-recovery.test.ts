import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { recoverApplies, type StateLockCheck } from './apply-recovery.js';

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gitops-apply-recovery-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An apply a killed controller ("dead") left running: check, deployment, held lock ticket, one running run. */
async function leftRunning(file: string) {
  const dead = new SqliteStore(file, { controllerId: 'dead' });
  const gh = new FakeGitHub();
  const session = sessionOf(gh);
  const checkRunId = await gh.createCheckRun({
    name: 'gitops/apply/dev',
    headSha: sha('c'),
    status: 'in_progress',
    title: 't',
    summary: 's',
  });
  const deploymentId = await session.deployments.createDeployment({
    sha: sha('c'),
    environment: 'dev',
    description: 'd',
    production: false,
  });
  const applyId = await dead.saveApply({
    repo: 'acme/infra',
    environment: 'dev',
    sha: sha('c'),
    baseSha: sha('b'),
    pr: 7,
    installationId: 1,
  });
  const lock = await dead.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#7', pr: 7, leaseMs: 60_000 });
  const waiter = await dead.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#8', pr: 8, leaseMs: 60_000 });
  await dead.linkApply(applyId, { checkRunId, deploymentId, lockId: lock.ticket.id });
  await dead.updateApply(applyId, { status: 'running' });
  const runId = await dead.recordRun({
    repo: 'acme/infra',
    kind: 'apply',
    environment: 'dev',
    stack: 'release-dev',
    sha: sha('c'),
    applyId,
  });
  dead.close();
  return { gh, session, applyId, runId, lock, waiter };
}

describe('recoverApplies', () => {
  test('GIVEN an apply a killed controller left WHEN the next one starts and the state lock is free THEN the run, apply, check and deployment fail with "controller restarted" and the lock is released', async () => {
    const path = join(dir, 'gitops.sqlite');
    const { gh, session, applyId, runId, lock } = await leftRunning(path);
    const store = new SqliteStore(path, { controllerId: 'next' });
    const checked: string[][] = [];
    const stateLocks: StateLockCheck = async (env, stacks) => (checked.push([env, ...stacks]), { held: [] });
    const result = await recoverApplies({ store, sessionFor: async () => session, stateLocks, log });
    expect(result.applies).toEqual([applyId]);
    expect(result.released.map((t) => t.id)).toContain(lock.ticket.id);
    expect(checked).toEqual([['dev', 'release-dev']]);
    expect(gh.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure', title: 'Apply stopped: controller restarted' });
    expect(session.deployments.deployments[0].statuses).toEqual([{ state: 'failure', description: 'controller restarted' }]);
    expect(await store.getApply(applyId)).toMatchObject({ status: 'failed', reason: 'controller restarted' });
    expect((await store.listRuns()).find((r) => r.id === runId)).toMatchObject({ status: 'failed' });
    expect(await store.listLocks()).toEqual([]);
    store.close();
  });

  test("GIVEN terraform's state lock still held WHEN the next controller starts THEN the environment lock is kept (waiting tickets are still dropped)", async () => {
    const path = join(dir, 'gitops.sqlite');
    const { session, lock, waiter } = await leftRunning(path);
    const store = new SqliteStore(path, { controllerId: 'next' });
    const result = await recoverApplies({
      store,
      sessionFor: async () => session,
      stateLocks: async () => ({ held: ['release-dev'] }),
      log,
    });
    expect(result.kept).toEqual([{ ticket: expect.objectContaining({ id: lock.ticket.id }), stacks: ['release-dev'] }]);
    expect(result.released.map((t) => t.id)).toEqual([waiter.ticket.id]);
    expect((await store.listLocks()).map((t) => t.id)).toEqual([lock.ticket.id]);
    store.close();
  });
});
