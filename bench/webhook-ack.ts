// Webhook acknowledgement latency of `gitops serve`: signed webhooks at a fixed rate (open loop:
// latency counts from the moment a request was due, so a slow answer cannot hide the ones queued
// behind it) against the real server in a child process on loopback. The controller's core is a
// no-op, so this measures the HTTP path only: signature check, delivery claim in SQLite, routing,
// enqueue. Target: p99 ≤ 50 ms at 100 requests/s. Baseline: GET /ping on the same server.
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, printTable } from './measure.js';

export interface WebhookAckRow {
  case: string;
  requests: number;
  /** Requests per second actually sent. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than the expected status (or none). */
  errors: number;
}

export const TARGET_P99_MS = 50;
const SECRET = 'bench-webhook-secret';
const SERVER_ROLE = 'GITOPS_BENCH_WEBHOOK_SERVER';

/** A realistic payload: GitHub's own pull_request.synchronize example (about 20 KB), re-pointed at acme/infra. */
function synchronizePayload(): string {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
  const example = examples.find((e) => e.name === 'pull_request')?.examples.find((x) => x.action === 'synchronize' && x.installation);
  if (!example) throw new Error('webhook-ack bench: no pull_request.synchronize example in @octokit/webhooks-examples');
  const p = structuredClone(example) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.assign(p.repository, { name: 'infra', clone_url: 'https://github.com/acme/infra.git' });
  p.repository.owner.login = 'acme';
  p.pull_request.state = 'open';
  Object.assign(p.pull_request.head, { ref: 'feature/x', sha: 'a'.repeat(40) });
  Object.assign(p.pull_request.base, { ref: 'dev', sha: 'b'.repeat(40) });
  return JSON.stringify(p);
}

/** The server side, run in a child process so the load generator does not share its event loop. */
async function serve(): Promise<void> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { pino } = await import('pino');
  const { serveController } = await import('../controller/compose.js');
  const workDir = mkdtempSync(join(tmpdir(), 'gitops-bench-webhook-'));
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const server = await serveController({
    config: {
      appId: 1,
      privateKey,
      webhookSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      baseUrl: 'http://127.0.0.1:9/api/v3',
      workDir,
      dbPath: join(workDir, 'gitops.sqlite'),
      concurrency: 2,
    },
    log: pino({ level: 'silent' }),
    core: {
      pullRequestChanged: async () => undefined,
      reviewChanged: async () => undefined,
      commentCreated: async () => ({ action: 'ignored' }),
      pushed: async () => undefined,
      applyApproved: async () => undefined,
      pullRequestClosed: async () => undefined,
    },
  });
  process.send?.({ url: server.url });
  process.on('message', async () => {
    await server.close();
    rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  });
}

function startServerProcess(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [SERVER_ROLE]: '1' },
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: (m as { url: string }).url }));
    child.once('exit', (code) => reject(new Error(`webhook-ack bench: the server process exited with ${code} before listening`)));
  });
}

interface Shot {
  method: 'GET' | 'POST';
  path: string;
  headers?: () => Record<string, string>;
  body?: string;
  expect: number;
}

function send(agent: Agent, url: string, shot: Shot): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${url}${shot.path}`, { method: shot.method, agent, headers: shot.headers?.() }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(shot.body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Fires `rate` requests per second for `seconds`; latency is measured from each request's due time. */
async function load(label: string, url: string, shot: Shot, rate: number, seconds: number): Promise<WebhookAckRow> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  for (let i = 0; i < 20; i++) await send(agent, url, shot); // warm-up, not measured
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    await sleep(due - performance.now());
    inflight.push(
      send(agent, url, shot).then((status) => {
        latencies.push(performance.now() - due);
        if (status !== shot.expect) errors++;
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return {
    case: label,
    requests: total,
    rate: total / elapsed,
    p50Ms: median(latencies),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    errors,
  };
}

export async function run(
  rate = Number(process.env.BENCH_WEBHOOK_RATE ?? 100),
  seconds = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 20),
): Promise<WebhookAckRow[]> {
  const body = synchronizePayload();
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  const ping = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
  const pingSignature = `sha256=${createHmac('sha256', SECRET).update(ping).digest('hex')}`;
  const webhook = (event: string, sig: string) => () => ({
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': sig,
  });
  const { child, url } = await startServerProcess();
  const rows: WebhookAckRow[] = [];
  try {
    rows.push(await load('GET /ping (baseline: HTTP only)', url, { method: 'GET', path: '/ping', expect: 200 }, rate, seconds));
    rows.push(
      await load(
        'ping webhook (signature check)',
        url,
        { method: 'POST', path: '/api/github/webhooks', headers: webhook('ping', pingSignature), body: ping, expect: 200 },
        rate,
        seconds,
      ),
    );
    rows.push(
      await load(
        `pull_request.synchronize, ${Math.round(body.length / 1024)} KB (claim + enqueue)`,
        url,
        { method: 'POST', path: '/api/github/webhooks', headers: webhook('pull_request', signature), body, expect: 200 },
        rate,
        seconds,
      ),
    );
    rows.push(
      await load(
        'forged signature (refused)',
        url,
        { method: 'POST', path: '/api/github/webhooks', headers: webhook('pull_request', 'sha256=' + '0'.repeat(64)), body, expect: 400 },
        rate,
        seconds,
      ),
    );
  } finally {
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
  }
  printTable(
    `Webhook acknowledgement: ${rate} signed requests/s for ${seconds} s each on loopback, server in its own process, no-op core (target: p99 ≤ ${TARGET_P99_MS} ms)`,
    ['case', 'requests', 'req/s', 'p50 (ms)', 'p99 (ms)', 'max (ms)', 'errors'],
    rows.map((r) => [r.case, r.requests, r.rate.toFixed(1), r.p50Ms.toFixed(2), r.p99Ms.toFixed(2), r.maxMs.toFixed(1), r.errors]),
  );
  return rows;
}

if (process.env[SERVER_ROLE]) await serve();
else if (import.meta.url === `file://${process.argv[1]}`) await run();
