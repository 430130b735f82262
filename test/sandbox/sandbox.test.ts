import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import { createNodeMiddleware, createProbot, Probot, ProbotOctokit } from 'probot';
import { startSandbox, type Sandbox } from './sandbox.js';
import { OpenApiDescription } from './openapi-validator.js';

const SECRET = 'sandbox-webhook-secret';
const owner = 'acme';
const repo = 'infra';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A tiny webhook receiver: records every POST and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

function runGit(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: { PATH: process.env.PATH, HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function withToken(cloneUrl: string, token: string, user = 'x-access-token'): string {
  const url = new URL(cloneUrl);
  url.username = user;
  url.password = token;
  return url.toString();
}

function jwt(claims: Record<string, unknown>, privateKey: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
}

function payloads(received: Received[], event: string): Record<string, unknown>[] {
  return received.filter((r) => r.headers['x-github-event'] === event).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}

describe('sandbox GitHub server', () => {
  let sandbox: Sandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let octokit: Octokit;
  let work: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      appId: 4242,
      owner,
      repo,
      files: { 'README.md': '# infra\n', 'environments/dev.yaml': 'name: dev\n', 'environments/prod.yaml': 'name: prod\n' },
      permissions: { alice: 'write', bob: 'maintain', rita: 'read' },
    });
    octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueToken(), log: { debug() {}, info() {}, warn() {}, error() {} } });
    work = await mkdtemp(join(tmpdir(), 'sandbox-test-'));
  });

  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => receiver.server.close(resolve));
    await rm(work, { recursive: true, force: true });
  });

  describe('addressing and authentication', () => {
    test('GIVEN an installation token WHEN the repository is read THEN it is served under /api/v3 with the clone URL of the sandbox', async () => {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      expect(sandbox.apiUrl).toBe(`http://${sandbox.gheHost}/api/v3`);
      expect(data).toMatchObject({
        full_name: 'acme/infra',
        default_branch: 'main',
        clone_url: `http://${sandbox.gheHost}/acme/infra.git`,
      });
      expect(sandbox.cloneUrl).toBe(data.clone_url);
    });

    test('GIVEN no token or an unknown token WHEN any repository endpoint is called THEN 401 with GitHub error shape', async () => {
      const anonymous = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication', documentation_url: expect.any(String) });
      const forged = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`, { headers: { authorization: 'token ghs_notissued' } });
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { message: string }).message).toBe('Bad credentials');
    });

    test('GIVEN ProbotOctokit with the App id and key WHEN it authenticates THEN the JWT buys an installation token that works', async () => {
      const app = new ProbotOctokit({ auth: { appId: 4242, privateKey: sandbox.privateKey }, baseUrl: sandbox.apiUrl });
      const { data: me } = await app.rest.apps.getAuthenticated();
      expect(me).toMatchObject({ id: 4242, slug: 'gitops-sandbox' });
      const { data: installation } = await app.rest.apps.getRepoInstallation({ owner, repo });
      const probot = new Probot({
        appId: 4242,
        privateKey: sandbox.privateKey,
        secret: SECRET,
        baseUrl: sandbox.apiUrl,
        logLevel: 'fatal',
      });
      const installed = await probot.auth(installation.id);
      const { data } = await installed.rest.pulls.list({ owner, repo });
      expect(Array.isArray(data)).toBe(true);
    });

    test('GIVEN a JWT signed with another key, with the wrong iss or expired WHEN /app is called THEN 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const cases = [
        jwt({ iss: 4242, iat: now - 30, exp: now + 500 }, otherKey),
        jwt({ iss: 999, iat: now - 30, exp: now + 500 }, sandbox.privateKey),
        jwt({ iss: 4242, iat: now - 700, exp: now - 10 }, sandbox.privateKey),
        jwt({ iss: 4242, iat: now, exp: now + 3600 }, sandbox.privateKey),
      ];
      const statuses = await Promise.all(
        cases.map(async (token) => (await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `Bearer ${token}` } })).status),
      );
      expect(statuses).toEqual([401, 401, 401, 401]);
      const good = jwt({ iss: 4242, iat: now - 30, exp: now + 540 }, sandbox.privateKey);
      expect((await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
    });

    test('GIVEN an installation token WHEN it is used on /app THEN 401 (GitHub wants the JWT there)', async () => {
      const response = await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `token ${sandbox.issueToken()}` } });
      expect(response.status).toBe(401);
    });
  });

  describe('OpenAPI validation', () => {
    test('GIVEN a path that is not in the description WHEN requested THEN 422 and a recorded violation', async () => {
      const before = sandbox.violations.length;
      await expect(octokit.request('GET /repos/{owner}/{repo}/nonsense', { owner, repo })).rejects.toMatchObject({ status: 422 });
      expect(sandbox.violations.slice(before)).toEqual([
        expect.objectContaining({
          kind: 'request',
          message: expect.stringContaining('GET /repos/acme/infra/nonsense is not an operation'),
        }),
      ]);
    });

    test('GIVEN a misspelt body field WHEN creating a pull request THEN 422 names the field and the allowed ones', async () => {
      const error = await octokit
        .request('POST /repos/{owner}/{repo}/pulls', { owner, repo, head: 'dev', base: 'main', titel: 'x' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 422 });
      expect((error as Error).message).toContain('unknown field "titel"');
      expect(sandbox.violations.at(-1)).toMatchObject({ kind: 'request', operationId: 'pulls/create' });
    });

    test('GIVEN a field of the wrong type or outside its enum WHEN creating a check run THEN 422', async () => {
      const head = (await sandbox.branchSha('main')) as string;
      await expect(
        octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo, name: 'x', head_sha: 42 as unknown as string }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('body.head_sha: expected string'),
      });
      await expect(
        octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: head, status: 'done' as 'completed' }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('"done" is not one of'),
      });
    });

    test('GIVEN an unknown query parameter WHEN listing pull requests THEN 422 (a misspelt filter would silently return everything)', async () => {
      await expect(octokit.request('GET /repos/{owner}/{repo}/pulls', { owner, repo, status: 'open' })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('unknown query parameter "status"'),
      });
    });

    test('GIVEN an operation GitHub has but the sandbox does not serve WHEN called THEN 404 and an "unserved" violation', async () => {
      await expect(octokit.rest.repos.listReleases({ owner, repo })).rejects.toMatchObject({ status: 404 });
      expect(sandbox.violations.at(-1)).toMatchObject({ kind: 'unserved', operationId: 'repos/list-releases' });
    });

    test('GIVEN responses of the main endpoints WHEN checked against their documented schema THEN every top-level required field is there', async () => {
      const openapi = OpenApiDescription.load();
      const required = (operationId: string, template: string, method: string) => {
        const op = openapi.match(method, template)?.operation;
        expect(op?.operationId).toBe(operationId);
        return op!;
      };
      const { data: repoData } = await octokit.rest.repos.get({ owner, repo });
      expect(openapi.validateResponse(required('repos/get', `/repos/${owner}/${repo}`, 'GET'), 200, repoData)).toEqual([]);
      const missing = openapi.validateResponse(required('repos/get', `/repos/${owner}/${repo}`, 'GET'), 200, {
        ...repoData,
        clone_url: undefined,
      });
      expect(missing).toContain('response: missing required field "clone_url"');
      expect(sandbox.violations.filter((v) => v.kind === 'response' || v.kind === 'webhook')).toEqual([]);
    });
  });

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

  describe('pull request activity', () => {
    let number: number;
    let headSha: string;

    beforeAll(async () => {
      await sandbox.commit('feature/review', { 'environments/dev.yaml': 'name: dev\nreplicas: 2\n' }, 'scale dev', {
        user: 'alice',
        from: 'dev',
      });
      ({ number, headSha } = await sandbox.openPullRequest({ head: 'feature/review', base: 'dev', user: 'alice', title: 'Scale dev' }));
    });

    test('GIVEN an open pull request WHEN read and listed THEN head/base, files and filters match', async () => {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
      expect(data).toMatchObject({
        number,
        state: 'open',
        head: { ref: 'feature/review', sha: headSha },
        base: { ref: 'dev' },
        user: { login: 'alice' },
        mergeable: true,
      });
      const files = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: number });
      expect(files.data.map((f) => `${f.status}:${f.filename}`)).toEqual(['modified:environments/dev.yaml']);
      const listed = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:feature/review`, state: 'open' });
      expect(listed.data.map((p) => p.number)).toEqual([number]);
      expect((await octokit.rest.pulls.list({ owner, repo, base: 'uat' })).data).toEqual([]);
    });

    test('GIVEN the author and a maintainer WHEN they review THEN self-approval is refused, the approval is listed and the webhook says "approved"', async () => {
      await expect(sandbox.submitReview({ pr: number, user: 'alice', state: 'approved' })).rejects.toMatchObject({ status: 422 });
      const before = receiver.received.length;
      await sandbox.submitReview({ pr: number, user: 'bob', state: 'approved' });
      const { data } = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: number });
      expect(data.map((r) => `${r.user?.login}:${r.state}:${r.commit_id}`)).toEqual([`bob:APPROVED:${headSha}`]);
      const [hook] = payloads(receiver.received.slice(before), 'pull_request_review');
      expect(hook).toMatchObject({ action: 'submitted', review: { state: 'approved', user: { login: 'bob' }, commit_id: headSha } });
    });

    test('GIVEN comments by people and by the App WHEN created, edited and listed THEN each sends issue_comment and pagination links work', async () => {
      const before = receiver.received.length;
      await sandbox.addComment({ pr: number, user: 'rita', body: '/plan' });
      const { data: created } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: '<!-- gitops -->\nplan',
      });
      expect(created.user?.login).toBe(sandbox.botLogin);
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.id, body: '<!-- gitops -->\nplan v2' });
      expect((await octokit.rest.issues.getComment({ owner, repo, comment_id: created.id })).data.body).toBe('<!-- gitops -->\nplan v2');
      await sandbox.idle();
      const hooks = payloads(receiver.received.slice(before), 'issue_comment');
      expect(hooks.map((h) => `${h.action}:${(h.sender as { login: string }).login}`)).toEqual([
        'created:rita',
        `created:${sandbox.botLogin}`,
        `edited:${sandbox.botLogin}`,
      ]);
      expect((hooks[0] as { issue: { pull_request: unknown } }).issue.pull_request).toBeDefined();
      const pages = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 1 });
      expect(pages.map((c) => c.body)).toEqual(['/plan', '<!-- gitops -->\nplan v2']);
    });

    test('GIVEN a check run WHEN created, completed and listed for the ref THEN status rules hold and the latest run is listed', async () => {
      const { data: run } = await octokit.rest.checks.create({
        owner,
        repo,
        name: 'gitops/plan/dev',
        head_sha: headSha,
        status: 'in_progress',
        output: { title: 'Planning', summary: '…' },
      });
      await expect(octokit.rest.checks.update({ owner, repo, check_run_id: run.id, status: 'completed' })).rejects.toMatchObject({
        status: 422,
      });
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
        conclusion: 'success',
        output: { title: 'No changes', summary: 'ok' },
      });
      const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: 'feature/review', check_name: 'gitops/plan/dev' });
      expect(data.total_count).toBe(1);
      expect(data.check_runs[0]).toMatchObject({
        status: 'completed',
        conclusion: 'success',
        output: { title: 'No changes' },
        pull_requests: [{ number }],
      });
      expect(sandbox.state.checkRuns.find((r) => r.id === run.id)?.history.map((h) => h.status)).toEqual(['in_progress', 'completed']);
      await expect(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: 'f'.repeat(40) })).rejects.toMatchObject({ status: 422 });
    });

    test('GIVEN collaborators WHEN their permission is asked THEN role_name is exact and permission is the legacy level', async () => {
      const level = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username })).data;
      expect(await level('bob')).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'bob' } });
      expect(await level('rita')).toMatchObject({ permission: 'read', role_name: 'read' });
      expect(await level('stranger')).toMatchObject({ permission: 'none' });
      expect(() => sandbox.setPermission('x', 'owner' as 'admin')).toThrow(
        'permission for x is "owner"; allowed: admin, maintain, write, triage, read, none',
      );
    });

    test('GIVEN the App opens a pull request with labels and assignees WHEN done over REST THEN opened is sent by the bot and only collaborators are assigned', async () => {
      await sandbox.commit('sync/dev', { 'sync.txt': 's\n' }, 'sync', { user: 'bob', from: 'main' });
      const before = receiver.received.length;
      const { data: pr } = await octokit.rest.pulls.create({
        owner,
        repo,
        head: 'sync/dev',
        base: 'dev',
        title: 'Bring main into dev',
        body: 'conflict',
      });
      await octokit.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: ['gitops/back-sync'] });
      const { data: issue } = await octokit.rest.issues.addAssignees({
        owner,
        repo,
        issue_number: pr.number,
        assignees: ['bob', 'stranger'],
      });
      expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['gitops/back-sync']);
      expect(issue.assignees?.map((a) => a.login)).toEqual(['bob']);
      await sandbox.idle();
      expect(payloads(receiver.received.slice(before), 'pull_request')).toEqual([
        expect.objectContaining({ action: 'opened', sender: expect.objectContaining({ login: sandbox.botLogin, type: 'Bot' }) }),
      ]);
      await expect(octokit.rest.pulls.create({ owner, repo, head: 'sync/dev', base: 'dev', title: 'again' })).rejects.toMatchObject({
        status: 422,
      });
    });

    test('GIVEN an approved pull request WHEN merged THEN closed(merged) then push on the base, and the PR records the merge commit', async () => {
      const before = receiver.received.length;
      const { sha } = await sandbox.merge(number, { user: 'bob' });
      const fresh = receiver.received.slice(before).map((r) => JSON.parse(r.body));
      expect(fresh.map((p) => p.action ?? `push ${p.ref}`)).toEqual(['closed', 'push refs/heads/dev']);
      expect(fresh[0]).toMatchObject({ pull_request: { merged: true, merge_commit_sha: sha, merged_by: { login: 'bob' } } });
      expect(fresh[1]).toMatchObject({ after: sha, head_commit: { id: sha } });
      expect(await sandbox.branchSha('dev')).toBe(sha);
      await expect(sandbox.merge(number)).rejects.toThrow('already merged');
    });

    test('GIVEN two branches changing the same line WHEN the second is merged THEN it throws a conflict and nothing moves', async () => {
      await sandbox.commit('feature/c1', { 'conflict.txt': 'one\n' }, 'c1', { user: 'alice', from: 'uat' });
      await sandbox.commit('feature/c2', { 'conflict.txt': 'two\n' }, 'c2', { user: 'alice', from: 'uat' });
      const first = await sandbox.openPullRequest({ head: 'feature/c1', base: 'uat', user: 'alice' });
      const second = await sandbox.openPullRequest({ head: 'feature/c2', base: 'uat', user: 'alice' });
      await sandbox.merge(first.number, { user: 'bob' });
      const uat = await sandbox.branchSha('uat');
      expect((await octokit.rest.pulls.get({ owner, repo, pull_number: second.number })).data.mergeable).toBe(false);
      await expect(sandbox.merge(second.number, { user: 'bob' })).rejects.toThrow(/conflicts in conflict.txt/);
      expect(await sandbox.branchSha('uat')).toBe(uat);
      expect(sandbox.state.pull(second.number)).toMatchObject({ state: 'open', merged: false });
    });
  });

  describe('deployments', () => {
    test('GIVEN a ref behind main WHEN a deployment is created with GitHub defaults THEN 409 (auto_merge would rewrite the branch)', async () => {
      await expect(octokit.rest.repos.createDeployment({ owner, repo, ref: 'uat', environment: 'uat' })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('auto_merge'),
      });
    });

    test('GIVEN a failing check on the commit WHEN required_contexts is left default THEN 409 naming the context', async () => {
      const sha = (await sandbox.branchSha('uat')) as string;
      await octokit.rest.checks.create({
        owner,
        repo,
        name: 'ci',
        head_sha: sha,
        conclusion: 'failure',
        output: { title: 'red', summary: 'red' },
      });
      const error = await octokit.rest.repos
        .createDeployment({ owner, repo, ref: sha, environment: 'uat', auto_merge: false })
        .catch((e: { status: number; response: { data: unknown } }) => e);
      expect(error).toMatchObject({ status: 409, response: { data: { errors: [{ contexts: [{ context: 'ci' }] }] } } });
    });

    test('GIVEN two successful deployments to one environment WHEN the second succeeds THEN the first becomes inactive and lists filter by environment', async () => {
      const create = async () => {
        const { data } = await octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: 'uat',
          environment: 'uat',
          auto_merge: false,
          required_contexts: [],
          payload: { plan: 1 },
        });
        if (!('id' in data)) throw new Error('deployment not created');
        await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: data.id, state: 'in_progress' });
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: data.id,
          state: 'success',
          log_url: 'http://example.test/log',
        });
        return data.id;
      };
      const first = await create();
      const second = await create();
      const states = async (id: number) =>
        (await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id })).data.map((s) => s.state);
      expect(await states(first)).toEqual(['inactive', 'success', 'in_progress']);
      expect(await states(second)).toEqual(['success', 'in_progress']);
      const listed = await octokit.rest.repos.listDeployments({ owner, repo, environment: 'uat' });
      expect(listed.data.map((d) => d.id)).toEqual([second, first]);
      expect((await octokit.rest.repos.listDeployments({ owner, repo, environment: 'prod' })).data).toEqual([]);
    });
  });

  describe('webhook deliveries', () => {
    test('GIVEN a delivery WHEN redelivered THEN the same body and delivery id arrive again with a valid signature', async () => {
      const original = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
      const before = receiver.received.length;
      const again = await sandbox.redeliver(original.id);
      const [arrived] = receiver.received.slice(before);
      expect(again).toMatchObject({ id: original.id, redelivery: true, status: 200 });
      expect(arrived?.headers['x-github-delivery']).toBe(original.id);
      expect(arrived?.body).toBe(original.body);
      expect(await verify(SECRET, arrived!.body, String(arrived!.headers['x-hub-signature-256']))).toBe(true);
      expect(() => sandbox.redeliver('nope')).toThrow('no delivery nope');
    });

    test('GIVEN a forged delivery WHEN sent THEN its signature does not verify with the webhook secret', async () => {
      const before = receiver.received.length;
      await sandbox.sendForged('issue_comment', { action: 'created' });
      const [arrived] = receiver.received.slice(before);
      expect(await verify(SECRET, arrived!.body, String(arrived!.headers['x-hub-signature-256']))).toBe(false);
    });

    test('GIVEN every delivery so far WHEN examined THEN each was answered 200 and none broke the x-webhooks schema', async () => {
      await sandbox.idle();
      expect(sandbox.deliveries.filter((d) => d.status !== 200)).toEqual([]);
      expect(sandbox.violations.filter((v) => v.kind === 'webhook' || v.kind === 'response')).toEqual([]);
    });

    test('GIVEN @octokit/webhooks-examples WHEN compared with the sandbox payloads THEN every key the examples have is present', async () => {
      const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
        name: string;
        examples: Record<string, unknown>[];
      }[];
      const example = (event: string, action?: string) =>
        examples.find((e) => e.name === event)!.examples.find((x) => x.action === action)!;
      const ours = (event: string, action?: string) =>
        sandbox.deliveries.find((d) => d.event === event && d.action === action && !d.forged)!.payload;
      const missing = (theirs: Record<string, unknown>, mine: Record<string, unknown>) => Object.keys(theirs).filter((k) => !(k in mine));
      const cases: [string, string | undefined, string[]][] = [
        ['pull_request', 'opened', ['pull_request', 'repository', 'sender']],
        ['pull_request', 'synchronize', ['pull_request']],
        ['pull_request_review', 'submitted', ['review', 'pull_request']],
        ['issue_comment', 'created', ['issue', 'comment']],
        ['push', undefined, ['repository', 'head_commit']],
      ];
      for (const [event, action, nested] of cases) {
        const theirs = example(event, action);
        const mine = ours(event, action);
        expect({ event, action, missing: missing(theirs, mine).filter((k) => k !== 'organization' && k !== 'enterprise') }).toEqual({
          event,
          action,
          missing: [],
        });
        for (const key of nested) {
          expect({ event, key, missing: missing(theirs[key] as Record<string, unknown>, mine[key] as Record<string, unknown>) }).toEqual({
            event,
            key,
            missing: [],
          });
        }
      }
    });
  });
});

