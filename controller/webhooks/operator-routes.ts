// The operator's GET routes beside the webhook path: the status page at /, the metrics at /metrics
// and /healthz. One handler, so `gitops serve` (server.ts) and `probot run` (app.ts, through
// Probot's addHandler) answer them alike.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControllerMetrics } from '../observability/metrics.js';

export interface OperatorRoutesOptions {
  /** The status page's HTML (controller/status/page.ts). @default none: GET / is not answered */
  readonly statusPage?: () => Promise<string>;
  /** Served at GET /metrics. @default none: GET /metrics is not answered */
  readonly metrics?: ControllerMetrics;
  /** Extra fields of GET /healthz (e.g. queued jobs); `ok: false` among them answers 503. @default none */
  readonly health?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** The status page has no script; its one style sheet is inline. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/** Answers GET /, /metrics and /healthz; resolves false for any other request, which is left unanswered. */
export function operatorRoutes(opts: OperatorRoutesOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== 'GET') return false;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/' && opts.statusPage) {
      res.writeHead(200, PAGE_HEADERS).end(await opts.statusPage());
      return true;
    }
    if (path === '/metrics' && opts.metrics) {
      const { contentType, body } = await opts.metrics.scrape();
      res.writeHead(200, { 'content-type': contentType }).end(body);
      return true;
    }
    if (path === '/healthz') {
      const health = { ok: true, ...((await opts.health?.()) ?? {}) };
      res.writeHead(health.ok === false ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(health));
      return true;
    }
    return false;
  };
}
