import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { serveController, type ServedController } from '../compose.js';
import {
  capturingLog,
  post,
  prEvent,
  prPayload,
  privateKey,
  recordingCore,
  SECRET,
  serveForTest,
  sign,
} from '../../test/fixtures/served-controller.js';
import { payloadFreeLog } from './server.js';

let server: ServedController;
let recorded: ReturnType<typeof recordingCore>;
/** Every log line the server wrote, at trace level (the most it can write). */
let logged: string;

beforeEach(async () => {
  recorded = recordingCore();
  logged = '';
  server = await serveForTest(
    capturingLog((text) => (logged += text)),
    recorded.core,
  );
});
afterEach(() => server.close());

/** Deliveries the store holds (each is forgotten as it is counted). */
const storedDeliveries = () => server.runtime.store.pruneDeliveries(new Date('9999-12-31T00:00:00Z'));

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
    expect(await server.runtime.store.claimDelivery('d-forged', 'check')).toBe(true);
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
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true, jobs: 0, store: 'sqlite' });
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

const MiB = 1024 * 1024;

interface RawAnswer {
  status: number;
  text: string;
  /** Body bytes the client had written when the answer arrived. */
  sentBeforeAnswer: number;
  /** The client saw a 100 Continue. */
  continued: boolean;
  /** The server closed the connection within 10 s of answering. */
  closed: Promise<boolean>;
}

/**
 * Posts a body of `declared` bytes in 1 MiB chunks (in Content-Length, or chunked), writing only as
 * fast as the server reads. Only the first `send` bytes are written (default: all of them); then the
 * client waits for the answer without ending the body, so a server that waits for the whole body never
 * answers. Writing stops as soon as an answer arrives.
 */
function postLarge(
  url: string,
  declared: number,
  headers: Record<string, string>,
  opts: { chunked?: boolean; send?: number } = {},
): Promise<RawAnswer> {
  const chunk = Buffer.alloc(MiB, 'x');
  const send = opts.send ?? declared;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    let continued = false;
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...(opts.chunked ? {} : { 'content-length': String(declared) }), ...headers },
    });
    let ended = false;
    req.once('socket', (socket) => socket.once('end', () => (ended = true)).once('close', () => (ended = true)));
    /** Whether the server closed the connection within 10 s of answering. */
    const closedAfterAnswer = (socket: IncomingMessage['socket']) =>
      new Promise<boolean>((done) => {
        if (ended) return done(true);
        socket.once('end', () => done(true)).once('close', () => done(true));
        setTimeout(() => done(ended), 10_000).unref();
      });
    const write = () => {
      while (!answered && sent < send) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      if (!answered && sent >= declared) req.end();
    };
    req.on('continue', () => {
      continued = true;
      write();
    });
    req.on('response', (res: IncomingMessage) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      const closed = closedAfterAnswer(res.socket);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, sentBeforeAnswer, continued, closed }));
    });
    // Writes after the server closed fail; the answer is what counts.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    if (headers.expect !== '100-continue') write();
    else req.flushHeaders();
  });
}

const forgedHeaders = (id: string) => ({
  'x-github-event': 'pull_request',
  'x-github-delivery': id,
  'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
});

