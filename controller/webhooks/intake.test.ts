import { createHmac } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { checkHeaders, IntakeRefusal, MAX_BODY_BYTES, readBody, signatureMatches, verifiedEvent, type WebhookHeaders } from './intake.js';

const SECRET = 'intake-secret';
const sign = (body: string | Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const GUID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

const pullRequestEvent = {
  action: 'opened',
  installation: { id: 2 },
  repository: { name: 'infra', owner: { login: 'acme' }, clone_url: 'https://github.com/acme/infra.git' },
  pull_request: {
    number: 7,
    state: 'open',
    user: { login: 'alice' },
    head: { ref: 'feature/x', sha: 'a'.repeat(40) },
    base: { ref: 'dev', sha: 'b'.repeat(40) },
  },
};

/** Outcome of an intake step as the test sees it: the value, or the refusal's status and line. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (e) {
    if (e instanceof IntakeRefusal) return { status: e.status, reason: e.message, ...(e.field ? { field: e.field } : {}) };
    throw e;
  }
}

/** A real node:http server whose only route runs checkHeaders, then readBody with a small cap. */
let server: Server;
let url: string;
const BODY_CAP = 64 * 1024;
/** Each verdict the server reached, also those it could not send (the client had gone). */
const verdicts: unknown[] = [];
/** Per delivery id: its headers passed and its body is being read, and the verdict it got (a test waits for its own request). */
const readingIds = new Set<string>();
const verdictOf = new Map<string, unknown>();
beforeAll(async () => {
  server = createServer((req, res) => {
    const send = (result: unknown) => {
      verdicts.push(result);
      verdictOf.set(String(req.headers['x-github-delivery']), result);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
    };
    const headers = outcome(() => checkHeaders(req, BODY_CAP));
    if ((headers as { status?: number }).status) return void send(headers);
    readingIds.add(String(req.headers['x-github-delivery']));
    readBody(req, BODY_CAP).then(
      (body) => send({ headers, bytes: body.length }),
      (e: unknown) =>
        send(
          outcome(() => {
            throw e;
          }),
        ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Posts `chunks` (chunked when no content-length is given) and returns the server's verdict. */
function post(headers: Record<string, string>, chunks: Buffer[] = [Buffer.from('{}')]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        req.destroy();
        resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const good = {
  'content-type': 'application/json',
  'x-github-event': 'pull_request',
  'x-github-delivery': GUID,
  'x-hub-signature-256': sign('{}'),
};

describe('checkHeaders', () => {
  test('GIVEN the headers GitHub sends WHEN checked THEN the delivery id, event and signature come out and the body is read', async () => {
    expect(await post({ ...good, 'content-length': '2' })).toEqual({
      headers: { id: GUID, name: 'pull_request', signature: sign('{}') },
      bytes: 2,
    });
  });

  test.each([
    ['no content-type', 415, { 'content-type': '' }, 'content-type must be application/json'],
    ['a form body', 415, { 'content-type': 'application/x-www-form-urlencoded' }, 'content-type must be application/json'],
    [
      'an empty delivery id',
      400,
      { 'x-github-delivery': '' },
      'x-github-delivery must be 1 to 64 letters, digits or dashes (got an empty value)',
    ],
    [
      'a 10 kB delivery id',
      400,
      { 'x-github-delivery': 'd'.repeat(10_240) },
      'x-github-delivery must be 1 to 64 letters, digits or dashes (got 10240 characters)',
    ],
    [
      'a delivery id of 65 characters',
      400,
      { 'x-github-delivery': 'a'.repeat(65) },
      'x-github-delivery must be 1 to 64 letters, digits or dashes (got 65 characters)',
    ],
    [
      'a delivery id with a slash',
      400,
      { 'x-github-delivery': '../etc' },
      'x-github-delivery must be 1 to 64 letters, digits or dashes (got 6 characters)',
    ],
    [
      'an event name with capitals',
      400,
      { 'x-github-event': 'Pull_Request' },
      'x-github-event must be 1 to 64 lowercase letters or underscores (got 12 characters)',
    ],
    [
      'a sha1 signature',
      400,
      { 'x-hub-signature-256': `sha1=${'0'.repeat(40)}` },
      'signature does not match: x-hub-signature-256 must be sha256= and 64 hex digits',
    ],
    [
      'a content-length over the cap',
      413,
      { 'content-length': String(BODY_CAP + 1) },
      `body of ${BODY_CAP + 1} bytes is over the limit of ${BODY_CAP} bytes`,
    ],
  ])('GIVEN %s WHEN checked THEN %d and a line that names the header', async (_what, status, headers, reason) => {
    expect(await post({ ...good, ...headers }, [])).toEqual({ status, reason });
  });

  test.each(['x-github-event', 'x-hub-signature-256', 'x-github-delivery'])(
    'GIVEN no %s header WHEN checked THEN 400 names it',
    async (header) => {
      const headers: Record<string, string> = { ...good };
      delete headers[header];
      expect(await post(headers)).toEqual({ status: 400, reason: `required headers missing: ${header}` });
    },
  );
});

describe('readBody', () => {
  test('GIVEN a chunked body over the cap WHEN read THEN 413 as soon as the cap is passed', async () => {
    const chunk = Buffer.alloc(16 * 1024, 'x');
    expect(
      await post(
        good,
        Array.from({ length: 8 }, () => chunk),
      ),
    ).toEqual({ status: 413, reason: `body is over the limit of ${BODY_CAP} bytes` });
  });

  test('GIVEN a chunked body of exactly the cap WHEN read THEN all of it comes out', async () => {
    expect(await post(good, [Buffer.alloc(BODY_CAP, 'x')])).toMatchObject({ bytes: BODY_CAP });
  });

  test('GIVEN a client that disconnects halfway through the body WHEN read THEN a 400 refusal, not a failure', async () => {
    // its own delivery id: a late request of an earlier test cannot be taken for this one. A raw socket, not
    // http.request: an HTTP interceptor another test file left in this worker (nock) holds a request's body
    // until it ends, so a half-sent one would never reach the server.
    const id = 'disconnect-halfway-1';
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const head = Object.entries({ ...good, 'x-github-delivery': id, 'content-length': '4096', host: `127.0.0.1:${port}` })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST / HTTP/1.1\r\n${head}\r\n`);
    socket.write(Buffer.alloc(1024, 'x'));
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(() => readingIds.has(id));
    socket.destroy();
    await until(() => verdictOf.has(id));
    expect(verdictOf.get(id)).toEqual({ status: 400, reason: 'the connection ended before the body did' });
  });

  test("GIVEN the default cap THEN it is GitHub's 25 MB payload cap", () => {
    expect(MAX_BODY_BYTES).toBe(25 * 1024 * 1024);
  });
});

describe('signatureMatches', () => {
  const body = Buffer.from(JSON.stringify(pullRequestEvent));

  test('GIVEN the HMAC of the exact bytes WHEN compared THEN it matches; another secret, another body or a cut signature does not', () => {
    expect(signatureMatches(SECRET, body, sign(body))).toBe(true);
    expect(signatureMatches(SECRET, body, sign(body, 'guess'))).toBe(false);
    expect(signatureMatches(SECRET, Buffer.concat([body, Buffer.from(' ')]), sign(body))).toBe(false);
    expect(signatureMatches(SECRET, body, sign(body).slice(0, -2))).toBe(false);
  });

  test('GIVEN a body that is not UTF-8 WHEN signed over its bytes THEN it matches (the bytes are signed, not a decoding of them)', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(signatureMatches(SECRET, bytes, sign(bytes))).toBe(true);
  });
});

describe('verifiedEvent', () => {
  const headersOf = (body: Buffer, name = 'pull_request'): WebhookHeaders => ({ id: GUID, name, signature: sign(body) });
  const verify = (text: string, name?: string) =>
    outcome(() => verifiedEvent(headersOf(Buffer.from(text), name), Buffer.from(text), SECRET));

  test('GIVEN a signed pull_request WHEN verified THEN the event comes out with its payload', () => {
    expect(verify(JSON.stringify(pullRequestEvent))).toEqual({ id: GUID, name: 'pull_request', payload: pullRequestEvent });
  });

  test('GIVEN a forged body WHEN verified THEN 400 and the line does not quote it', () => {
    const body = Buffer.from(JSON.stringify({ ...pullRequestEvent, secret: 'MARKER' }));
    const refusal = outcome(() => verifiedEvent({ id: GUID, name: 'pull_request', signature: sign('other') }, body, SECRET));
    expect(refusal).toEqual({ status: 400, reason: 'signature does not match the body and the webhook secret' });
  });

  test.each([
    ['{"action": "opened", MARKER', 'body is not JSON'],
    ['["MARKER"]', 'body is not a JSON object'],
    ['null', 'body is not a JSON object'],
  ])('GIVEN a signed body %s WHEN verified THEN 400 without a quote of it', (text, reason) => {
    expect(verify(text)).toEqual({ status: 400, reason });
  });

  test('GIVEN a signed pull_request without pull_request.head WHEN verified THEN 400 names the event and the field', () => {
    const { head: _head, ...pullRequest } = pullRequestEvent.pull_request;
    expect(verify(JSON.stringify({ ...pullRequestEvent, pull_request: pullRequest }))).toEqual({
      status: 400,
      reason: 'pull_request payload has no pull_request.head',
      field: 'pull_request.head',
    });
  });

  test('GIVEN an event the controller does not handle WHEN verified THEN its payload is not checked', () => {
    expect(verify('{"zen":"Keep it logically awesome."}', 'ping')).toMatchObject({ name: 'ping' });
  });
});
