// GitHub's REST description (@octokit/openapi), loaded once per process, used to check every request
// the sandbox receives (path, method, parameters, JSON body), every response it sends and every
// webhook payload it delivers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { validateSchema, type Schema } from './json-schema.js';

export type OpenApiDescriptionName = 'ghes-3.19' | 'ghes-3.18' | 'ghes-3.17' | 'api.github.com';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema?: Schema };
  responses: Record<string, Schema | undefined>;
}

export interface OperationMatch {
  operation: Operation;
  pathParams: Record<string, string>;
}

interface Route {
  operation: Operation;
  segments: RegExp[];
  greedyLast: RegExp | undefined;
  literalChars: number;
}

interface Description {
  paths: Record<string, Record<string, RawOperation>>;
  components: Record<string, Record<string, unknown>>;
  'x-webhooks': Record<string, { post: { requestBody: { content: Record<string, { schema: Schema }> } } }>;
}

interface RawOperation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } | { $ref: string };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> } | { $ref: string }>;
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];
const SLASHED_PARAMS = new Set(['path', 'ref', 'branch', 'basehead', 'head']);
const cache = new Map<OpenApiDescriptionName, OpenApiDescription>();

export class OpenApiDescription {
  /** Parses the description once per process (≈11 MB of JSON, ~150 ms). */
  static load(name: OpenApiDescriptionName = 'ghes-3.19'): OpenApiDescription {
    let description = cache.get(name);
    if (!description) {
      const file = createRequire(import.meta.url).resolve(`@octokit/openapi/generated/${name}.json`);
      description = new OpenApiDescription(name, JSON.parse(readFileSync(file, 'utf8')) as Description);
      cache.set(name, description);
    }
    return description;
  }

  private readonly routes = new Map<string, Route[]>();
  private readonly resolve = (ref: string): Schema => this.pointer(ref) as Schema;

  private constructor(
    readonly name: OpenApiDescriptionName,
    private readonly raw: Description,
  ) {
    for (const method of METHODS) this.routes.set(method, []);
    for (const [template, item] of Object.entries(raw.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (op) this.routes.get(method)?.push(this.route(template, method, op));
      }
    }
  }