describe('webhook intake', () => {
  test('GIVEN a body declared at 26 MiB of which 1 MiB is sent WHEN posted THEN 413 comes back without waiting for the rest, and the connection is closed', async () => {
    const answer = await postLarge(server.webhookUrl, 26 * MiB, forgedHeaders('big-1'), { send: MiB });
    expect([answer.status, answer.text]).toEqual([413, 'body of 27262976 bytes is over the limit of 26214400 bytes\n']);
    expect(await answer.closed).toBe(true);
    expect(await storedDeliveries()).toBe(0);
  });

  test('GIVEN a chunked body of 40 MiB of which 26 MiB are sent WHEN posted THEN 413 once 25 MiB have passed, without waiting for its end', async () => {
    const answer = await postLarge(server.webhookUrl, 40 * MiB, forgedHeaders('big-2'), { chunked: true, send: 26 * MiB });
    expect([answer.status, answer.text]).toEqual([413, 'body is over the limit of 26214400 bytes\n']);
    expect(await answer.closed).toBe(true);
  });

  test('GIVEN a client that waits for 100 Continue WHEN its declared body is over the limit THEN 413 and it is never asked for the body', async () => {
    const answer = await postLarge(server.webhookUrl, 26 * MiB, { ...forgedHeaders('big-3'), expect: '100-continue' });
    expect([answer.status, answer.continued, answer.sentBeforeAnswer]).toEqual([413, false, 0]);
  });

  test('GIVEN a forged 1 MiB body WHEN posted THEN 400, and no log line (at trace level) holds any part of it', async () => {
    const body = JSON.stringify({ action: 'opened', start: 'FORGED-START', filler: 'f'.repeat(MiB), end: 'FORGED-END' });
    const res = await post(server, body, forgedHeaders('forged-1'));
    await server.runtime.queue.onIdle();
    expect(res.status).toBe(400);
    expect(logged).not.toMatch(/FORGED-START|FORGED-END|f{64}/);
    expect(logged.length).toBeLessThan(4096);
    expect(logged).toContain('webhook refused: signature does not match the body and the webhook secret');
  });

  test('GIVEN a signed event WHEN it is handled THEN no log line (at trace level) holds its payload', async () => {
    const body = prPayload();
    expect(
      (await post(server, body, { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-trace', 'x-hub-signature-256': sign(body) }))
        .status,
    ).toBe(200);
    await server.runtime.queue.onIdle();
    expect(recorded.changed).toHaveLength(1);
    expect(logged).not.toContain('PAYLOAD-TITLE-MARKER');
  });

  test('GIVEN a signed pull_request without pull_request.head WHEN posted THEN 400 names the field, the log says which event and field, and nothing is claimed or queued', async () => {
    const event = prEvent() as { pull_request: Record<string, unknown> };
    delete event.pull_request.head;
    const body = JSON.stringify(event);
    const res = await post(server, body, {
      'x-github-event': 'pull_request',
      'x-github-delivery': 'd-nohead',
      'x-hub-signature-256': sign(body),
    });
    await server.runtime.queue.onIdle();
    expect([res.status, res.text]).toEqual([400, 'pull_request payload has no pull_request.head\n']);
    const line = logged.split('\n').find((l) => l.includes('webhook refused'));
    expect(JSON.parse(line!)).toMatchObject({ status: 400, delivery: 'd-nohead', event: 'pull_request', field: 'pull_request.head' });
    expect(recorded.changed).toEqual([]);
    expect(await storedDeliveries()).toBe(0);
  });

  test.each([
    ['empty', '', 'got an empty value'],
    ['10 kB', 'd'.repeat(10_240), 'got 10240 characters'],
  ])(
    'GIVEN a signed event with an %s delivery id WHEN posted THEN 400 with a one-line reason and nothing is stored; a valid id after it is handled',
    async (_what, id, got) => {
      const body = prPayload();
      const res = await post(server, body, {
        'x-github-event': 'pull_request',
        'x-github-delivery': id,
        'x-hub-signature-256': sign(body),
      });
      await server.runtime.queue.onIdle();
      expect([res.status, res.text]).toEqual([400, `x-github-delivery must be 1 to 64 letters, digits or dashes (${got})\n`]);
      expect(await storedDeliveries()).toBe(0);
      expect(recorded.changed).toEqual([]);
      const guid = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
      expect(
        (await post(server, body, { 'x-github-event': 'pull_request', 'x-github-delivery': guid, 'x-hub-signature-256': sign(body) }))
          .status,
      ).toBe(200);
      await server.runtime.queue.onIdle();
      expect(recorded.changed).toHaveLength(1);
      expect(await storedDeliveries()).toBe(1);
    },
  );

  test('GIVEN a signed event the controller does not handle WHEN posted THEN 200 and nothing is queued', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const res = await post(server, body, { 'x-github-event': 'ping', 'x-github-delivery': 'd-ping', 'x-hub-signature-256': sign(body) });
    expect([res.status, res.text]).toEqual([200, 'ok\n']);
    expect(server.runtime.queue.size).toBe(0);
  });
});

describe('payloadFreeLog', () => {
  test("GIVEN errors with the event attached (as @octokit/webhooks makes them) and Probot's received-event line WHEN logged THEN no line holds the payload, and the errors and the delivery id still show", () => {
    let out = '';
    const log = payloadFreeLog(capturingLog((text) => (out += text)));
    const event = { id: 'd-1', name: 'pull_request', payload: { action: 'opened', title: 'PAYLOAD-MARKER' } };
    const error = Object.assign(new AggregateError([Object.assign(new TypeError('handler broke'), { event })], 'handler broke'), { event });
    log.child({ name: 'event', id: event.id }).error(error);
    log.child({ name: 'probot' }).debug({ event }, 'Webhook received');
    log.info({ payload: event.payload }, 'a payload by name');
    expect(out).not.toContain('PAYLOAD-MARKER');
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(lines[0]).toMatchObject({
      delivery: 'd-1',
      err: { type: 'AggregateError', message: 'handler broke', errors: [{ type: 'TypeError', message: 'handler broke' }] },
    });
    expect(lines[1]).toMatchObject({ event: { id: 'd-1', name: 'pull_request', action: 'opened' }, msg: 'Webhook received' });
    expect(lines[2]).toMatchObject({ payload: '[payload not logged]' });
  });
});

/** `gitops serve` as an operator runs it, in its own process, logging at trace level to a string. */
async function serveProcess() {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-serve-intake-'));
  writeFileSync(join(dir, 'app.pem'), privateKey);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, APP_ID: '1', PRIVATE_KEY_PATH: 'app.pem', WEBHOOK_SECRET: SECRET };
  const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'gitops.mjs'), 'serve'], {
    cwd: dir,
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'trace',
      GITOPS_WORK_DIR: 'work',
      GHE_HOST: '127.0.0.1:9',
      GHE_PROTOCOL: 'http',
    },
  });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)\/api\/github\/webhooks/.exec(log);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
  });
  const status = () => readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return {
    webhookUrl: `${url}/api/github/webhooks`,
    log: () => log,
    /** Peak resident memory since the last resetPeak (Linux: VmHWM). */
    peakBytes: () => Number(/VmHWM:\s+(\d+) kB/.exec(status())![1]) * 1024,
    residentBytes: () => Number(/VmRSS:\s+(\d+) kB/.exec(status())![1]) * 1024,
    resetPeak: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))),
  };
}

describe('gitops serve in its own process', () => {
  test('GIVEN 8 forged bodies declared at 128 MiB WHEN posted at once THEN each gets 413 unread: peak memory grows by under 16 MiB, the log by under 8 kB', async () => {
    const served = await serveProcess();
    try {
      const logBefore = served.log().length;
      served.resetPeak();
      const resident = served.residentBytes();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => postLarge(served.webhookUrl, 128 * MiB, forgedHeaders(`huge-${i}`))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(413));
      expect(served.peakBytes() - resident).toBeLessThan(16 * MiB);
      expect(served.log().length - logBefore).toBeLessThan(8192);
      expect(served.log()).not.toContain('x'.repeat(64));
    } finally {
      await served.stop();
    }
  }, 60_000);
});
