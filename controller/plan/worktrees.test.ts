import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingGit } from '../../test/fixtures/recording-git.js';
import { createTestRemote, git, type TestRemote } from '../../test/fixtures/test-repo.js';
import { startSandbox } from '../../test/sandbox/sandbox.js';
import { cacheDirName, displayUrl, WorkTrees } from './worktrees.js';

let root: string;
let remote: TestRemote;
let first: string;
let second: string;
let side: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'c2-worktrees-'));
  remote = createTestRemote(join(root, 'origin'));
  first = remote.commit({ 'README.md': 'one\n' });
  second = remote.commit({ 'README.md': 'two\n', 'environments/dev.yaml': 'name: dev\n' });
  side = remote.commit({ 'README.md': 'feature\n' }, 'feature work', 'feature/x');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

describe('WorkTrees', () => {
  test('GIVEN two commits of a remote WHEN both are checked out THEN each work tree holds its commit and one cached clone serves both', async () => {
    const workDir = join(root, 'work-a');
    const trees = new WorkTrees({ workDir });
    const [a, b] = await Promise.all([
      trees.checkout({ repoUrl: remote.url, sha: first, dir: join(workDir, 'jobs/1/head') }),
      trees.checkout({ repoUrl: remote.url, sha: second, dir: join(workDir, 'jobs/2/head') }),
    ]);
    expect(readFileSync(join(a.dir, 'README.md'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(b.dir, 'README.md'), 'utf8')).toBe('two\n');
    expect(git(a.dir, 'rev-parse', 'HEAD')).toBe(first);
    expect(git(b.dir, 'rev-parse', 'HEAD')).toBe(second);
    expect(git(b.dir, 'status', '--porcelain', '--branch')).toBe('## HEAD (no branch)');
    expect(readdirSync(join(workDir, 'repos'))).toEqual([cacheDirName(remote.url)]);
    expect(a.repoDir).toBe(b.repoDir);
  });

  test('GIVEN a commit only on a pull request branch WHEN checked out by SHA THEN it is fetched', async () => {
    const workDir = join(root, 'work-b');
    const tree = await new WorkTrees({ workDir }).checkout({ repoUrl: remote.url, sha: side, dir: join(workDir, 'wt') });
    expect(readFileSync(join(tree.dir, 'README.md'), 'utf8')).toBe('feature\n');
  });

  test('GIVEN a checked-out work tree WHEN removed (twice) THEN its directory and its registration are gone', async () => {
    const workDir = join(root, 'work-c');
    const trees = new WorkTrees({ workDir });
    const tree = await trees.checkout({ repoUrl: remote.url, sha: first, dir: join(workDir, 'wt') });
    await trees.remove(tree);
    await trees.remove(tree);
    expect(existsSync(tree.dir)).toBe(false);
    expect(git(tree.repoDir, 'worktree', 'list', '--porcelain')).not.toContain(tree.dir);
  });

  test('GIVEN the same SHA checked out again after removal WHEN checked out THEN the cached commit is reused', async () => {
    const workDir = join(root, 'work-d');
    const trees = new WorkTrees({ workDir });
    const tree = await trees.checkout({ repoUrl: remote.url, sha: second, dir: join(workDir, 'wt1') });
    await trees.remove(tree);
    rmSync(remote.bareDir, { recursive: true, force: true });
    try {
      const again = await trees.checkout({ repoUrl: remote.url, sha: second, dir: join(workDir, 'wt2') });
      expect(readFileSync(join(again.dir, 'environments/dev.yaml'), 'utf8')).toBe('name: dev\n');
    } finally {
      git(root, 'clone', '--quiet', '--bare', join(root, 'origin', 'src'), remote.bareDir);
      git(join(root, 'origin', 'src'), 'push', '--quiet', 'origin', 'feature/x');
    }
  });

  test('GIVEN a SHA that is not 40 hex characters WHEN checked out THEN it is refused before git runs', async () => {
    const workDir = join(root, 'work-e');
    await expect(
      new WorkTrees({ workDir }).checkout({ repoUrl: remote.url, sha: '--upload-pack=touch /tmp/x', dir: join(workDir, 'wt') }),
    ).rejects.toThrow('checkout: sha "--upload-pack=touch /tmp/x" is not a commit SHA (40 lowercase hex characters)');
    expect(existsSync(join(workDir, 'repos'))).toBe(false);
  });

  test('GIVEN a SHA the remote does not have WHEN checked out THEN the error names the commit and the remote', async () => {
    const workDir = join(root, 'work-f');
    const missing = 'f'.repeat(40);
    await expect(new WorkTrees({ workDir }).checkout({ repoUrl: remote.url, sha: missing, dir: join(workDir, 'wt') })).rejects.toThrow(
      new RegExp(`^checkout: commit ${missing} is not in ${displayUrl(remote.url)}`),
    );
  });

  test('GIVEN an existing target directory WHEN checked out THEN it is refused', async () => {
    const workDir = join(root, 'work-g');
    await expect(new WorkTrees({ workDir }).checkout({ repoUrl: remote.url, sha: first, dir: root })).rejects.toThrow(
      `checkout: work tree directory ${root} already exists`,
    );
  });

  test('GIVEN an aborted signal WHEN checking out THEN it rejects and leaves no work tree', async () => {
    const workDir = join(root, 'work-h');
    const controller = new AbortController();
    controller.abort(new Error('superseded by a newer push'));
    await expect(
      new WorkTrees({ workDir }).checkout({ repoUrl: remote.url, sha: first, dir: join(workDir, 'wt'), signal: controller.signal }),
    ).rejects.toThrow();
    expect(existsSync(join(workDir, 'wt'))).toBe(false);
  });

  test('GIVEN an installation token and an HTTP remote WHEN fetching THEN the token is sent as a Basic header and written to no file and no error', async () => {
    const token = 'ghs_c2SecretInstallationToken';
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(403).end('forbidden');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/acme/infra.git`;
    const workDir = join(root, 'work-i');
    try {
      const error = await new WorkTrees({ workDir })
        .checkout({ repoUrl: url, authToken: token, sha: first, dir: join(workDir, 'wt') })
        .catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(new RegExp(`^checkout: commit ${first} is not in ${url}`));
      expect((error as Error).message).not.toContain(token);
    } finally {
      server.close();
    }
    const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((h) => h.authorization === `Basic ${basic}`)).toBe(true);
    for (const file of filesUnder(join(workDir, 'repos'))) {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toContain(token);
      expect(text).not.toContain(basic);
    }
  });

  test('GIVEN a remote that needs the installation token WHEN fetched THEN the fetch works, yet no git process has the token in its environment or command line, and no credentials file is left', async () => {
    const github = await startSandbox({ webhookSecret: 's', appId: 1, owner: 'acme', repo: 'infra', files: { 'README.md': 'private\n' } });
    const saved = process.env.PATH;
    try {
      const token = github.issueToken();
      const sha = (await github.branchSha('main'))!;
      const { bin, log } = recordingGit(root);
      process.env.PATH = `${bin}:${saved}`;
      const workDir = join(root, 'work-j');

      const tree = await new WorkTrees({ workDir }).checkout({ repoUrl: github.cloneUrl, authToken: token, sha, dir: join(workDir, 'wt') });

      expect(readFileSync(join(tree.dir, 'README.md'), 'utf8')).toBe('private\n');
      const recorded = readFileSync(log, 'utf8');
      expect(recorded).toMatch(/^argv: fetch --quiet --no-tags -- http:\/\/127\.0\.0\.1:\d+\/acme\/infra\.git [0-9a-f]{40}$/m);
      expect(recorded).toContain('config file mode 600');
      expect(recorded).not.toContain(token);
      expect(recorded).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
      expect(readdirSync(join(workDir, 'credentials'))).toEqual([]);
    } finally {
      process.env.PATH = saved;
      await github.close();
    }
  });
});
