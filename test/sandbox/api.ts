// The REST dispatcher: OpenAPI match → authentication → parameter/body validation → route → response
// validation. Anything GitHub's description does not allow is answered 422 and recorded as a violation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenGrant } from './auth.js';
import type { SandboxContext } from './context.js';
import { ApiError, errorBody, readBody, send, type ApiRequest, type ApiResponse } from './http.js';
import type { OpenApiDescription } from './openapi-validator.js';
import { JWT_OPERATIONS, ROUTES } from './routes/index.js';
import type { UserRecord } from './state.js';

export const API_PREFIX = '/api/v3';

export interface Violation {
  /** request: not in / not valid per the description; response|webhook: what the sandbox sent is off-schema; unserved: valid but not implemented. */
  kind: 'request' | 'response' | 'webhook' | 'unserved';
  method: string;
  path: string;
  operationId: string | undefined;
  message: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  actor: string | undefined;
}

export interface ApiHost {
  context: SandboxContext;
  openapi: OpenApiDescription;
  violations: Violation[];
  requests: RequestLogEntry[];
}

export async function handleApi(host: ApiHost, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const method = req.method ?? 'GET';
  const rawPath = url.pathname.slice(API_PREFIX.length) || '/';
  const entry: RequestLogEntry = { method, path: rawPath + url.search, operationId: undefined, status: 0, actor: undefined };
  host.requests.push(entry);
  const violation = (kind: Violation['kind'], message: string) =>
    host.violations.push({ kind, method, path: rawPath + url.search, operationId: entry.operationId, message });
  const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
    entry.status = status;
    send(res, status, body, headers);
  };

  const match = host.openapi.match(method, rawPath);
  if (!match) {
    req.resume();
    const message = `${method} ${rawPath} is not an operation in GitHub's ${host.openapi.name} description`;
    violation('request', message);
    return reply(422, errorBody(422, `Sandbox: request does not match GitHub OpenAPI: ${message}`));
  }
  const { operation } = match;
  entry.operationId = operation.operationId;

  const ctx = host.context;
  let grant: TokenGrant | undefined;
  let actor: UserRecord;
  if (JWT_OPERATIONS.has(operation.operationId)) {
    const jwt = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const checked = jwt
      ? ctx.authority.verifyJwt(jwt)
      : { ok: false as const, message: 'A JSON web token is required (Authorization: Bearer <App JWT>)' };
    if (!checked.ok) return (req.resume(), reply(401, errorBody(401, checked.message)));
    actor = ctx.state.user(ctx.botLogin, 'Bot');
  } else {
    const auth = ctx.authority.authorize(req.headers.authorization);
    if (!auth.ok) return (req.resume(), reply(401, errorBody(401, auth.message)));
    grant = auth.grant;
    actor = ctx.state.user(grant.login);
  }
  entry.actor = actor.login;

  let body: unknown;
  const raw = await readBody(req);
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      violation('request', 'body is not valid JSON');
      return reply(400, errorBody(400, 'Problems parsing JSON'));
    }
  }
  const problems = host.openapi.validateRequest(match, url.searchParams, body);
  if (problems.length) {
    const message = `${operation.operationId}: ${problems.join('; ')}`;
    violation('request', message);
    return reply(422, errorBody(422, `Sandbox: request does not match GitHub OpenAPI: ${message}`));
  }
  const { owner, repo } = match.pathParams;
  if (
    owner !== undefined &&
    (owner.toLowerCase() !== ctx.site.owner.toLowerCase() || repo?.toLowerCase() !== ctx.site.repo.toLowerCase())
  ) {
    return reply(
      404,
      errorBody(404, 'Not Found', { sandbox_detail: `repository ${owner}/${repo} (served: ${ctx.site.owner}/${ctx.site.repo})` }),
    );
  }
  const handler = ROUTES[operation.operationId];
  if (!handler) {
    violation(
      'unserved',
      `${operation.operationId} (${operation.method} ${operation.template}) is in GitHub's description but not served by the sandbox`,
    );
    return reply(404, errorBody(404, 'Not Found', { sandbox_detail: `${operation.operationId} is not served by the sandbox` }));
  }

  const request: ApiRequest = {
    params: match.pathParams,
    query: url.searchParams,
    body,
    actor,
    grant,
    accept: String(req.headers.accept ?? ''),
    url,
  };
  let response: ApiResponse;
  try {
    response = await handler(ctx, request);
  } catch (error) {
    if (error instanceof ApiError) return reply(error.status, errorBody(error.status, error.message, error.extra));
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    violation('response', `${operation.operationId} crashed: ${message}`);
    return reply(500, errorBody(500, `Sandbox crashed: ${error instanceof Error ? error.message : String(error)}`));
  }
  if (response.raw) {
    entry.status = response.status;
    res.writeHead(response.status, {
      'content-type': 'application/vnd.github.raw',
      ...response.headers,
      'content-length': response.raw.length,
    });
    res.end(response.raw);
    return;
  }
  for (const problem of host.openapi.validateResponse(operation, response.status, response.body))
    violation('response', `${operation.operationId}: ${problem}`);
  reply(response.status, response.body, response.headers);
}
