import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { ControllerCore } from '../core/controller.js';
import type { PullRequestRef } from '../core/ports/session.js';
import { serveController, type ServedController } from '../compose.js';

const SECRET = 'It’s a Secret to Everybody';
const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

function recordingCore() {
  const changed: PullRequestRef[] = [];
  // hold() makes jobs wait until release(), to show the HTTP answer never waits for the work.
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const hold = () => {
    gate = new Promise<void>((r) => (open = r));
  };
  const core: ControllerCore = {
    pullRequestChanged: async (_s, pr) => {
      await gate;
      changed.push(pr);
    },
    reviewChanged: async () => undefined,
    commentCreated: async () => ({ action: 'ignored' }),
  };
  return { core, changed, hold, release: () => open() };
}

const prPayload = (head = 'a'.repeat(40)) =>
  JSON.stringify({
    action: 'opened',
    number: 7,
    installation: { id: 2 },
    repository: { name: 'infra', owner: { login: 'acme' }, clone_url: 'https://github.com/acme/infra.git' },
    pull_request: {
      number: 7,
      state: 'open',
      user: { login: 'alice' },
      head: { ref: 'feature/x', sha: head },
      base: { ref: 'dev', sha: 'b'.repeat(40) },
    },
  });

const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function post(server: ServedController, body: string, headers: Record<string, string>) {
  const res = await fetch(server.webhookUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: res.status, text: await res.text() };
}

let server: ServedController;
let recorded: ReturnType<typeof recordingCore>;

beforeEach(async () => {
  recorded = recordingCore();
  const workDir = mkdtempSync(join(tmpdir(), 'gitops-server-'));
  server = await serveController({
    config: {
      appId: 1,
      privateKey,
      webhookSecret: SECRET,
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      baseUrl: 'http://127.0.0.1:9/api/v3',
      workDir,
      dbPath: join(workDir, 'db.sqlite'),
      concurrency: 2,
    },
    log: pino({ level: 'silent' }),
    core: recorded.core,
  });
});
afterEach(() => server.close());

describe('serveController', () => {
  test('GIVEN a signed pull_request webhook WHEN posted THEN 200 comes back before the job has run, and then one job reaches the core', async () => {
    recorded.hold();
    const body = prPayload();
    const res = await post(server, body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-1',
      'x-hub-signature-256': sign(body),
    });
    expect(res.status).toBe(200);
    expect(recorded.changed).toEqual([]); // answered while the job is still blocked: the ack does not wait for work
    recorded.release();
    await server.runtime.queue.onIdle();
    expect(recorded.changed.map((p) => [p.headRef, p.baseRef, p.number])).toEqual([['feature/x', 'dev', 7]]);
  });

  test.each([
    ['signed with another secret', (body: string) => sign(body, 'guess')],
    ['a signature of another body', () => sign(prPayload('c'.repeat(40)))],
    ['a malformed signature', () => 'sha256=zz'],
  ])('GIVEN a webhook %s WHEN posted THEN 400 and nothing happens (no job, delivery not claimed)', async (_what, signature) => {
    const body = prPayload();
    const res = await post(server, body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-forged',
      'x-hub-signature-256': signature(body),
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('signature does not match');
    await server.runtime.queue.onIdle();
    expect(recorded.changed).toEqual([]);
    expect(server.runtime.store.claimDelivery('d-forged', 'check')).toBe(true);
  });

  test('GIVEN a webhook without a signature header WHEN posted THEN 400 names the missing header', async () => {
    const res = await post(server, prPayload(), { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-2' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('x-hub-signature-256');
    expect(recorded.changed).toEqual([]);
  });

  test('GIVEN the same delivery sent twice WHEN posted THEN both are acknowledged and the core sees it once', async () => {
    const body = prPayload();
    const headers = { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-3', 'x-hub-signature-256': sign(body) };
    expect((await post(server, body, headers)).status).toBe(200);
    expect((await post(server, body, headers)).status).toBe(200);
    await server.runtime.queue.onIdle();
    expect(recorded.changed).toHaveLength(1);
  });

  test('GIVEN the probes WHEN requested THEN /ping answers PONG, /healthz the job count, anything else 404', async () => {
    expect(await (await fetch(`${server.url}/ping`)).text()).toBe('PONG');
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true, jobs: 0 });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(server.webhookUrl)).status).toBe(404);
  });

  test('GIVEN a busy port WHEN a second server starts on it THEN the error names PORT', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'gitops-server-'));
    await expect(
      serveController({
        config: {
          appId: 1,
          privateKey,
          webhookSecret: SECRET,
          port: server.port,
          host: '127.0.0.1',
          logLevel: 'silent',
          baseUrl: 'x',
          workDir,
          dbPath: join(workDir, 'db'),
          concurrency: 1,
        },
        log: pino({ level: 'silent' }),
        core: recorded.core,
      }),
    ).rejects.toThrow(`PORT ${server.port} on 127.0.0.1 is already in use`);
  });
});
