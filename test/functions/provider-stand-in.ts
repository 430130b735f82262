// A local HTTP server standing in for a third-party API (payment or notification provider): it
// records every request and answers with the status and JSON the test sets, so handlers are tested
// with the real fetch over a real socket.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface ProviderStandIn {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** What the next requests get. */
  answer(status: number, body: unknown): void;
  close(): Promise<void>;
}

export async function providerStandIn(): Promise<ProviderStandIn> {
  const seen: SeenRequest[] = [];
  let reply: { status: number; body: unknown } = { status: 200, body: {} };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answer: (status, body) => (reply = { status, body }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
