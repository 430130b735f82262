import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironmentFiles } from '../../environments/config.js';
import { readEnvironmentFiles } from '../../environments/load.js';
import { FakeGitHub } from '../../test/doubles/fake-github.js';
import { FakeSyncRequests } from '../../test/doubles/fake-sync-requests.js';
import { GitHistory } from '../../test/fixtures/git-history.js';
import { backSync as gitBackSync } from '../release/back-sync.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { reviewersOf, SYNC_CONFLICT_LABEL, SYNC_MARKER, syncAfterTrunkMoved, type BackSyncStepDeps } from './back-sync-step.js';
import type { BackSync, BackSyncOptions, BackSyncReport, BranchSync } from './ports/back-sync.js';

const environments = validateEnvironmentFiles(
  readEnvironmentFiles(new URL('../../environments', import.meta.url).pathname),
).environments.map((e) => e.environment);
const MAIN = 'a'.repeat(40);
const UAT = 'b'.repeat(40);
const DEV = 'c'.repeat(40);
const CODEOWNERS = '* @acme/platform\n/modules/ @alice\n/docs/ ops@example.com\n';

function branch(b: string, outcome: BranchSync['outcome'], tip: string, conflicts: string[] = []): BranchSync {
  return { branch: b, outcome, before: tip, after: tip, conflicts, message: `${b} ${outcome}` };
}

interface Logged {
  readonly level: string;
  readonly obj: object;
  readonly msg?: string;
}

function deps(report: BackSyncReport | Error, requests = new FakeSyncRequests()) {
  const calls: BackSyncOptions[] = [];
  const logged: Logged[] = [];
  const backSync: BackSync = async (opts) => {
    calls.push(opts);
    if (report instanceof Error) throw report;
    return report;
  };
  const github = new FakeGitHub().setFile(MAIN, '.github/CODEOWNERS', CODEOWNERS);
  const log = {
    info: (obj: object, msg?: string) => logged.push({ level: 'info', obj, msg }),
    warn: (obj: object, msg?: string) => logged.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => logged.push({ level: 'error', obj, msg }),
  };
  const d: BackSyncStepDeps = { backSync, requests, github, log };
  return { d, calls, logged, requests };
}

const moved = { repo: 'https://github.example/acme/infra.git', authToken: 'ghs_x', branch: 'main', environments };

