// An HTTP API (API Gateway v2) where every route has a JWT, Cognito or Lambda authorizer unless
// it says `allowUnauthenticated: true`; JSON access logs, detailed metrics and throttling on the
// auto-deployed default stage; Lambda or VPC-link (v2) integrations.
import { Construct } from 'constructs';
import { Apigatewayv2Api, type Apigatewayv2ApiCorsConfiguration } from '@cdktf/provider-aws/lib/apigatewayv2-api/index.js';
import { Apigatewayv2Authorizer } from '@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js';
import { Apigatewayv2Integration } from '@cdktf/provider-aws/lib/apigatewayv2-integration/index.js';
import { Apigatewayv2Route } from '@cdktf/provider-aws/lib/apigatewayv2-route/index.js';
import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage/index.js';
import { Apigatewayv2VpcLink } from '@cdktf/provider-aws/lib/apigatewayv2-vpc-link/index.js';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { checkKeys, KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from '../compute/checks.js';
import { HTTP_ACCESS_LOG_FORMAT } from './access-log-format.js';
import { allowApiGatewayInvoke, routeSourceArn, checkRoutes, type InvokableFunction, type ParsedRoute, routeId } from './routes.js';

export type HttpAuthorizer =
  | {
      readonly type: 'JWT';
      /** e.g. `https://login.example.com/`. */
      readonly issuer: string;
      readonly audience: string[];
      /** @default '$request.header.Authorization' */
      readonly identitySource?: string;
    }
  | {
      /** JWT validated against a Cognito user pool (CognitoUserPool fits `userPool`). */
      readonly type: 'COGNITO';
      readonly userPool: { readonly issuerUrl: string };
      /** App client ids accepted as the token audience. */
      readonly clientIds: string[];
    }
  | {
      readonly type: 'LAMBDA';
      readonly function: InvokableFunction;
      /** @default ['$request.header.Authorization'] */
      readonly identitySources?: string[];
      /** @default 300 */
      readonly resultTtlSeconds?: number;
    };

export interface HttpRoute {
  /** Lambda proxy integration (payload format 2.0). Exactly one of function / vpcLink. */
  readonly function?: InvokableFunction;
  /** Private integration through a VPC link. */
  readonly vpcLink?: {
    /** Key of `vpcLinks`. */
    readonly link: string;
    /** The ALB or NLB listener ARN (or Cloud Map service ARN) to send to. */
    readonly listenerArn: string;
    /** @default 'ANY' */
    readonly httpMethod?: string;
  };
  /** Key of `authorizers`. @default the API's defaultAuthorizer */
  readonly authorizer?: string;
  /** Required scopes (JWT / COGNITO authorizers only). @default none */
  readonly authorizationScopes?: readonly string[];
  /** The only way to leave a route unauthenticated. @default false */
  readonly allowUnauthenticated?: boolean;
}

export interface HttpApiProps {
  readonly name: string;
  /** @default none */
  readonly description?: string;
  /** Routes by `METHOD /path`, e.g. `'GET /orders/{id}'`. */
  readonly routes: Record<string, HttpRoute>;
  /** @default none (then every route needs allowUnauthenticated) */
  readonly authorizers?: Record<string, HttpAuthorizer>;
  /** @default none */
  readonly defaultAuthorizer?: string;
  /** VPC links (v2) by name. @default none */
  readonly vpcLinks?: Record<string, { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] }>;
  /** @default no CORS (browsers on other origins are refused) */
  readonly cors?: Apigatewayv2ApiCorsConfiguration;
  readonly logRetentionDays: number;
  /** @default CloudWatch Logs-owned key */
  readonly logKmsKeyArn?: string;
  /** @default 100 */
  readonly throttlingRateLimit?: number;
  /** @default 200 */
  readonly throttlingBurstLimit?: number;
}

