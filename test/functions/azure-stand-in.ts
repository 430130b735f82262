// A local HTTP server playing the Azure services the AWS functions call: Entra ID's token endpoint,
// a Blob Storage container (Put Blob, Put Block, Put Block List, Get Blob kept in memory) and the
// Logs Ingestion API (rows kept per stream). `fail` makes matching requests answer a status, a
// number of times or for good, so retries and refusals are tested over a real socket with real fetch.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AzureRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface AzureStandIn {
  readonly base: string;
  readonly seen: AzureRequest[];
  /** Committed blobs by path (`/<container>/<name>`, decoded). */
  readonly blobs: Map<string, Buffer>;
  /** Rows received by stream name. */
  readonly rows: Map<string, unknown[]>;
  /** Requests whose `METHOD url` matches answer `status`, `times` times (@default every time). */
  fail(match: RegExp, status: number, times?: number): void;
  close(): Promise<void>;
}

export async function azureStandIn(): Promise<AzureStandIn> {
  const seen: AzureRequest[] = [];
  const blobs = new Map<string, Buffer>();
  const blocks = new Map<string, Buffer>();
  const rows = new Map<string, unknown[]>();
  const failures: { match: RegExp; status: number; left: number }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const url = new URL(req.url!, 'http://stand-in');
      const path = decodeURIComponent(url.pathname);
      const failing = failures.find((f) => f.left > 0 && f.match.test(`${req.method} ${req.url}`));
      if (failing) {
        failing.left--;
        return res.writeHead(failing.status).end();
      }
      if (path.endsWith('/oauth2/v2.0/token')) {
        const count = seen.filter((s) => s.url.endsWith('/token')).length;
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ access_token: `token-${count}`, expires_in: 3600 }));
      }
      if (path.includes('/dataCollectionRules/')) {
        const stream = path.slice(path.lastIndexOf('/') + 1);
        rows.set(stream, [...(rows.get(stream) ?? []), ...(JSON.parse(body.toString()) as unknown[])]);
        return res.writeHead(204).end();
      }
      const comp = url.searchParams.get('comp');
      if (req.method === 'PUT' && comp === 'block') {
        blocks.set(`${path}#${url.searchParams.get('blockid')}`, body);
        return res.writeHead(201).end();
      }
      if (req.method === 'PUT' && comp === 'blocklist') {
        const ids = [...body.toString().matchAll(/<Latest>([^<]+)<\/Latest>/g)].map((m) => m[1]);
        blobs.set(path, Buffer.concat(ids.map((id) => blocks.get(`${path}#${id}`)!)));
        return res.writeHead(201).end();
      }
      if (req.method === 'PUT') {
        blobs.set(path, body);
        return res.writeHead(201).end();
      }
      const blob = blobs.get(path);
      if (req.method === 'GET' && blob) return res.writeHead(200).end(blob);
      return res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    blobs,
    rows,
    fail: (match, status, times = Number.POSITIVE_INFINITY) => void failures.push({ match, status, left: times }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
