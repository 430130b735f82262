// Scenario: one release all the way to production, then back-sync. release/r → main is open while
// release/r is merged into uat: uat's apply writes the pull request's gitops/approvals/prod check again,
// blocked on the approval alone; approved, it is merged: prod is applied, uat is rebased onto main and
// that push (back-sync's own) is applied too, and dev, which holds a commit that conflicts with the
// release, is left untouched with one sync pull request that brings main in. A person then takes the
// conflicting commit out of dev (a force-push, which applies nothing), a feature is merged into dev, and
// a hotfix into main: uat and dev are rebased onto it and both deployed at their new tips, and the sync
// pull request is closed.
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv } from '../sandbox/git.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(600_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { wanda: 'write' } });
});
afterAll(() => world?.close());

const FILE = 'environments/README.md';
const deploymentsOf = (sandbox: Sandbox, env: string, sha: string) =>
  sandbox.state.deployments.filter((d) => d.environment === env && d.sha === sha);
const lastState = (d: { statuses: { state: string }[] }) => d.statuses.at(-1)?.state;
const approvalsCheck = (sha: string) => checkRuns(world.sandbox, 'gitops/approvals/prod', sha).at(-1)!;

/** A person's `git push --force` of `sha` (a commit main's history holds) to `branch`, over git HTTP. */
async function forcePush(branch: string, sha: string, user = 'developer'): Promise<void> {
  const { sandbox } = world;
  const dir = mkdtempSync(join(tmpdir(), 'scenario-force-push-'));
  try {
    const basic = Buffer.from(`x-access-token:${sandbox.issueToken({ user })}`).toString('base64');
    const run = (...args: string[]) =>
      git(['-C', dir, '-c', `http.extraHeader=Authorization: Basic ${basic}`, ...args], {
        env: gitEnv({ GIT_CONFIG_GLOBAL: '/dev/null' }),
      });
    await run('init', '-q');
    await run('fetch', '-q', sandbox.cloneUrl, 'main');
    await run('push', '-q', '--force', sandbox.cloneUrl, `${sha}:refs/heads/${branch}`);
    await sandbox.idle();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('scenario: release/r from uat to prod, then back-sync', () => {
  let release: { number: number; headSha: string };
  let devStart: string;
  let devBefore: string;
  let syncPr: number;

  test('GIVEN dev holds its own change of a file and release/r → main is open WHEN release/r (changing the same file) is merged into uat THEN uat is applied and its apply writes gitops/approvals/prod again: blocked on the approval alone', async () => {
    const { sandbox } = world;
    devStart = (await sandbox.branchSha('dev'))!;
    await sandbox.commit('dev', { [FILE]: 'a change only dev has\n' }, 'Dev-only change');
    await sandbox.commit('release/r', { [FILE]: 'release r\n' }, 'Release r');
    const intoUat = await sandbox.openPullRequest({ head: 'release/r', base: 'uat' });
    release = await sandbox.openPullRequest({ head: 'release/r', base: 'main' });
    await world.settle();
    expect(approvalsCheck(release.headSha).output.title).toBe('Blocked (prod): ✗ deployed to uat · ✗ approvals · ✓ plan current');
    const checksBefore = checkRuns(sandbox, 'gitops/approvals/prod', release.headSha).length;

    const { sha } = await sandbox.merge(intoUat.number);
    await world.settle();

    expect(deploymentsOf(sandbox, 'uat', sha).map(lastState)).toEqual(['success']);
    // nothing happened on release/r → main itself: the check was written by uat's apply
    expect(checkRuns(sandbox, 'gitops/approvals/prod', release.headSha)).toHaveLength(checksBefore + 1);
    const check = approvalsCheck(release.headSha);
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('Blocked (prod): ✓ deployed to uat · ✗ approvals · ✓ plan current');
    devBefore = (await sandbox.branchSha('dev'))!;
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer approves WHEN the review arrives THEN every gate holds', async () => {
    await world.sandbox.submitReview({ pr: release.number, user: 'wanda', state: 'approved' });
    await world.settle();
    const check = approvalsCheck(release.headSha);
    expect(check.conclusion).toBe('success');
    expect(check.output.title).toBe('Ready to promote (prod): ✓ deployed to uat · ✓ approvals · ✓ plan current');
  });

  test('GIVEN the promotion WHEN merged into main THEN prod is applied, uat is rebased onto main and that push deployed, and dev is untouched with one sync pull request listing the conflict', async () => {
    const { sandbox } = world;
    const { sha } = await sandbox.merge(release.number);
    await world.settle();

    const [prod] = deploymentsOf(sandbox, 'prod', sha);
    expect(prod.productionEnvironment).toBe(true);
    expect(lastState(prod)).toBe('success');
    expect(checkRuns(sandbox, 'gitops/apply/prod', sha)[0]).toMatchObject({ conclusion: 'success' });

    // uat held only the release (and its merge): rebased, it is main itself, and back-sync's push of it is applied
    expect(await sandbox.branchSha('uat')).toBe(sha);
    expect(await sandbox.readFile('uat', FILE)).toBe('release r\n');
    const [uat] = deploymentsOf(sandbox, 'uat', sha);
    expect(uat.description).toBe(`uat at ${sha.slice(0, 7)} (back-sync onto main ${sha.slice(0, 7)})`);
    expect(lastState(uat)).toBe('success');
    expect(checkRuns(sandbox, 'gitops/apply/uat', sha)[0]).toMatchObject({ conclusion: 'success' });
    // dev's own change conflicts with the release: nothing was pushed to dev
    expect(await sandbox.branchSha('dev')).toBe(devBefore);
    const sync = sandbox.state.pulls.filter((p) => p.baseRef === 'dev' && p.headRef === 'sync/dev');
    expect(sync).toHaveLength(1);
    expect(sync[0].labels).toContain('sync-conflict');
    expect(sync[0].body).toContain(FILE);
    expect(await sandbox.branchSha('sync/dev')).toBe(sha);
    syncPr = sync[0].number;
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a person force-pushes dev back to where it started WHEN the push arrives THEN nothing is applied: it is neither a merge nor back-sync’s', async () => {
    const { sandbox } = world;
    await forcePush('dev', devStart);
    await world.settle();
    const [dev] = deploymentsOf(sandbox, 'dev', devStart);
    expect(lastState(dev)).toBe('failure');
    expect(dev.statuses.at(-1)?.description).toContain('is neither the merge commit of a pull request into dev nor a push back-sync made');
  });

  test('GIVEN feature/f planned into dev WHEN merged THEN dev is applied', async () => {
    const { sandbox } = world;
    await sandbox.commit('feature/f', { 'environments/FEATURE.md': 'feature f\n' }, 'Feature f');
    const pr = await sandbox.openPullRequest({ head: 'feature/f', base: 'dev' });
    await world.settle();
    const { sha } = await sandbox.merge(pr.number);
    await world.settle();
    expect(deploymentsOf(sandbox, 'dev', sha).map(lastState)).toEqual(['success']);
  });

  test('GIVEN hotfix/h1 planned into main WHEN merged THEN prod is applied, uat and dev are rebased onto main and each deployed at its new tip, and the sync pull request of dev is closed with a comment', async () => {
    const { sandbox } = world;
    await sandbox.commit('hotfix/h1', { 'environments/HOTFIX.md': 'hotfix h1\n' }, 'Hotfix h1');
    const pr = await sandbox.openPullRequest({ head: 'hotfix/h1', base: 'main' });
    await world.settle();
    const { sha } = await sandbox.merge(pr.number);
    await world.settle();

    expect(deploymentsOf(sandbox, 'prod', sha).map(lastState)).toEqual(['success']);
    expect(await sandbox.branchSha('uat')).toBe(sha);
    expect(deploymentsOf(sandbox, 'uat', sha).map(lastState)).toEqual(['success']);
    // dev keeps its feature on top of main: a tip of its own, deployed
    const dev = (await sandbox.branchSha('dev'))!;
    expect(dev).not.toBe(sha);
    expect(await sandbox.readFile('dev', 'environments/FEATURE.md')).toBe('feature f\n');
    expect(await sandbox.readFile('dev', 'environments/HOTFIX.md')).toBe('hotfix h1\n');
    const [devDeployment] = deploymentsOf(sandbox, 'dev', dev);
    expect(devDeployment.description).toBe(`dev at ${dev.slice(0, 7)} (back-sync onto main ${sha.slice(0, 7)})`);
    expect(lastState(devDeployment)).toBe('success');

    const sync = sandbox.state.pulls.find((p) => p.number === syncPr)!;
    expect(sync.state).toBe('closed');
    expect(botComments(sandbox, syncPr).at(-1)?.body).toContain(
      'back-sync rebased `dev` onto `main` (' + sha.slice(0, 7) + ') and pushed it, so this pull request is no longer needed: closed.',
    );
    expect(sandbox.violations).toEqual([]);
  });
});
