// What the sandbox's own tests share: a standard sandbox with a webhook receiver, git run as a
// client would run it, and small helpers for tokens, JWTs and received payloads.
import { execFile } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { startSandbox, type Sandbox } from './sandbox.js';

export const SECRET = 'sandbox-webhook-secret';
export const owner = 'acme';
export const repo = 'infra';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  server: Server;
}

/** A tiny webhook receiver: records every POST and answers 200. */
async function startReceiver(): Promise<Receiver> {
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

export interface TestSandbox {
  sandbox: Sandbox;
  /** Receives the sandbox's webhooks. */
  receiver: Receiver;
  /** Acts as the App's installation. */
  octokit: Octokit;
  /** A scratch directory for clones, removed by stopTestSandbox. */
  work: string;
}

const running: TestSandbox[] = [];

/**
 * A fresh sandbox for acme/infra (README.md and environments/dev.yaml, prod.yaml on main, dev and uat)
 * with alice (write), bob (maintain) and rita (read), its webhooks going to a new receiver. A test file
 * starts one in beforeAll and stops it in afterAll; each describe makes the branches, pull requests and
 * deliveries it reads in its own setup, so it passes alone.
 */
export async function startTestSandbox(): Promise<TestSandbox> {
  const receiver = await startReceiver();
  const sandbox = await startSandbox({
    webhookUrl: receiver.url,
    webhookSecret: SECRET,
    appId: 4242,
    owner,
    repo,
    files: { 'README.md': '# infra\n', 'environments/dev.yaml': 'name: dev\n', 'environments/prod.yaml': 'name: prod\n' },
    permissions: { alice: 'write', bob: 'maintain', rita: 'read' },
  });
  const octokit = new Octokit({
    baseUrl: sandbox.apiUrl,
    auth: sandbox.issueToken(),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const work = await mkdtemp(join(tmpdir(), 'sandbox-test-'));
  const started = { sandbox, receiver, octokit, work };
  running.push(started);
  return started;
}

/** Stops every sandbox startTestSandbox started in this test file (Jest gives each file its own modules). */
export async function stopTestSandbox(): Promise<void> {
  for (const { sandbox, receiver, work } of running.splice(0)) {
    await sandbox.close();
    await new Promise((resolve) => receiver.server.close(resolve));
    await rm(work, { recursive: true, force: true });
  }
}

export function runGit(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
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

export function withToken(cloneUrl: string, token: string, user = 'x-access-token'): string {
  const url = new URL(cloneUrl);
  url.username = user;
  url.password = token;
  return url.toString();
}

export function jwt(claims: Record<string, unknown>, privateKey: string): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
}

export function payloads(received: Received[], event: string): Record<string, unknown>[] {
  return received.filter((r) => r.headers['x-github-event'] === event).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}
