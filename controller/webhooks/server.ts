// The HTTP server of `gitops serve`: webhooks at /api/github/webhooks, checked by the intake
// (webhooks/intake.ts: headers, size cap, signature, payload shape) and then handed to the Probot
// app it is given, plus GET /ping, GET /healthz, the status page at GET / and the metrics at GET /metrics. Probot's own middleware is not used: it reads
// any body whole and logs forged payloads. A plain node:http server rather than Probot's `Server`,
// which turns port 0 into 3000 (tests and benches need ephemeral ports) and logs every request at
// info level. What the app is made of is decided by the composition root (controller/compose.ts).
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { Probot, type ApplicationFunction, type ProbotOctokit } from 'probot';
import { singleNameLog } from '../observability/log.js';
import type { ServeConfig } from './config.js';
import { operatorRoutes, type OperatorRoutesOptions } from './operator-routes.js';
import { checkHeaders, IntakeRefusal, readBody, verifiedEvent, type WebhookHeaders } from './intake.js';

export const WEBHOOK_PATH = '/api/github/webhooks';

/** The status page, metrics and health fields are served by operatorRoutes. */
export interface WebhookServerOptions extends OperatorRoutesOptions {
  readonly config: Pick<ServeConfig, 'appId' | 'privateKey' | 'webhookSecret' | 'baseUrl' | 'port' | 'host' | 'workDir'>;
  readonly log: Logger;
  /** The Probot app to serve (controller/compose.ts builds it). */
  readonly app: ApplicationFunction;
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

/** An error as its type, message and stack only: the properties @octokit/webhooks adds (the event, its payload) are dropped. */
function errorWithoutEvent(e: unknown): unknown {
  if (!(e instanceof Error)) return { message: String(e) };
  return {
    type: e.name,
    message: e.message,
    stack: e.stack,
    ...(e instanceof AggregateError ? { errors: e.errors.map(errorWithoutEvent) } : {}),
  };
}

/**
 * Probot's logger: no line it or the handlers write can carry a payload, and each has one `name` (singleNameLog). Probot logs the whole event
 * at debug when it receives one, and its error handler logs errors with the event attached.
 */
export function payloadFreeLog(log: Logger): Logger {
  // the handlers log an event's name and action as a string (`pull_request.opened`): that stays as it is
  const event = (e: string | { id?: unknown; name?: unknown; payload?: { action?: unknown } }) =>
    typeof e === 'string' ? e : { id: e?.id, name: e?.name, action: e?.payload?.action };
  return singleNameLog(log.child({}, { serializers: { err: errorWithoutEvent, event, payload: () => '[payload not logged]' } }));
}

const answer = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) =>
  void res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);

/** How long the connection of a request refused unread stays half-open after the answer. */
const LINGER_MS = 2000;

/**
 * Answers a request whose body was not (wholly) read, and closes its connection without reading
 * more than one socket buffer of the rest. Closing it at once while the client is still sending
 * would reset it, and a reset discards the answer before the client reads it; so the answer goes
 * out, the server's side is closed, reading stops, and the connection is destroyed after LINGER_MS
 * (or on close()).
 */
function refuseUnread(req: IncomingMessage, res: ServerResponse, status: number, text: string, lingering: Set<Socket>): void {
  // Paused, the request fills its buffer and then stops the socket; read() marks it consumed so that
  // node:http does not drain the rest of the body itself after the answer.
  req.pause();
  req.read(0);
  const socket = req.socket;
  res.once('finish', () => {
    lingering.add(socket);
    socket.once('close', () => lingering.delete(socket));
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  // "Connection: close" (or a client's own) would make node:http destroy the socket as soon as the
  // answer is written, which is the reset above; the close is done here instead.
  answer(res, status, text, { connection: 'keep-alive' });
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<WebhookServer> {
  const { config, log } = opts;
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    baseUrl: config.baseUrl,
    log: payloadFreeLog(log),
    ...(opts.Octokit ? { Octokit: opts.Octokit } : {}),
  });
  await probot.load(opts.app);

  const lingering = new Set<Socket>();
  /** A POST to the webhook path; a refusal before the body is read closes the connection instead of reading the rest. */
  const receive = async (req: IncomingMessage, res: ServerResponse) => {
    let headers: WebhookHeaders | undefined;
    let body: Buffer | undefined;
    try {
      headers = checkHeaders(req);
      // A client that waits for "100 Continue" (curl does, for large bodies) sends the body only now.
      if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
      body = await readBody(req);
      const event = verifiedEvent(headers, body, config.webhookSecret);
      opts.metrics?.webhooksReceived.inc({ event: event.name });
      await probot.receive(event as Parameters<Probot['receive']>[0]);
      answer(res, 200, 'ok\n');
    } catch (e) {
      if (!(e instanceof IntakeRefusal)) throw e;
      opts.metrics?.webhooksRejected.inc({ status: String(e.status) });
      log.warn(
        { status: e.status, ...(headers ? { delivery: headers.id, event: headers.name } : {}), ...(e.field ? { field: e.field } : {}) },
        `webhook refused: ${e.message}`,
      );
      if (body) answer(res, e.status, `${e.message}\n`);
      else refuseUnread(req, res, e.status, `${e.message}\n`, lingering);
    }
  };

  const operatorGets = operatorRoutes(opts);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'POST' && path === WEBHOOK_PATH) return await receive(req, res);
      if (req.method === 'GET' && path === '/ping') return answer(res, 200, 'PONG');
      if (await operatorGets(req, res)) return;
      answer(res, 404, 'not found\n');
    } catch (e) {
      log.error({ err: errorWithoutEvent(e) }, 'request failed');
      if (!res.headersSent) answer(res, 500, 'internal error\n');
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  // Answered by the intake, so that a body it refuses on its headers is never asked for.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handle(req, res));
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
        for (const socket of lingering) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