export class HttpApi extends Construct {
  public readonly api: Apigatewayv2Api;
  public readonly id: string;
  public readonly executionArn: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com` */
  public readonly url: string;
  public readonly stage: Apigatewayv2Stage;
  public readonly logGroup: LogGroup;
  public readonly authorizerIds: Record<string, string> = {};
  public readonly vpcLinkIds: Record<string, string> = {};
  public readonly routes: Record<string, Apigatewayv2Route> = {};

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const routes = validate(this, props);

    this.api = new Apigatewayv2Api(this, 'api', {
      name: props.name,
      description: props.description,
      protocolType: 'HTTP',
      corsConfiguration: props.cors,
    });
    this.id = this.api.id;
    this.executionArn = this.api.executionArn;
    this.url = this.api.apiEndpoint;

    for (const [name, link] of Object.entries(props.vpcLinks ?? {})) {
      this.vpcLinkIds[name] = new Apigatewayv2VpcLink(this, `vpc-link-${name}`, {
        name: `${props.name}-${name}`,
        subnetIds: [...link.subnetIds],
        securityGroupIds: [...link.securityGroupIds],
      }).id;
    }
    const kinds: Record<string, 'JWT' | 'CUSTOM'> = {};
    for (const [name, authorizer] of Object.entries(props.authorizers ?? {})) {
      kinds[name] = authorizer.type === 'LAMBDA' ? 'CUSTOM' : 'JWT';
      this.authorizerIds[name] = this.createAuthorizer(name, authorizer).id;
    }

    for (const [key, route] of routes) {
      const spec = props.routes[key]!;
      const authorizer = spec.allowUnauthenticated ? undefined : (spec.authorizer ?? props.defaultAuthorizer);
      const integration = this.createIntegration(key, route, spec);
      this.routes[key] = new Apigatewayv2Route(this, `route-${routeId(key)}`, {
        apiId: this.api.id,
        routeKey: key,
        target: `integrations/${integration.id}`,
        authorizationType: authorizer === undefined ? 'NONE' : kinds[authorizer],
        authorizerId: authorizer === undefined ? undefined : this.authorizerIds[authorizer],
        authorizationScopes: spec.authorizationScopes && [...spec.authorizationScopes],
      });
    }

    this.logGroup = new LogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/access`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.logKmsKeyArn,
    });
    this.stage = new Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: '$default',
      autoDeploy: true,
      accessLogSettings: { destinationArn: this.logGroup.arn, format: HTTP_ACCESS_LOG_FORMAT },
      defaultRouteSettings: {
        detailedMetricsEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
      },
    });
  }

  private createAuthorizer(name: string, authorizer: HttpAuthorizer): Apigatewayv2Authorizer {
    if (authorizer.type !== 'LAMBDA') {
      const [issuer, audience] =
        authorizer.type === 'JWT' ? [authorizer.issuer, authorizer.audience] : [authorizer.userPool.issuerUrl, authorizer.clientIds];
      return new Apigatewayv2Authorizer(this, `authorizer-${name}`, {
        apiId: this.api.id,
        name,
        authorizerType: 'JWT',
        identitySources: [(authorizer.type === 'JWT' ? authorizer.identitySource : undefined) ?? '$request.header.Authorization'],
        jwtConfiguration: { issuer, audience },
      });
    }
    const created = new Apigatewayv2Authorizer(this, `authorizer-${name}`, {
      apiId: this.api.id,
      name,
      authorizerType: 'REQUEST',
      authorizerUri: authorizer.function.invokeArn,
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      identitySources: authorizer.identitySources ?? ['$request.header.Authorization'],
      authorizerResultTtlInSeconds: authorizer.resultTtlSeconds ?? 300,
    });
    allowApiGatewayInvoke(this, `authorizer-${name}-permission`, authorizer.function, `${this.api.executionArn}/authorizers/${created.id}`);
    return created;
  }

  private createIntegration(key: string, route: ParsedRoute, spec: HttpRoute): Apigatewayv2Integration {
    if (spec.function) {
      allowApiGatewayInvoke(this, `permission-${routeId(key)}`, spec.function, routeSourceArn(this.api.executionArn, route));
      return new Apigatewayv2Integration(this, `integration-${routeId(key)}`, {
        apiId: this.api.id,
        integrationType: 'AWS_PROXY',
        integrationUri: spec.function.invokeArn,
        payloadFormatVersion: '2.0',
        timeoutMilliseconds: 30000,
      });
    }
    const link = spec.vpcLink!;
    return new Apigatewayv2Integration(this, `integration-${routeId(key)}`, {
      apiId: this.api.id,
      integrationType: 'HTTP_PROXY',
      integrationMethod: link.httpMethod ?? 'ANY',
      integrationUri: link.listenerArn,
      connectionType: 'VPC_LINK',
      connectionId: this.vpcLinkIds[link.link],
      payloadFormatVersion: '1.0',
      timeoutMilliseconds: 30000,
    });
  }
}

