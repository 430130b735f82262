import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import type { Sandbox } from './sandbox.js';
import { owner, payloads, repo, runGit, SECRET, startTestSandbox, stopTestSandbox, withToken, type Receiver } from './test-sandbox.js';

describe('sandbox GitHub server', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  let octokit: Octokit;
  let work: string;

  beforeAll(async () => {
    ({ sandbox, receiver, octokit, work } = await startTestSandbox());
  });

  afterAll(stopTestSandbox);

  describe('git over HTTP', () => {
    test('GIVEN the installation token as x-access-token WHEN cloning THEN the clone has main, dev and uat', async () => {
      const dir = join(work, 'clone-ok');
      const result = await runGit(['clone', '-q', withToken(sandbox.cloneUrl, sandbox.issueToken()), dir]);
      expect(result).toMatchObject({ code: 0 });
      expect(await readFile(join(dir, 'environments/dev.yaml'), 'utf8')).toBe('name: dev\n');
      const branches = await runGit(['branch', '-r'], dir);
      expect(branches.stdout).toMatch(/origin\/dev[\s\S]*origin\/main[\s\S]*origin\/uat/);
    });

    test('GIVEN no credentials, a bad token or another user name WHEN cloning THEN git is refused with 401', async () => {
      const attempts = [
        sandbox.cloneUrl,
        withToken(sandbox.cloneUrl, 'ghs_wrong'),
        withToken(sandbox.cloneUrl, sandbox.issueToken(), 'someone'),
      ];
      for (const [i, url] of attempts.entries()) {
        const result = await runGit(['clone', '-q', url, join(work, `clone-bad-${i}`)]);
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/401|Authentication failed|could not read Username/);
      }
    });

    test('GIVEN an open pull request WHEN its branch is pushed with plain git THEN the head SHA moves and signed push + synchronize webhooks arrive', async () => {
      await sandbox.commit('feature/push', { 'app.txt': 'one\n' }, 'start feature', { user: 'alice' });
      const pr = await sandbox.openPullRequest({ head: 'feature/push', base: 'dev', user: 'alice', title: 'Push test' });
      const dir = join(work, 'clone-push');
      await runGit(['clone', '-q', '-b', 'feature/push', withToken(sandbox.cloneUrl, sandbox.issueToken({ user: 'alice' })), dir]);
      await writeFile(join(dir, 'app.txt'), 'two\n');
      const who = ['-c', 'user.name=alice', '-c', 'user.email=alice@users.noreply.sandbox.test'];
      await runGit([...who, 'commit', '-qam', 'second'], dir);
      const before = receiver.received.length;
      expect(await runGit(['push', '-q', 'origin', 'HEAD:feature/push'], dir)).toMatchObject({ code: 0 });
      const newSha = (await runGit(['rev-parse', 'HEAD'], dir)).stdout.trim();
      await sandbox.idle();

      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
      expect(data.head.sha).toBe(newSha);
      const fresh = receiver.received.slice(before);
      expect(fresh.map((r) => `${r.headers['x-github-event']}`)).toEqual(['push', 'pull_request']);
      for (const delivery of fresh) {
        expect(await verify(SECRET, delivery.body, String(delivery.headers['x-hub-signature-256']))).toBe(true);
        expect(delivery.headers['user-agent']).toBe('GitHub-Hookshot/sandbox');
        expect(delivery.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      }
      const [push, sync] = fresh.map((r) => JSON.parse(r.body));
      expect(push).toMatchObject({
        ref: 'refs/heads/feature/push',
        after: newSha,
        forced: false,
        pusher: { name: 'alice' },
        installation: { id: 1 },
      });
      expect(push.commits.map((c: { message: string }) => c.message)).toEqual(['second']);
      expect(sync).toMatchObject({
        action: 'synchronize',
        after: newSha,
        before: pr.headSha,
        pull_request: { number: pr.number, head: { sha: newSha } },
      });
      expect(sync.repository.clone_url).toBe(sandbox.cloneUrl);
    });
  });

  describe('repository data from git', () => {
    test('GIVEN a file and a directory WHEN read through the contents API at a ref THEN base64 content, listings and raw text match git', async () => {
      await sandbox.commit('feature/contents', { 'environments/dev.yaml': 'name: dev\nsize: large\n' }, 'bigger dev', { user: 'alice' });
      const { data: file } = await octokit.rest.repos.getContent({ owner, repo, path: 'environments/dev.yaml', ref: 'feature/contents' });
      expect(Buffer.from((file as { content: string }).content, 'base64').toString()).toBe('name: dev\nsize: large\n');
      const { data: main } = await octokit.rest.repos.getContent({ owner, repo, path: 'environments/dev.yaml' });
      expect(Buffer.from((main as { content: string }).content, 'base64').toString()).toBe('name: dev\n');
      const { data: dir } = await octokit.rest.repos.getContent({ owner, repo, path: 'environments', ref: 'main' });
      expect((dir as { name: string; type: string }[]).map((e) => `${e.type}:${e.name}`)).toEqual(['file:dev.yaml', 'file:prod.yaml']);
      const { data: root } = await octokit.rest.repos.getContent({ owner, repo, path: '' });
      expect((root as { path: string }[]).map((e) => e.path)).toContain('environments');
      const raw = await octokit.rest.repos.getContent({ owner, repo, path: 'README.md', mediaType: { format: 'raw' } });
      expect(String(raw.data)).toBe('# infra\n');
      await expect(octokit.rest.repos.getContent({ owner, repo, path: 'missing.yaml' })).rejects.toMatchObject({ status: 404 });
      await expect(octokit.rest.repos.getContent({ owner, repo, path: 'README.md', ref: 'no-such-branch' })).rejects.toMatchObject({
        status: 404,
      });
    });

    test('GIVEN branches that diverged WHEN compared THEN ahead/behind/status/files come from git', async () => {
      await sandbox.commit('feature/cmp', { 'x.txt': 'x\n' }, 'x', { user: 'alice' });
      const ahead = await octokit.rest.repos.compareCommits({ owner, repo, base: 'main', head: 'feature/cmp' });
      expect(ahead.data).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1 });
      expect(ahead.data.files?.map((f) => `${f.status}:${f.filename}`)).toEqual(['added:x.txt']);
      await sandbox.commit('main', { 'hotfix.txt': 'h\n' }, 'hotfix on main', { user: 'bob' });
      const diverged = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: 'main...feature/cmp' });
      expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1 });
      const identical = await octokit.rest.repos.compareCommits({ owner, repo, base: 'main', head: 'main' });
      expect(identical.data.status).toBe('identical');
      await expect(octokit.rest.repos.compareCommits({ owner, repo, base: 'main', head: 'nope' })).rejects.toMatchObject({ status: 404 });
    });

    test('GIVEN two commits of the same files on different branches WHEN read through the git data API THEN they share a tree; an unknown SHA is 404', async () => {
      const one = await sandbox.commit('feature/tree-a', { 'same.txt': 'same\n' }, 'same on a', { user: 'alice' });
      const two = await sandbox.commit('feature/tree-b', { 'same.txt': 'same\n' }, 'same on b', { user: 'alice' });
      const a = await octokit.rest.git.getCommit({ owner, repo, commit_sha: one.sha });
      const b = await octokit.rest.git.getCommit({ owner, repo, commit_sha: two.sha });
      expect(one.sha).not.toBe(two.sha);
      expect(a.data).toMatchObject({ sha: one.sha, message: 'same on a' });
      expect(a.data.tree.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(b.data.tree.sha).toBe(a.data.tree.sha);
      await expect(octokit.rest.git.getCommit({ owner, repo, commit_sha: 'f'.repeat(40) })).rejects.toMatchObject({ status: 404 });
      await expect(octokit.rest.git.getCommit({ owner, repo, commit_sha: 'main' })).rejects.toMatchObject({ status: 404 });
      expect(sandbox.violations).toEqual([]);
    });

    test('GIVEN git refs WHEN read, created, moved without force (non fast-forward) and with force THEN GitHub rules apply and pushes are announced', async () => {
      const mainSha = (await sandbox.branchSha('main')) as string;
      const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
      expect(ref).toMatchObject({ ref: 'refs/heads/main', object: { sha: mainSha, type: 'commit' } });
      await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/rebase-target', sha: mainSha });
      await expect(octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/rebase-target', sha: mainSha })).rejects.toMatchObject({
        status: 422,
      });
      await expect(octokit.rest.git.createRef({ owner, repo, ref: 'heads/no-prefix', sha: mainSha })).rejects.toMatchObject({
        status: 422,
      });
      const devSha = (await sandbox.branchSha('dev')) as string;
      await expect(octokit.rest.git.updateRef({ owner, repo, ref: 'heads/rebase-target', sha: devSha })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('Validation Failed'),
      });
      const before = receiver.received.length;
      await octokit.rest.git.updateRef({ owner, repo, ref: 'heads/rebase-target', sha: devSha, force: true });
      await sandbox.idle();
      expect(await sandbox.branchSha('rebase-target')).toBe(devSha);
      const pushes = payloads(receiver.received.slice(before), 'push');
      expect(pushes).toEqual([expect.objectContaining({ ref: 'refs/heads/rebase-target', before: mainSha, after: devSha, forced: true })]);
      await expect(octokit.rest.git.getRef({ owner, repo, ref: 'heads/absent' })).rejects.toMatchObject({ status: 404 });
    });
  });
});