  /** The operation serving `method rawPath` (path after /api/v3, still percent-encoded), if the description has one. */
  match(method: string, rawPath: string): OperationMatch | undefined {
    const segments = rawPath.split('/').slice(1);
    let best: { route: Route; values: string[] } | undefined;
    for (const route of this.routes.get(method.toLowerCase()) ?? []) {
      const values = matchRoute(route, segments);
      if (values && (!best || route.literalChars > best.route.literalChars)) best = { route, values };
    }
    if (!best) return undefined;
    const names = [...best.route.operation.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    const pathParams: Record<string, string> = {};
    names.forEach((name, i) => (pathParams[name] = safeDecode(best.values[i] ?? '')));
    return { operation: best.route.operation, pathParams };
  }

  /** Problems with a request's parameters and JSON body (`undefined` = no body sent). */
  validateRequest(match: OperationMatch, query: URLSearchParams, body: unknown): string[] {
    const { operation, pathParams } = match;
    const problems: string[] = [];
    const declared = new Set<string>();
    for (const param of operation.parameters) {
      if (param.in !== 'path' && param.in !== 'query') continue;
      const value = param.in === 'path' ? pathParams[param.name] : (query.get(param.name) ?? undefined);
      if (param.in === 'query') declared.add(param.name);
      if (value === undefined || (value === '' && param.name !== 'path')) {
        if (param.required) problems.push(`missing required ${param.in} parameter "${param.name}"`);
        continue;
      }
      const why = this.checkScalar(param.schema, value);
      if (why) problems.push(`${param.in} parameter "${param.name}" ${why}`);
    }
    for (const key of query.keys()) {
      if (!declared.has(key)) problems.push(`unknown query parameter "${key}" (allowed: ${[...declared].join(', ') || 'none'})`);
    }
    const requestBody = operation.requestBody;
    if (body === undefined) {
      if (requestBody?.required) problems.push('missing required JSON body');
    } else if (!requestBody) {
      problems.push(`${operation.operationId} takes no request body`);
    } else if (requestBody.schema) {
      problems.push(...validateSchema(requestBody.schema, body, { resolve: this.resolve, closed: true }, 'body'));
    }
    return problems;
  }

  /** Problems with a JSON response against the schema documented for its status code. */
  validateResponse(operation: Operation, status: number, body: unknown): string[] {
    const schema = operation.responses[String(status)];
    if (!(String(status) in operation.responses)) {
      return [
        `status ${status} is not documented for ${operation.operationId} (documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    }
    if (!schema) return [];
    return validateSchema(schema, body, { resolve: this.resolve, closed: false }, 'response');
  }

  /** Problems with a webhook payload against `x-webhooks` (`pull_request` + `opened` → pull-request-opened). */
  validateWebhook(event: string, action: string | undefined, payload: unknown): string[] {
    const key = [event, action].filter(Boolean).join('-').replace(/_/g, '-');
    const hook = this.raw['x-webhooks'][key];
    const schema = hook?.post.requestBody.content['application/json']?.schema;
    if (!schema) return [`no webhook "${key}" in the ${this.name} description`];
    return validateSchema(schema, payload, { resolve: this.resolve, closed: false }, 'payload');
  }

  private route(template: string, method: string, raw: RawOperation): Route {
    const operation: Operation = {
      operationId: raw.operationId,
      method: method.toUpperCase(),
      template,
      parameters: (raw.parameters ?? []).map((p) => this.deref(p) as Parameter),
      responses: {},
    };
    if (raw.requestBody) {
      const body = this.deref(raw.requestBody) as { required?: boolean; content?: Record<string, { schema?: Schema }> };
      operation.requestBody = { required: body.required === true, schema: body.content?.['application/json']?.schema };
    }
    for (const [code, response] of Object.entries(raw.responses)) {
      const resolved = this.deref(response) as { content?: Record<string, { schema?: Schema }> };
      operation.responses[code] = resolved.content?.['application/json']?.schema;
    }
    const parts = template.split('/').slice(1);
    const last = parts[parts.length - 1] ?? '';
    return {
      operation,
      segments: parts.map((part) => segmentPattern(part, '[^/]+?')),
      // A trailing `{path}`, `{ref}`, `{branch}` or `{base}...{head}` may hold slashes when a client does not encode them.
      greedyLast: [...last.matchAll(/\{([^}]+)\}/g)].some((m) => SLASHED_PARAMS.has(m[1] as string))
        ? segmentPattern(last, '.+?')
        : undefined,
      literalChars: template.replace(/\{[^}]+\}/g, '').length,
    };
  }

  private checkScalar(schema: Schema | undefined, value: string): string | undefined {
    if (!schema) return undefined;
    const resolved = this.deref(schema) as Schema;
    if (resolved.type === 'integer' && !/^-?\d+$/.test(value)) return `must be an integer, got ${JSON.stringify(value)}`;
    if (resolved.type === 'number' && Number.isNaN(Number(value))) return `must be a number, got ${JSON.stringify(value)}`;
    if (resolved.type === 'boolean' && value !== 'true' && value !== 'false') return `must be true or false, got ${JSON.stringify(value)}`;
    if (resolved.enum && !resolved.enum.map(String).includes(value)) {
      return `must be one of ${resolved.enum.join(', ')}, got ${JSON.stringify(value)}`;
    }
    return undefined;
  }

  private deref(value: unknown): unknown {
    let current = value as { $ref?: string };
    while (current && typeof current.$ref === 'string') current = this.pointer(current.$ref) as { $ref?: string };
    return current;
  }

  private pointer(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`openapi: only local $refs are supported, got ${ref}`);
    let node: unknown = this.raw;
    for (const key of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`openapi: $ref ${ref} does not resolve in ${this.name}`);
    return node;
  }
}

function segmentPattern(part: string, param: string): RegExp {
  const source = part
    .split(/(\{[^}]+\})/)
    .map((piece) => (/^\{[^}]+\}$/.test(piece) ? `(${param})` : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function matchRoute(route: Route, segments: string[]): string[] | undefined {
  const expected = route.segments.length;
  // GET /repos/{owner}/{repo}/contents (Octokit drops the trailing slash of an empty path) lists the root.
  if (segments.length === expected - 1 && route.operation.template.endsWith('/contents/{path}')) {
    const values = matchRoute({ ...route, segments: route.segments.slice(0, -1), greedyLast: undefined }, segments);
    return values && [...values, ''];
  }
  if (segments.length < expected) return undefined;
  if (segments.length > expected && !route.greedyLast) return undefined;
  const values: string[] = [];
  for (let i = 0; i < expected; i++) {
    const isLast = i === expected - 1;
    const text = isLast ? segments.slice(i).join('/') : (segments[i] as string);
    const pattern = isLast && segments.length > expected ? (route.greedyLast as RegExp) : (route.segments[i] as RegExp);
    const m = pattern.exec(text);
    if (!m) return undefined;
    values.push(...m.slice(1));
  }
  return values;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
