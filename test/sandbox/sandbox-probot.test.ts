import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createNodeMiddleware, createProbot } from 'probot';
import { startSandbox, type Sandbox } from './sandbox.js';
import { owner, repo, runGit, SECRET } from './test-sandbox.js';

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
