// Route keys shared by the REST and HTTP APIs: `METHOD /path/{param}` parsed once, checked once,
// and turned into stable construct ids (never list positions).
import type { Construct } from 'constructs';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import type { PropProblems } from '../../core/validation.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A Lambda function an API can invoke (LambdaFunction fits). */
export interface InvokableFunction {
  readonly name: string;
  readonly invokeArn: string;
}

export interface ParsedRoute {
  readonly method: HttpMethod;
  /** `/` or `/a/{b}/{c+}`. */
  readonly path: string;
  /** Path segments without the leading `/` (empty for `/`). */
  readonly segments: string[];
  /** Names of `{param}` / `{param+}` segments. */
  readonly params: string[];
}

const SEGMENT = /^([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\+?\})$/;

/** Parses `GET /orders/{id}`; returns the problem instead when the key is malformed. */
export function parseRouteKey(key: string): ParsedRoute | string {
  const match = /^([A-Z]+) (\/.*)$/.exec(key);
  const what = `"METHOD /path" with METHOD one of ${HTTP_METHODS.join(', ')} and segments of letters, digits, ._~- or {param} (greedy {param+} last)`;
  if (!match || !(HTTP_METHODS as readonly string[]).includes(match[1]!)) return `routes key must be ${what} (got ${JSON.stringify(key)})`;
  const path = match[2]!;
  const segments = path === '/' ? [] : path.slice(1).split('/');
  const bad = segments.find((s, i) => !SEGMENT.test(s) || (s.endsWith('+}') && i !== segments.length - 1));
  if (bad !== undefined) return `routes key must be ${what} (got ${JSON.stringify(key)}: bad segment ${JSON.stringify(bad)})`;
  const params = segments.filter((s) => s.startsWith('{')).map((s) => s.replace(/[{}+]/g, ''));
  return { method: match[1] as HttpMethod, path, segments, params };
}

/** A construct-id-safe form of a route key or path (`/` is the construct path separator). */
export function routeId(keyOrPath: string): string {
  return keyOrPath.replace(/\//g, ':');
}

/** The path with parameters as `*`, for execute-api ARNs (`/orders/{id}` → `/orders/*`). */
export function arnPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

/** What the route checks need from a REST or HTTP route. */
interface RouteShape {
  readonly function?: InvokableFunction;
  readonly vpcLink?: { readonly link: string };
  readonly authorizer?: string;
  readonly allowUnauthenticated?: boolean;
}

/** Exactly one integration, and a VPC link that exists. */
function checkRouteIntegration(p: PropProblems, at: string, route: RouteShape, vpcLinks: string[]): void {
  p.check(
    (route.function === undefined) !== (route.vpcLink === undefined),
    `${at} needs exactly one of function / vpcLink (got ${route.function && route.vpcLink ? 'both' : 'neither'})`,
  );
  if (route.vpcLink) {
    p.check(
      vpcLinks.includes(route.vpcLink.link),
      `${at}.vpcLink.link must be a vpcLinks key (have: ${vpcLinks.join(', ') || 'none'}) (got ${JSON.stringify(route.vpcLink.link)})`,
    );
  }
}

/**
 * Every route is authorized, or says `allowUnauthenticated: true` (and then names no authorizer).
 * Returns the authorizer the route ends up with.
 */
function checkRouteAuthorization(
  p: PropProblems,
  at: string,
  route: RouteShape,
  defaultAuthorizer: string | undefined,
  authorizers: string[],
): string | undefined {
  const have = `(have: ${authorizers.join(', ') || 'none'})`;
  if (route.allowUnauthenticated) {
    p.check(
      route.authorizer === undefined,
      `${at} sets both allowUnauthenticated and authorizer ${JSON.stringify(route.authorizer)} (choose one)`,
    );
    return undefined;
  }
  const authorizer = route.authorizer ?? defaultAuthorizer;
  if (authorizer === undefined) {
    p.check(false, `${at} has no authorizer: name one, set defaultAuthorizer, or set allowUnauthenticated: true ${have}`);
  } else {
    p.check(authorizers.includes(authorizer), `${at}.authorizer must be an authorizers key ${have} (got ${JSON.stringify(authorizer)})`);
  }
  return authorizer;
}

/** Lets API Gateway invoke `fn`, only from `sourceArn` (a stage/method pattern or an authorizer ARN). */
/** What the route loop reads from REST or HTTP API props. */
interface RoutedProps<R extends RouteShape> {
  readonly routes: Readonly<Record<string, R>>;
  readonly vpcLinks?: Readonly<Record<string, unknown>>;
  readonly defaultAuthorizer?: string;
}

/**
 * Parses every route key and checks each route's integration; `checkRoute` adds what one kind of API
 * checks beyond that, and calls `authorize()` where the authorization check belongs in its problem
 * list (it returns the authorizer the route ends up with). Returns the routes that parsed.
 */
export function checkRoutes<R extends RouteShape>(
  p: PropProblems,
  props: RoutedProps<R>,
  authorizers: string[],
  noun: 'route' | 'method',
  checkRoute: (at: string, route: R, authorize: () => string | undefined) => void,
): [string, ParsedRoute][] {
  const keys = Object.keys(props.routes);
  p.check(keys.length > 0, `routes must define at least one ${noun} (got none)`);
  const parsed: [string, ParsedRoute][] = [];
  for (const key of keys) {
    const route = props.routes[key]!;
    const at = `routes["${key}"]`;
    const result = parseRouteKey(key);
    if (typeof result === 'string') p.check(false, result);
    else parsed.push([key, result]);
    checkRouteIntegration(p, at, route, Object.keys(props.vpcLinks ?? {}));
    checkRoute(at, route, () => checkRouteAuthorization(p, at, route, props.defaultAuthorizer, authorizers));
  }
  return parsed;
}

export function allowApiGatewayInvoke(scope: Construct, id: string, fn: InvokableFunction, sourceArn: string): LambdaPermission {
  return new LambdaPermission(scope, id, {
    functionName: fn.name,
    action: 'lambda:InvokeFunction',
    principal: 'apigateway.amazonaws.com',
    sourceArn,
  });
}

/** The execute-api ARN pattern of one route on every stage (any stage, the route's method or any, its path). */
export function routeSourceArn(executionArn: string, route: ParsedRoute): string {
  return `${executionArn}/*/${route.method === 'ANY' ? '*' : route.method}${arnPath(route.path)}`;
}
