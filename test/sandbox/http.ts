// Request/response plumbing shared by the REST routes: GitHub's error shape, JSON bodies, pagination.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenGrant } from './auth.js';
import type { UserRecord } from './state.js';

export const DOCS_URL = 'https://docs.github.com/enterprise-server@3.19/rest';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function notFound(what?: string): ApiError {
  return new ApiError(404, 'Not Found', what ? { sandbox_detail: what } : {});
}

/** GitHub's 422: `{ message: 'Validation Failed', errors: [{ resource, field, code, message }] }`. */
export function validationFailed(resource: string, field: string, message: string): ApiError {
  return new ApiError(422, 'Validation Failed', { errors: [{ resource, field, code: 'custom', message }] });
}

export interface ApiRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- validated against the OpenAPI schema before a handler sees it
  body: any;
  actor: UserRecord;
  grant: TokenGrant | undefined;
  accept: string;
  /** The request URL as received (for pagination links). */
  url: URL;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON (raw media type of the contents API). */
  raw?: Buffer;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return { status, body, ...(headers ? { headers } : {}) };
}

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { message, ...extra, documentation_url: DOCS_URL, status: String(status) };
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function readBody(req: IncomingMessage, limit = 32 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError(413, `Sandbox: request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One page of `items` (per_page ≤ 100, default 30) with GitHub's `Link` header. */
export function paginate<T>(items: T[], req: ApiRequest, render: (item: T) => unknown = (i) => i): ApiResponse {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30), 1), 100);
  const page = Math.max(Number(req.query.get('page') ?? 1), 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const slice = items.slice((page - 1) * perPage, page * perPage).map(render);
  const link = (p: number, rel: string) => {
    const url = new URL(req.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  return json(200, slice, links.length ? { link: links.join(', ') } : undefined);
}