describe('syncAfterTrunkMoved', () => {
  test('GIVEN main moved and dev conflicts in two files WHEN run THEN uat and dev are synced in the files order, and one labelled pull request sync/dev → dev lists the files and asks their owners', async () => {
    const { d, calls, requests, logged } = deps({
      trunk: 'main',
      trunkSha: MAIN,
      dryRun: false,
      branches: [branch('uat', 'synced', UAT), branch('dev', 'conflict', DEV, ['modules/a.ts', 'README.md'])],
    });

    const result = await syncAfterTrunkMoved(d, moved);

    expect(calls).toEqual([{ repo: moved.repo, authToken: 'ghs_x', trunk: 'main', branches: ['uat', 'dev'] }]);
    expect(result.pullRequests).toEqual([{ branch: 'dev', number: 1, action: 'opened', syncBranch: 'created', refusedReviewers: [] }]);
    expect(result.failures).toEqual([]);
    expect(requests.branches.get('sync/dev')).toBe(MAIN);
    const [pr] = requests.pulls;
    expect(pr).toMatchObject({ head: 'sync/dev', base: 'dev', title: 'Sync main into dev', labels: [SYNC_CONFLICT_LABEL] });
    expect(pr.reviewers.sort()).toEqual(['@acme/platform', '@alice']);
    expect(pr.body.startsWith(SYNC_MARKER)).toBe(true);
    expect(pr.body).toContain('Conflicting files:\n- `modules/a.ts`\n- `README.md`');
    expect(pr.body).toContain('rebasing `dev` onto it conflicts, so back-sync aborted the rebase and pushed nothing to `dev`');
    expect(logged.map((l) => [l.level, l.msg])).toEqual([
      ['info', 'uat synced'],
      ['warn', 'dev conflict'],
    ]);
  });

  test('GIVEN an open sync pull request whose branch someone resolved WHEN dev conflicts again THEN the same pull request is updated, its branch kept, and the body says so', async () => {
    const requests = new FakeSyncRequests();
    requests.branches.set('sync/dev', 'd'.repeat(40));
    requests.withCommitsOnTop.add('sync/dev');
    await requests.createPullRequest({ head: 'sync/dev', base: 'dev', title: 'old', body: 'old' });
    const { d } = deps(
      { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('dev', 'conflict', DEV, ['docs/x.md'])] },
      requests,
    );

    const result = await syncAfterTrunkMoved(d, moved);

    expect(result.pullRequests).toEqual([{ branch: 'dev', number: 1, action: 'updated', syncBranch: 'diverged', refusedReviewers: [] }]);
    expect(requests.pulls).toHaveLength(1);
    expect(requests.branches.get('sync/dev')).toBe('d'.repeat(40));
    expect(requests.pulls[0].body).toContain('`sync/dev` holds commits someone added, so it was not moved to `main`');
    expect(requests.pulls[0].body).toContain('- `docs/x.md`');
    expect(requests.pulls[0].labels).toEqual([SYNC_CONFLICT_LABEL]);
  });

  test('GIVEN uat lost its lease on every attempt WHEN run THEN it gets a sync pull request too, saying why, without files', async () => {
    const { d, requests } = deps({ trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('uat', 'lease-lost', UAT)] });
    const result = await syncAfterTrunkMoved(d, moved);
    expect(result.pullRequests.map((p) => [p.branch, p.action])).toEqual([['uat', 'opened']]);
    expect(requests.pulls[0].body).toContain('`uat` kept moving while back-sync pushed');
    expect(requests.pulls[0].body).not.toContain('Conflicting files');
  });

  test('GIVEN an owner GitHub will not ask WHEN run THEN the others are asked and the refusal is returned and logged', async () => {
    const requests = new FakeSyncRequests();
    requests.cannotReview.add('@alice');
    const { d, logged } = deps(
      { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('dev', 'conflict', DEV, ['modules/a.ts'])] },
      requests,
    );
    const result = await syncAfterTrunkMoved(d, moved);
    expect(result.pullRequests[0].refusedReviewers).toEqual(['@alice']);
    expect(logged.at(-1)).toEqual({
      level: 'warn',
      obj: { pullRequest: 1, refused: ['@alice'] },
      msg: 'some owners could not be asked to review',
    });
  });

  test('GIVEN back-sync cannot run WHEN run THEN the failure is logged and returned, and nothing is opened', async () => {
    const { d, requests, logged } = deps(new Error('back-sync: cannot fetch main from https://github.example/acme/infra.git: 403\nmore'));
    const result = await syncAfterTrunkMoved(d, moved);
    expect(result).toEqual({
      pullRequests: [],
      closed: [],
      failures: [{ branch: '*', error: 'back-sync: cannot fetch main from https://github.example/acme/infra.git: 403' }],
    });
    expect(requests.pulls).toEqual([]);
    expect(logged.map((l) => l.level)).toEqual(['error']);
  });

  test('GIVEN a branch in error and GitHub failing for another WHEN run THEN both are failures and neither stops the other', async () => {
    const requests = new FakeSyncRequests();
    requests.advanceBranch = async () => {
      throw new Error('GitHub 502');
    };
    const { d } = deps(
      { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('uat', 'error', UAT), branch('dev', 'conflict', DEV, ['a'])] },
      requests,
    );
    const result = await syncAfterTrunkMoved(d, moved);
    expect(result.failures).toEqual([
      { branch: 'uat', error: 'uat error' },
      { branch: 'dev', error: 'GitHub 502' },
    ]);
  });

  test('GIVEN dev moved (it rebases nothing) WHEN run THEN back-sync does not run', async () => {
    const { d, calls } = deps({ trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [] });
    expect(await syncAfterTrunkMoved(d, { ...moved, branch: 'dev' })).toEqual({ pullRequests: [], closed: [], failures: [] });
    expect(calls).toEqual([]);
  });

  test('GIVEN open sync pull requests of uat (the controller’s) and dev WHEN uat is synced and dev is up to date THEN both are closed with a comment saying why, their branches kept', async () => {
    const requests = new FakeSyncRequests();
    requests.branches.set('sync/uat', MAIN).set('sync/dev', MAIN);
    await requests.createPullRequest({ head: 'sync/uat', base: 'uat', title: 'Sync main into uat', body: `${SYNC_MARKER}\nold` });
    await requests.createPullRequest({ head: 'sync/dev', base: 'dev', title: 'Sync main into dev', body: `${SYNC_MARKER}\nold` });
    const { d, logged } = deps(
      { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('uat', 'synced', UAT), branch('dev', 'up-to-date', DEV)] },
      requests,
    );

    const result = await syncAfterTrunkMoved(d, moved);

    expect(result.closed).toEqual([
      { branch: 'uat', number: 1 },
      { branch: 'dev', number: 2 },
    ]);
    expect(result.pullRequests).toEqual([]);
    expect(requests.pulls.map((p) => p.state)).toEqual(['closed', 'closed']);
    expect(requests.pulls[0].comments).toEqual([
      'back-sync rebased `uat` onto `main` (aaaaaaa) and pushed it, so this pull request is no longer needed: closed. `sync/uat` is kept.',
    ]);
    expect(requests.pulls[1].comments).toEqual([
      '`dev` already contains `main` (aaaaaaa), so this pull request is no longer needed: closed. `sync/dev` is kept.',
    ]);
    expect(requests.branches.get('sync/uat')).toBe(MAIN);
    expect(logged.filter((l) => l.msg?.startsWith('sync pull request closed')).map((l) => l.obj)).toEqual([
      { branch: 'uat', pullRequest: 1 },
      { branch: 'dev', pullRequest: 2 },
    ]);
  });

  test('GIVEN a person’s own sync/dev pull request (no marker), or a dry run WHEN dev is synced THEN nothing is closed', async () => {
    const requests = new FakeSyncRequests();
    requests.branches.set('sync/dev', MAIN);
    await requests.createPullRequest({ head: 'sync/dev', base: 'dev', title: 'mine', body: 'my own merge of main' });
    const report = { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('dev', 'synced', DEV)] };
    expect((await syncAfterTrunkMoved(deps(report, requests).d, moved)).closed).toEqual([]);
    await requests.updatePullRequest(1, { title: 'Sync main into dev', body: SYNC_MARKER });
    expect((await syncAfterTrunkMoved(deps({ ...report, dryRun: true }, requests).d, moved)).closed).toEqual([]);
    expect(requests.pulls[0]).toMatchObject({ state: 'open', comments: [] });
  });

  test('GIVEN GitHub refuses to close WHEN dev is synced THEN the failure is returned and logged, and uat still gets its pull request', async () => {
    const requests = new FakeSyncRequests();
    requests.branches.set('sync/dev', MAIN);
    await requests.createPullRequest({ head: 'sync/dev', base: 'dev', title: 'Sync', body: SYNC_MARKER });
    requests.closePullRequest = async () => {
      throw new Error('GitHub 403');
    };
    const { d, logged } = deps(
      { trunk: 'main', trunkSha: MAIN, dryRun: false, branches: [branch('dev', 'synced', DEV), branch('uat', 'conflict', UAT, ['a'])] },
      requests,
    );
    const result = await syncAfterTrunkMoved(d, moved);
    expect(result.failures).toEqual([{ branch: 'dev', error: 'GitHub 403' }]);
    expect(result.pullRequests.map((p) => p.branch)).toEqual(['uat']);
    expect(logged.some((l) => l.level === 'error' && l.msg === 'could not close the sync pull request')).toBe(true);
  });

  test('GIVEN owners of every kind WHEN turned into review requests THEN users and team slugs, e-mails left out', () => {
    expect(reviewersOf(['@alice', '@acme/platform', 'ops@example.com'])).toEqual({ users: ['alice'], teams: ['platform'] });
  });

  test('GIVEN a real remote where dev conflicts with main WHEN run with the git adapter THEN dev is untouched and its sync pull request lists the file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'back-sync-step-'));
    try {
      const h = new GitHistory(join(root, 'repo'), { 'modules/a.ts': 'a\n', 'b.txt': 'b\n' });
      const devTip = h.commit('dev', { 'modules/a.ts': 'dev\n' });
      h.commit('uat', { 'b.txt': 'uat\n' });
      const main = h.commit('main', { 'modules/a.ts': 'main\n' });
      h.push('main', 'uat', 'dev');
      const requests = new FakeSyncRequests();
      const github = new FakeGitHub().setFile(main, 'CODEOWNERS', CODEOWNERS);
      const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
      const backSync: BackSync = (opts) => gitBackSync({ ...opts, workDir: join(root, 'work') });

      const store = new SqliteStore(':memory:');
      const uatTip = h.remoteTip('uat');

      const result = await syncAfterTrunkMoved(
        { backSync, requests, github, log, pushes: store },
        { repo: h.url, branch: 'main', environments },
      );

      expect(result.report?.branches.map((b) => b.outcome)).toEqual(['synced', 'conflict']);
      // uat's push was recorded as back-sync's own, with the tip it replaced; dev, untouched, has no record
      const pushed = { repo: 'acme/infra', branch: 'uat', before: uatTip, after: h.remoteTip('uat') };
      expect(await store.takeSyncPush(pushed)).toEqual({ ...pushed, trunk: 'main', trunkSha: main });
      expect(await store.takeSyncPush({ ...pushed, branch: 'dev', before: devTip })).toBeUndefined();
      store.close();
      expect(h.remoteTip('dev')).toBe(devTip);
      expect(requests.branches.get('sync/dev')).toBe(main);
      expect(requests.pulls[0].body).toContain('Conflicting files:\n- `modules/a.ts`');
      expect(requests.pulls[0].reviewers).toEqual(['@alice']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