describe('sandbox with a real Probot app reached through GHE_HOST', () => {
  let sandbox: Sandbox;
  let server: Server;

  beforeAll(async () => {
    sandbox = await startSandbox({ webhookSecret: SECRET, appId: 7, owner, repo, permissions: { alice: 'write' } });
    const probot = createProbot({
      env: {
        APP_ID: '7',
        PRIVATE_KEY: sandbox.privateKey,
        WEBHOOK_SECRET: SECRET,
        GHE_HOST: sandbox.gheHost,
        GHE_PROTOCOL: 'http',
        LOG_LEVEL: 'fatal',
      },
    });
    // The app answers "/ping" comments from people (never its own comments) through context.octokit.
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('issue_comment.created', async (context) => {
          if (context.payload.sender.type === 'Bot' || context.payload.comment.body !== '/ping') return;
          await context.octokit.rest.issues.createComment(context.issue({ body: `pong for ${context.payload.sender.login}` }));
        });
      },
      { probot },
    );
    server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sandbox.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);
  });

  afterAll(async () => {
    await sandbox.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('GIVEN a signed issue_comment WHEN Probot handles it THEN the app authenticates as the installation and its reply is stored', async () => {
    await sandbox.commit('feature/ping', { 'p.txt': 'p\n' }, 'p', { user: 'alice' });
    const { number } = await sandbox.openPullRequest({ head: 'feature/ping', base: 'dev', user: 'alice' });
    await sandbox.addComment({ pr: number, user: 'alice', body: '/ping' });
    await sandbox.idle();
    expect(sandbox.state.comments.map((c) => `${c.user}: ${c.body}`)).toEqual(['alice: /ping', `${sandbox.botLogin}: pong for alice`]);
    expect(sandbox.deliveries.map((d) => `${d.event}.${d.action ?? ''} ${d.status}`)).toEqual([
      'push. 200',
      'pull_request.opened 200',
      'issue_comment.created 200',
      'issue_comment.created 200',
    ]);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a forged signature WHEN delivered to Probot THEN it is rejected with 400 and nothing is written', async () => {
    const comments = sandbox.state.comments.length;
    const forged = await sandbox.sendForged('issue_comment', sandbox.deliveries.find((d) => d.event === 'issue_comment')!.payload);
    expect(forged.status).toBe(400);
    await sandbox.idle();
    expect(sandbox.state.comments.length).toBe(comments);
  });
});

