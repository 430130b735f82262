// The props of RestApi: routes, authorizers, VPC links, the stage and its logs.
import type { ApiGatewayAccountLogging } from './api-gateway-account.js';
import type { InvokableFunction } from './routes.js';

export type RestAuthorizer =
  | {
      readonly type: 'TOKEN';
      readonly function: InvokableFunction;
      /** @default 'method.request.header.Authorization' */
      readonly identitySource?: string;
      /** Regex the token must match before the function is called. @default none */
      readonly identityValidationExpression?: string;
      /** @default 300 */
      readonly resultTtlSeconds?: number;
    }
  | {
      readonly type: 'REQUEST';
      readonly function: InvokableFunction;
      /** Comma-separated, e.g. `method.request.header.Authorization,context.sourceIp`. */
      readonly identitySource: string;
      /** @default 300 */
      readonly resultTtlSeconds?: number;
    }
  | {
      readonly type: 'COGNITO_USER_POOLS';
      readonly userPoolArns: readonly string[];
      /** @default 'method.request.header.Authorization' */
      readonly identitySource?: string;
    };

export interface RestVpcLinkIntegration {
  /** Key of `vpcLinks`. */
  readonly link: string;
  /** Backend URL behind the NLB; may use the route's `{param}`s, e.g. `http://orders.internal:8080/orders/{id}`. */
  readonly uri: string;
  /** @default the route's method */
  readonly httpMethod?: string;
}

export interface RestRoute {
  /** Lambda proxy integration. Exactly one of function / vpcLink. */
  readonly function?: InvokableFunction;
  /** HTTP proxy through a VPC link. */
  readonly vpcLink?: RestVpcLinkIntegration;
  /** Key of `authorizers`. @default the API's defaultAuthorizer */
  readonly authorizer?: string;
  /** OAuth scopes (Cognito authorizers only). @default none: any valid ID or access token */
  readonly authorizationScopes?: readonly string[];
  /** The only way to leave a method unauthenticated (`authorizationType: 'NONE'`). @default false */
  readonly allowUnauthenticated?: boolean;
}

export interface RestApiProps {
  readonly name: string;
  /** @default none */
  readonly description?: string;
  /** @default 'REGIONAL' */
  readonly endpointType?: 'REGIONAL' | 'PRIVATE';
  /** PRIVATE only (and required there): the execute-api interface endpoints that may call the API. */
  readonly vpcEndpointIds?: readonly string[];
  /** Methods by `METHOD /path`, e.g. `'GET /orders/{id}'`. */
  readonly routes: Record<string, RestRoute>;
  /** Authorizers by name. @default none (then every route needs allowUnauthenticated) */
  readonly authorizers?: Record<string, RestAuthorizer>;
  /** Authorizer for routes that name none. @default none */
  readonly defaultAuthorizer?: string;
  /** REST VPC links by name, each to one network load balancer. @default none */
  readonly vpcLinks?: Record<string, { readonly targetArn: string }>;
  /** @default 'v1' */
  readonly stageName?: string;
  /** Access-log retention. */
  readonly logRetentionDays: number;
  /** @default CloudWatch Logs-owned key */
  readonly logKmsKeyArn?: string;
  /** Steady-state requests per second for the stage. @default 100 */
  readonly throttlingRateLimit?: number;
  /** @default 200 */
  readonly throttlingBurstLimit?: number;
  /** CloudWatch execution logs (needs the account's API Gateway logging role, see ApiGatewayAccountLogging). @default 'ERROR' */
  readonly executionLoggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  /** The account logging setup this API's stage needs; given, the stage waits for it. @default assumed already configured */
  readonly accountLogging?: ApiGatewayAccountLogging;
}
