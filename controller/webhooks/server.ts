// The HTTP server of `gitops serve`: Probot's webhook middleware (signature verification) at
// /api/github/webhooks, plus GET /ping and GET /healthz. A plain node:http server rather than
// Probot's `Server`, which turns port 0 into 3000 (tests and benches need ephemeral ports) and
// logs every request at info level.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { Probot, type ProbotOctokit } from 'probot';
import { controllerApp } from '../app.js';
import type { ControllerCore } from '../core/controller.js';
import type { Planner } from '../core/ports.js';
import type { ServeConfig } from './config.js';
import { createRuntime, type Runtime } from './runtime.js';

export const WEBHOOK_PATH = '/api/github/webhooks';

export interface WebhookServerOptions {
  readonly config: ServeConfig;
  /** @default a JSON pino logger at config.logLevel */
  readonly log?: Logger;
  /** Replaces the release controller (the webhook-ack bench). */
  readonly core?: ControllerCore;
  /** Replaces the plan service. */
  readonly planner?: Planner;
  /** Octokit class for Probot (tests turn retries and throttling off). @default ProbotOctokit */
  readonly Octokit?: typeof ProbotOctokit;
}

export interface WebhookServer {
  /** http://host:port */
  readonly url: string;
  readonly webhookUrl: string;
  readonly port: number;
  readonly runtime: Runtime;
  readonly probot: Probot;
  /** Stops listening, then drains the queue (running jobs are aborted) and closes the store. */
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
  const { config } = opts;
  const log = opts.log ?? pino({ level: config.logLevel, name: 'gitops' });
  const runtime = createRuntime({
    workDir: config.workDir,
    dbPath: config.dbPath,
    concurrency: config.concurrency,
    log,
    core: opts.core,
    planner: opts.planner,
  });
  try {
    const probot = new Probot({
      appId: config.appId,
      privateKey: config.privateKey,
      secret: config.webhookSecret,
      baseUrl: config.baseUrl,
      log,
      ...(opts.Octokit ? { Octokit: opts.Octokit } : {}),
    });
    await probot.load(controllerApp(runtime));
    const webhooks = await probot.getNodeMiddleware({ path: WEBHOOK_PATH });

    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      try {
        if (await webhooks(req, res)) return;
        const path = (req.url ?? '').split('?')[0];
        if (req.method === 'GET' && path === '/ping') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
        if (req.method === 'GET' && path === '/healthz') {
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: true, jobs: runtime.queue.size }));
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
      runtime,
      probot,
      close() {
        closing ??= (async () => {
          server.closeIdleConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
          await runtime.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    await runtime.close();
    throw e;
  }
}
