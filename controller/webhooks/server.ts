// The HTTP server of `gitops serve`: Probot's webhook middleware (signature verification) at
// /api/github/webhooks for the app it is given, plus GET /ping and GET /healthz. A plain node:http
// server rather than Probot's `Server`, which turns port 0 into 3000 (tests and benches need
// ephemeral ports) and logs every request at info level. What the app is made of is decided by the
// composition root (controller/compose.ts), not here.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Probot, type ApplicationFunction, type ProbotOctokit } from 'probot';
import type { ServeConfig } from './config.js';

export const WEBHOOK_PATH = '/api/github/webhooks';

export interface WebhookServerOptions {
  readonly config: Pick<ServeConfig, 'appId' | 'privateKey' | 'webhookSecret' | 'baseUrl' | 'port' | 'host' | 'workDir'>;
  readonly log: Logger;
  /** The Probot app to serve (controller/compose.ts builds it). */
  readonly app: ApplicationFunction;
  /** Extra fields of GET /healthz (e.g. queued jobs). @default none */
  readonly health?: () => Record<string, unknown>;
  /** Octokit class for Probot (tests turn retries and throttling off). @default ProbotOctokit */
  readonly Octokit?: typeof ProbotOctokit;
}

export interface WebhookServer {
  /** http://host:port */
  readonly url: string;
  readonly webhookUrl: string;
  readonly port: number;
  readonly probot: Probot;
  /** Stops listening; open connections finish first. */
  close(): Promise<void>;
}

function listen(server: HttpServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`PORT ${port} on ${host} is already in use (set PORT to another port, or 0 for any)`) : e),
    );
    server.listen({ port, host }, () => resolve(server.address() as AddressInfo));
  });
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const { config, log } = opts;
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    baseUrl: config.baseUrl,
    log,
    ...(opts.Octokit ? { Octokit: opts.Octokit } : {}),
  });
  await probot.load(opts.app);
  const webhooks = await probot.getNodeMiddleware({ path: WEBHOOK_PATH });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (await webhooks(req, res)) return;
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/ping') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
      if (req.method === 'GET' && path === '/healthz') {
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, ...(opts.health?.() ?? {}) }));
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } catch (e) {
      log.error({ err: (e as Error).message }, 'request failed');
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  const address = await listen(server, config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url: `${url}${WEBHOOK_PATH}`, api: config.baseUrl, workDir: config.workDir }, 'gitops controller listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    port: address.port,
    probot,
    close() {
      closing ??= (async () => {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
