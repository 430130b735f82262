import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceBus } from './service-bus.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A local HTTP server playing Entra ID's token endpoint and a Service Bus namespace. */
async function fakeAzure(options: { tokenStatus?: number; sendStatus?: number; queued?: string[] } = {}) {
  const seen: Seen[] = [];
  const queued = [...(options.queued ?? [])];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url!.endsWith('/oauth2/v2.0/token')) {
        res.writeHead(options.tokenStatus ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `token-${seen.filter((s) => s.url.endsWith('/token')).length}`, expires_in: 3600 }));
      } else if (req.method === 'POST') {
        res.writeHead(options.sendStatus ?? 201).end();
      } else {
        const next = queued.shift();
        if (next === undefined) res.writeHead(204).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(next);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, base, close: () => new Promise((r) => server.close(r)) };
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

async function busAgainst(options: Parameters<typeof fakeAzure>[0] = {}, now = () => 0) {
  const azure = await fakeAzure(options);
  closers.push(azure.close);
  let secretReads = 0;
  const bus = serviceBus({
    namespace: `${azure.base}/ns`,
    authority: azure.base,
    tenantId: 'tenant-1',
    clientId: 'client-1',
    clientSecret: async () => `secret-${++secretReads}`,
    now,
  });
  return { bus, azure };
}

describe('serviceBus', () => {
  test('GIVEN two sends WHEN made THEN one client-credentials token serves both; messages carry the id for duplicate detection', async () => {
    const { bus, azure } = await busAgainst();
    await bus.send('payment-requests', { orderId: 'o1' }, 'o1');
    await bus.send('notifications', { type: 'x' });
    const [token, first, second] = azure.seen;
    expect(azure.seen).toHaveLength(3);
    expect(token!.url).toBe('/tenant-1/oauth2/v2.0/token');
    expect(Object.fromEntries(new URLSearchParams(token!.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: 'secret-1',
      scope: 'https://servicebus.azure.net/.default',
    });
    expect(first).toMatchObject({ method: 'POST', url: '/ns/payment-requests/messages', body: '{"orderId":"o1"}' });
    expect(first!.headers).toMatchObject({ authorization: 'Bearer token-1', brokerproperties: '{"MessageId":"o1"}' });
    expect(second!.headers.brokerproperties).toBeUndefined();
  });

  test('GIVEN the token is about to expire WHEN sending THEN a new one is fetched a minute before', async () => {
    let clock = 0;
    const { bus, azure } = await busAgainst({}, () => clock);
    await bus.send('q', {});
    clock = (3600 - 60) * 1000;
    await bus.send('q', {});
    expect(azure.seen.filter((s) => s.url.endsWith('/token'))).toHaveLength(2);
    expect(azure.seen.at(-1)!.headers.authorization).toBe('Bearer token-2');
  });

  test('GIVEN queued messages WHEN received THEN each is taken off the head (receive and delete) until the queue is empty', async () => {
    const { bus, azure } = await busAgainst({ queued: ['{"orderId":"o1"}'] });
    expect(await bus.receive('payment-results')).toEqual({ orderId: 'o1' });
    expect(await bus.receive('payment-results')).toBeUndefined();
    expect(azure.seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/ns/payment-results/messages/head?timeout=1' });
  });

  test('GIVEN Entra ID or Service Bus refuses WHEN sending THEN the error names the step and status, not the secret', async () => {
    const refusedToken = await busAgainst({ tokenStatus: 401 });
    await expect(refusedToken.bus.send('q', {})).rejects.toThrow('Entra ID refused the token request: HTTP 401');
    const refusedSend = await busAgainst({ sendStatus: 403 });
    await expect(refusedSend.bus.send('orders', {})).rejects.toThrow('Service Bus refused a message to orders: HTTP 403');
  });
});