function validate(scope: Construct, props: HttpApiProps): [string, ParsedRoute][] {
  const p = new PropProblems(scope, 'HttpApi')
    .matches('name', props.name, /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/, '1-128 letters, digits, spaces, "_", "." or "-"')
    .oneOf('logRetentionDays', props.logRetentionDays, LOG_RETENTION_DAYS as readonly number[])
    .matches('logKmsKeyArn', props.logKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .range('throttlingRateLimit', props.throttlingRateLimit, 1, 100000, false)
    .range('throttlingBurstLimit', props.throttlingBurstLimit, 1, 100000);
  const authorizers = props.authorizers ?? {};
  const names = Object.keys(authorizers);
  const have = `(have: ${names.join(', ') || 'none'})`;
  checkKeys(p, 'authorizers', authorizers);
  checkKeys(p, 'vpcLinks', props.vpcLinks);
  for (const [name, a] of Object.entries(authorizers)) {
    p.oneOf(`authorizers.${name}.type`, a.type, ['JWT', 'COGNITO', 'LAMBDA']);
    if (a.type === 'JWT') {
      p.matches(`authorizers.${name}.issuer`, a.issuer, /^https:\/\/\S+$/, 'an https:// issuer URL');
      p.check(a.audience.length > 0, `authorizers.${name}.audience must list at least one audience (got none)`, a.audience);
    }
    if (a.type === 'COGNITO')
      p.check(a.clientIds.length > 0, `authorizers.${name}.clientIds must list at least one app client (got none)`, a.clientIds);
    if (a.type === 'LAMBDA') p.range(`authorizers.${name}.resultTtlSeconds`, a.resultTtlSeconds, 0, 3600);
  }
  if (props.defaultAuthorizer !== undefined) {
    p.check(
      names.includes(props.defaultAuthorizer),
      `defaultAuthorizer must be an authorizers key ${have} (got ${JSON.stringify(props.defaultAuthorizer)})`,
    );
  }
  for (const [name, link] of Object.entries(props.vpcLinks ?? {})) {
    p.check(link.subnetIds.length > 0, `vpcLinks.${name}.subnetIds must list at least one subnet (got none)`, link.subnetIds);
  }
  if (props.cors?.allowCredentials) {
    p.check(
      !(props.cors.allowOrigins ?? []).includes('*'),
      'cors.allowOrigins cannot be "*" when allowCredentials is true (name the origins)',
    );
  }

  const parsed = checkRoutes(p, props, names, 'route', (at, route, authorize) => {
    const authorizer = authorize();
    if (route.authorizationScopes !== undefined) {
      const type = authorizer === undefined ? undefined : authorizers[authorizer]?.type;
      p.check(type === 'JWT' || type === 'COGNITO', `${at}.authorizationScopes need a JWT or COGNITO authorizer (got ${type ?? 'none'})`);
    }
  });
  p.throwIfAny();
  return parsed;
}
