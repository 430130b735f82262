import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitsOf, GitHistory, patchIds } from '../../test/fixtures/git-history.js';
import { recordingGit } from '../../test/fixtures/recording-git.js';
import { git } from '../../test/fixtures/test-repo.js';
import { startSandbox } from '../../test/sandbox/sandbox.js';
import { backSync, branchProblems, remoteUrl } from './back-sync.js';

let root: string;
let n = 0;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'back-sync-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A remote with main (a.txt, b.txt), uat and dev made from it; main then moves by one commit to a.txt. */
function history(): { h: GitHistory; work: string } {
  const dir = join(root, `case-${++n}`);
  const h = new GitHistory(dir, { 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });
  return { h, work: join(dir, 'sync-work') };
}

describe('backSync', () => {
  test('GIVEN main moved and dev has its own commit WHEN synced THEN dev is main plus that commit, pushed, and the clone is gone', async () => {
    const { h, work } = history();
    const own = h.commit('dev', { 'b.txt': 'dev b\n' });
    const main = h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'uat', 'dev');

    const report = await backSync({ repo: h.url, branches: ['dev'], workDir: work });

    const dev = h.remoteTip('dev');
    expect(report).toEqual({
      trunk: 'main',
      trunkSha: main,
      dryRun: false,
      branches: [
        {
          branch: 'dev',
          outcome: 'synced',
          before: own,
          after: dev,
          conflicts: [],
          message: expect.stringMatching(/^pushed dev \w{7} → \w{7} onto main \w{7} \(1 commit kept\)$/),
        },
      ],
    });
    expect(git(h.bareDir, 'rev-parse', 'dev~1')).toBe(main);
    expect(git(h.bareDir, 'show', 'dev:b.txt')).toBe('dev b');
    expect(git(h.bareDir, 'log', '-1', '--format=%an|%cn', 'dev')).toBe('Test|gitops back-sync');
    expect(readdirSync(work)).toEqual([]);
  });

  test('GIVEN a dev commit already cherry-picked onto main WHEN synced THEN it is dropped, not duplicated, and the other is kept', async () => {
    const { h, work } = history();
    const picked = h.commit('dev', { 'a.txt': 'fix a\n' }, 'fix a');
    const kept = h.commit('dev', { 'c.txt': 'dev c\n' }, 'dev c');
    h.cherryPick('main', picked);
    h.push('main', 'dev');

    const [dev] = (await backSync({ repo: h.url, branches: ['dev'], workDir: work })).branches;

    expect(dev.outcome).toBe('synced');
    const onDev = commitsOf(h.bareDir, 'main..dev');
    expect(onDev).toHaveLength(1);
    expect(git(h.bareDir, 'log', '-1', '--format=%s', 'dev')).toBe('dev c');
    expect([...patchIds(h.bareDir, 'main..dev').keys()]).toEqual([...patchIds(h.bareDir, `${kept}~1..${kept}`).keys()]);
    expect(
      git(h.bareDir, 'log', '--format=%s', 'dev')
        .split('\n')
        .filter((s) => s === 'fix a'),
    ).toHaveLength(1);
  });

  test('GIVEN every dev commit is already on main WHEN synced THEN dev becomes main exactly', async () => {
    const { h, work } = history();
    const only = h.commit('dev', { 'a.txt': 'fix a\n' });
    const main = h.cherryPick('main', only);
    h.push('main', 'dev');

    const [dev] = (await backSync({ repo: h.url, branches: ['dev'], workDir: work })).branches;

    expect(dev).toMatchObject({ outcome: 'synced', before: only, after: main });
    expect(h.remoteTip('dev')).toBe(main);
  });

  test('GIVEN uat and dev that conflict differently WHEN synced THEN uat is synced and dev is untouched with its files listed', async () => {
    const { h, work } = history();
    h.commit('uat', { 'b.txt': 'uat b\n' });
    const devTip = h.commit('dev', { 'a.txt': 'dev a\n', 'c.txt': 'dev c\n' });
    h.commit('main', { 'a.txt': 'main a\n', 'c.txt': 'main c\n' });
    h.push('main', 'uat', 'dev');

    const report = await backSync({ repo: h.url, workDir: work });

    expect(report.branches.map((b) => [b.branch, b.outcome])).toEqual([
      ['uat', 'synced'],
      ['dev', 'conflict'],
    ]);
    expect(report.branches[1]).toEqual({
      branch: 'dev',
      outcome: 'conflict',
      before: devTip,
      after: devTip,
      conflicts: ['a.txt', 'c.txt'],
      message: 'rebasing dev onto main conflicts in a.txt, c.txt; aborted, nothing pushed',
    });
    expect(h.remoteTip('dev')).toBe(devTip);
    expect(readdirSync(work)).toEqual([]);
  });

  test('GIVEN dev already contains main WHEN synced THEN it is up to date and nothing is pushed', async () => {
    const { h, work } = history();
    const tip = h.commit('dev', { 'b.txt': 'dev b\n' });
    h.push('main', 'dev');

    const [dev] = (await backSync({ repo: h.url, branches: ['dev'], workDir: work })).branches;

    expect(dev).toEqual({
      branch: 'dev',
      outcome: 'up-to-date',
      before: tip,
      after: tip,
      conflicts: [],
      message: expect.stringContaining('already contains main'),
    });
    expect(h.remoteTip('dev')).toBe(tip);
  });

  test('GIVEN a dry run WHEN synced THEN it reports the commit it would push and pushes nothing', async () => {
    const { h, work } = history();
    const tip = h.commit('dev', { 'b.txt': 'dev b\n' });
    h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'dev');

    const report = await backSync({ repo: h.url, branches: ['dev'], workDir: work, dryRun: true });

    expect(report.dryRun).toBe(true);
    expect(report.branches[0]).toMatchObject({ outcome: 'synced', before: tip, message: expect.stringMatching(/^would push dev /) });
    expect(report.branches[0].after).not.toBe(tip);
    expect(h.remoteTip('dev')).toBe(tip);
  });

  test('GIVEN someone pushes to dev once between fetch and push WHEN synced THEN the lease refuses it, and the retry rebases their commit too', async () => {
    const { h, work } = history();
    h.commit('dev', { 'b.txt': 'dev b\n' });
    h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'dev');
    const attempts: number[] = [];

    const [dev] = (
      await backSync({
        repo: h.url,
        branches: ['dev'],
        workDir: work,
        beforePush: (_branch, attempt) => {
          attempts.push(attempt);
          if (attempt === 0) h.push(`${h.commit('dev', { 'c.txt': 'late c\n' }, 'late')}:refs/heads/dev`);
        },
      })
    ).branches;

    expect(attempts).toEqual([0, 1]);
    expect(dev.outcome).toBe('synced');
    expect(git(h.bareDir, 'log', '--format=%s', 'main..dev').split('\n')).toEqual(['late', 'commit 1']);
  });

  test('GIVEN a lease lost once WHEN synced THEN each push attempt is recorded before it is made, with the tip it leases and the commit it pushes', async () => {
    const { h, work } = history();
    const first = h.commit('dev', { 'b.txt': 'dev b\n' });
    h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'dev');
    const recorded: { branch: string; before: string; after: string; trunkSha: string; remoteTip: string }[] = [];
    let late = '';

    const [dev] = (
      await backSync({
        repo: h.url,
        branches: ['dev'],
        workDir: work,
        beforePush: (_branch, attempt) => {
          if (attempt === 0) h.push(`${(late = h.commit('dev', { 'c.txt': 'late c\n' }, 'late'))}:refs/heads/dev`);
        },
        recordPush: async (push) => void recorded.push({ ...push, remoteTip: h.remoteTip('dev') }),
      })
    ).branches;

    expect(dev).toMatchObject({ outcome: 'synced', before: late, after: h.remoteTip('dev') });
    expect(recorded.map((r) => [r.branch, r.before])).toEqual([
      ['dev', first],
      ['dev', late],
    ]);
    // each record is made while the remote still holds the tip the push leases: before the push
    expect(recorded.map((r) => r.remoteTip)).toEqual([late, late]);
    expect(recorded[1].after).toBe(h.remoteTip('dev'));
    expect(recorded.map((r) => r.trunkSha)).toEqual([h.remoteTip('main'), h.remoteTip('main')]);
  });

  test('GIVEN a push that cannot be recorded WHEN synced THEN nothing is pushed to that branch, which is an error naming why, and the next branch syncs', async () => {
    const { h, work } = history();
    h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'uat', 'dev');
    const devBefore = h.remoteTip('dev');

    const report = await backSync({
      repo: h.url,
      branches: ['dev', 'uat'],
      workDir: work,
      recordPush: async ({ branch }) => {
        if (branch === 'dev') throw new Error('store is read-only');
      },
    });

    expect(report.branches.map((b) => [b.branch, b.outcome, b.message])).toEqual([
      ['dev', 'error', 'dev: store is read-only'],
      ['uat', 'synced', expect.stringMatching(/^pushed uat /)],
    ]);
    expect(h.remoteTip('dev')).toBe(devBefore);
  });

  test('GIVEN someone pushes to dev before each of 4 pushes WHEN synced THEN it stops after 3 retries, reports lease-lost and leaves their commit', async () => {
    const { h, work } = history();
    h.commit('main', { 'a.txt': 'main a\n' });
    h.commit('dev', { 'b.txt': 'dev b\n' });
    h.push('main', 'dev');
    let theirs = '';
    const attempts: number[] = [];

    const [dev] = (
      await backSync({
        repo: h.url,
        branches: ['dev'],
        workDir: work,
        beforePush: (_branch, attempt) => {
          attempts.push(attempt);
          theirs = h.commit('dev', { 'c.txt': `late ${attempt}\n` });
          h.push('dev');
        },
      })
    ).branches;

    expect(attempts).toEqual([0, 1, 2, 3]);
    expect(dev).toMatchObject({ outcome: 'lease-lost', after: dev.before, conflicts: [] });
    expect(dev.message).toBe('dev moved on the remote during each of 4 attempts (push refused by the lease); nothing pushed');
    expect(h.remoteTip('dev')).toBe(theirs);
  });

  test('GIVEN a branch the remote does not have WHEN synced THEN that branch is an error and the others still sync', async () => {
    const { h, work } = history();
    h.commit('main', { 'a.txt': 'main a\n' });
    h.push('main', 'uat');

    const report = await backSync({ repo: h.url, branches: ['dev', 'uat'], workDir: work });

    expect(report.branches.map((b) => b.outcome)).toEqual(['error', 'synced']);
    expect(report.branches[0]).toMatchObject({ before: null, after: null, message: expect.stringContaining('cannot fetch dev') });
  });

  test('GIVEN a remote without the trunk WHEN synced THEN it throws naming the trunk and leaves no clone', async () => {
    const { h, work } = history();
    h.push('dev');
    await expect(backSync({ repo: h.url, trunk: 'trunk', branches: ['dev'], workDir: work })).rejects.toThrow(
      /^back-sync: cannot fetch trunk from file:\/\/.*remote\.git: /,
    );
    expect(readdirSync(work)).toEqual([]);
  });

  test('GIVEN bad names WHEN synced THEN every problem is named at once and nothing is cloned', async () => {
    const work = join(root, 'bad-names');
    await expect(backSync({ repo: root, trunk: 'ma in', branches: ['main', 'dev', 'dev', '-x'], workDir: work })).rejects.toThrow(
      'back-sync: trunk: branch name "ma in" contains a space (git refuses control characters, spaces and any of ~^:?*[\\); ' +
        'branches: dev is listed twice; branches: branch name "-x" starts with "-" (it would be read as an option)',
    );
    expect(branchProblems('main', [])).toEqual(['branches: none given (at least one branch to rebase)']);
    expect(branchProblems('main', ['main'])).toEqual(['branches: main is the trunk; it is what the others are rebased onto']);
  });

  test('GIVEN remotes of every kind WHEN read THEN paths become file URLs and anything else is named with what is allowed', () => {
    expect(remoteUrl(root)).toBe(`file://${root}`);
    expect(remoteUrl('https://github.com/acme/infra.git')).toBe('https://github.com/acme/infra.git');
    expect(() => remoteUrl('git@github.com:acme/infra.git')).toThrow(
      'back-sync: repo "git@github.com:acme/infra.git" is neither a URL nor an existing path (allowed: https://, http://, file:// URLs or a local path)',
    );
    expect(() => remoteUrl('ssh://github.com/acme/infra.git')).toThrow('uses ssh: (allowed: https://, http://, file://)');
    expect(() => remoteUrl('https://x:tok@github.com/acme/infra.git')).toThrow('repo must not carry credentials');
    expect(() => remoteUrl('')).toThrow('back-sync: repo is empty');
  });

  test('GIVEN an HTTP remote that needs the installation token WHEN synced THEN clone, fetch and push work, yet no git process has the token in its environment or command line, and no credentials file is left', async () => {
    const github = await startSandbox({ webhookSecret: 's', appId: 1, owner: 'acme', repo: 'infra', files: { 'a.txt': 'a\n' } });
    const saved = process.env.PATH;
    try {
      const token = github.issueToken();
      await github.commit('dev', { 'b.txt': 'dev b\n' }, 'dev b');
      await github.commit('main', { 'a.txt': 'main a\n' }, 'main a');
      const { bin, log } = recordingGit(root);
      process.env.PATH = `${bin}:${saved}`;
      const workDir = join(root, 'work-token');

      const report = await backSync({ repo: github.cloneUrl, branches: ['dev'], workDir, authToken: token });

      process.env.PATH = saved;
      expect(report.branches[0].outcome).toBe('synced');
      expect(await github.branchSha('dev')).toBe(report.branches[0].after);
      const recorded = readFileSync(log, 'utf8');
      expect(recorded).toMatch(
        /^argv: .* push --quiet --force-with-lease=refs\/heads\/dev:[0-9a-f]{40} origin [0-9a-f]{40}:refs\/heads\/dev$/m,
      );
      expect(recorded).toContain('config file mode 600');
      expect(recorded).not.toContain(token);
      expect(recorded).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
      expect(readdirSync(join(workDir, 'credentials'))).toEqual([]);
      expect(readdirSync(workDir)).toEqual(['credentials']);
    } finally {
      process.env.PATH = saved;
      await github.close();
    }
  });
});