describe('sandbox repository creation', () => {
  test('GIVEN a directory with node_modules and .git WHEN the repository is created from it THEN only the project files land on main and the chosen branches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-fromdir-'));
    await writeFile(join(dir, 'package.json'), '{}\n');
    await runGit(['init', '-q', dir]);
    await mkdir(join(dir, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'x', 'index.js'), '');
    await mkdir(join(dir, 'environments'));
    await writeFile(join(dir, 'environments', 'dev.yaml'), 'name: dev\n');
    const sandbox = await startSandbox({
      webhookSecret: SECRET,
      appId: 9,
      owner,
      repo,
      fromDir: dir,
      files: { 'extra.txt': 'e\n' },
      branches: ['dev', 'staging'],
    });
    try {
      const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueToken() });
      const { data } = await octokit.rest.repos.getContent({ owner, repo, path: '' });
      expect((data as { path: string }[]).map((e) => e.path).sort()).toEqual(['environments', 'extra.txt', 'package.json']);
      expect(await sandbox.branchSha('staging')).toBe(await sandbox.branchSha('main'));
      expect(await sandbox.branchSha('uat')).toBeUndefined();
      expect(await sandbox.readFile('dev', 'environments/dev.yaml')).toBe('name: dev\n');
      await expect(sandbox.commit('main', { '../escape.txt': 'x' })).rejects.toThrow('must be relative, inside the repository');
    } finally {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
