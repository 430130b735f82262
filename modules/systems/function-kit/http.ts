// API Gateway (REST, Lambda proxy) requests and responses: JSON in, JSON out, and errors that say
// what was wrong with the request instead of a stack trace.

export interface ProxyEvent {
  readonly httpMethod: string;
  /** The matched resource path, e.g. `/products/{proxy+}`. */
  readonly resource?: string;
  readonly path: string;
  readonly pathParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: {
    readonly authorizer?: Readonly<Record<string, unknown>> & { readonly claims?: Readonly<Record<string, string>> };
  };
}

export interface ProxyResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A request the caller must fix: answered with `status` and the message, never retried. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function json(statusCode: number, body: unknown): ProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The body as a JSON object, or a 400 naming what is wrong. */
export function jsonBody(event: ProxyEvent, maxBytes = 262_144): Record<string, unknown> {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (raw === '') throw new RequestError(400, 'the request needs a JSON object body');
  if (Buffer.byteLength(raw) > maxBytes)
    throw new RequestError(413, `the body must be at most ${maxBytes} bytes (got ${Buffer.byteLength(raw)})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RequestError(400, 'the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new RequestError(400, 'the body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Runs `route`, turning a RequestError into its answer; anything else is a 500 that hides the cause. */
export function handleRequests(route: (event: ProxyEvent) => Promise<ProxyResult>): (event: ProxyEvent) => Promise<ProxyResult> {
  return async (event) => {
    try {
      return await route(event);
    } catch (e) {
      if (e instanceof RequestError) return json(e.status, { message: e.message });
      console.error(JSON.stringify({ level: 'ERROR', message: 'request failed', error: String(e) }));
      return json(500, { message: 'internal error' });
    }
  };
}

/** The path below the service's prefix, split: `/products/42/stock` under `products` → ['42', 'stock']. */
export function pathBelow(event: ProxyEvent, prefix: string): string[] {
  const parts = event.path.split('/').filter((p) => p !== '');
  const at = parts.indexOf(prefix);
  return (at === -1 ? [] : parts.slice(at + 1)).map((p) => decodeURIComponent(p));
}
