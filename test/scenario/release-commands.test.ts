// Scenario: the comment commands of applies. dev's CODEOWNERS names wanda as the owner of dev.yaml, so
// she is dev's approver; the developer has write permission but owns nothing. After a merge whose
// re-plan differed from the reviewed plan, the developer's `/apply` is refused and wanda's applies the
// merged commit. A lock left held (a stopped controller's apply whose terraform still held the state)
// keeps the next merge waiting: the developer's `/unlock` is refused and changes nothing, wanda's
// releases it and the waiting merge applies.
import { jest } from '@jest/globals';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { until } from './controller-process.js';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(600_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { wanda: 'write' } });
  const codeowners = (await world.sandbox.readFile('dev', 'CODEOWNERS')) ?? '';
  await world.sandbox.commit('dev', { CODEOWNERS: `${codeowners}/environments/dev.yaml    @wanda\n` }, 'wanda owns dev.yaml');
  await world.settle();
});
afterAll(async () => {
  // a test that failed while an apply waited for a lock would otherwise keep close() waiting for it
  for (const ticket of (await world?.server.runtime.store.listLocks()) ?? []) await world.server.runtime.store.releaseLock(ticket.id);
  await world?.close();
});

const statePath = () => join(world.workDir, 'terraform', 'state', 'release-dev.tfstate');
/** The commit release-dev's state records (terraform_data input). */
function deployedCommit(): string | undefined {
  if (!existsSync(statePath())) return undefined;
  return /"commit_sha":\s*"([0-9a-f]{40})"/.exec(readFileSync(statePath(), 'utf8'))?.[1];
}
const deploymentsOf = (sha: string) => world.sandbox.state.deployments.filter((d) => d.environment === 'dev' && d.sha === sha);
const states = (d: { statuses: { state: string }[] }) => d.statuses.map((s) => s.state);
const applyChecks = (sha: string) => checkRuns(world.sandbox, 'gitops/apply/dev', sha).map((c) => [c.status, c.conclusion]);

/** Opens a pull request into dev from a new branch with one changed file and waits for its plan. */
async function planned(branch: string, file: string) {
  await world.sandbox.commit(branch, { [file]: `${branch}\n` }, `Change ${file} on ${branch}`);
  const pr = await world.sandbox.openPullRequest({ head: branch, base: 'dev' });
  await world.settle();
  return pr;
}

/** Comments `body` as `user` and waits for the controller's reply that mentions them. */
async function command(pr: number, user: string, body: string): Promise<string> {
  const before = botComments(world.sandbox, pr).length;
  await world.sandbox.addComment({ pr, user, body });
  const reply = await until(`the reply to ${user}'s ${body}`, () =>
    botComments(world.sandbox, pr)
      .slice(before)
      .find((c) => c.body.startsWith(`@${user} `)),
  );
  return reply.body;
}

describe('scenario: /apply and /unlock need an approver of the environment', () => {
  test('GIVEN a merge whose re-plan differed from the reviewed plan WHEN a non-approver comments /apply THEN it is refused and nothing runs; WHEN the approver does THEN the merged commit is applied', async () => {
    const { sandbox } = world;
    // GIVEN dev applied once, then a pull request reviewed against that state, which is gone before the merge
    const first = await planned('feature/a', 'environments/a.md');
    await sandbox.merge(first.number);
    await world.settle();
    const pr = await planned('feature/d', 'environments/d.md');
    const kept = `${statePath()}.kept`;
    copyFileSync(statePath(), kept);
    rmSync(statePath());
    const { sha } = await sandbox.merge(pr.number);
    await world.settle();
    expect(deploymentsOf(sha).map(states)).toEqual([['queued', 'in_progress', 'failure']]);
    expect(applyChecks(sha)).toEqual([['completed', 'failure']]);

    // WHEN the developer (write permission, no owner of dev.yaml) comments /apply
    expect(await command(pr.number, 'developer', '/apply')).toContain('`/apply` needs an approver of <code>dev</code>');
    await world.settle();
    // THEN nothing ran
    expect(applyChecks(sha)).toEqual([['completed', 'failure']]);
    expect(existsSync(statePath())).toBe(false);

    // WHEN wanda, dev's approver, does
    expect(await command(pr.number, 'wanda', '/apply')).toBe(
      `@wanda queued the apply of <code>${sha.slice(0, 7)}</code> to <code>dev</code>; the deployment says how it went.`,
    );
    await world.settle();
    // THEN the merged commit's plan, the one shown on the pull request, is applied
    expect(applyChecks(sha)).toEqual([
      ['completed', 'failure'],
      ['completed', 'success'],
    ]);
    expect(deploymentsOf(sha).map(states).at(-1)?.at(-1)).toBe('success');
    expect(deployedCommit()).toBe(sha);
    const runs = await world.server.runtime.store.listRuns({ environment: 'dev', kind: 'apply' });
    expect(runs.filter((r) => r.sha === sha).map((r) => [r.stack, r.status])).toEqual([['release-dev', 'succeeded']]);
    expect(await world.server.runtime.store.listLocks()).toEqual([]);
    rmSync(kept);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a stuck dev lock and a merge waiting for it WHEN a non-approver comments /unlock THEN it is refused and the lock stays; WHEN the approver does THEN the lock is released and the merge applies', async () => {
    const { sandbox, server } = world;
    const { store } = server.runtime;
    // GIVEN the lock held by an apply whose lease ran out: it stays held until an approver releases it
    const stuck = await store.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra@0badc0d', leaseMs: 1 });
    expect(stuck.acquired).toBe(true);
    const pr = await planned('feature/e', 'environments/e.md');
    const { sha } = await sandbox.merge(pr.number);
    const [waiting] = await until('the apply to wait for the lock', () => {
      const found = deploymentsOf(sha);
      return found[0]?.statuses.at(-1)?.state === 'queued' && found;
    });
    expect(waiting.statuses.at(-1)?.description).toBe('Waiting for the dev lock');

    // WHEN the developer comments /unlock
    expect(await command(pr.number, 'developer', '/unlock')).toContain('`/unlock` needs an approver of <code>dev</code>');
    // THEN the lock is still the stuck one's, and the merge still waits
    expect((await store.getLock('acme/infra', 'dev'))?.id).toBe(stuck.ticket.id);
    expect(states(deploymentsOf(sha)[0])).toEqual(['queued']);

    // WHEN wanda does
    expect(await command(pr.number, 'wanda', '/unlock')).toBe(
      '@wanda released the <code>dev</code> lock held by <code>acme/infra@0badc0d</code>.',
    );
    await world.settle();
    // THEN the waiting merge took the lock and applied
    expect(states(deploymentsOf(sha)[0])).toEqual(['queued', 'in_progress', 'success']);
    expect(applyChecks(sha)).toEqual([['completed', 'success']]);
    expect(deployedCommit()).toBe(sha);
    expect(await store.listLocks()).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  });
});
