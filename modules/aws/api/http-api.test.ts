import { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage/index.js';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';
import { HttpApi, type HttpApiProps } from './http-api.js';
import type { InvokableFunction } from './routes.js';

const fn = (name: string): InvokableFunction => ({
  name,
  invokeArn: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:${name}/invocations`,
});
const ORDERS = fn('orders');
const AUTH = fn('authorizer');
const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/app/web/abc/def';

const props = (overrides: Partial<HttpApiProps> = {}): HttpApiProps => ({
  name: 'orders',
  routes: { 'GET /orders/{id}': { function: ORDERS }, 'POST /orders': { function: ORDERS } },
  authorizers: { jwt: { type: 'JWT', issuer: 'https://login.example.com/', audience: ['orders-api'] } },
  defaultAuthorizer: 'jwt',
  logRetentionDays: 90,
  ...overrides,
});
const build =
  (overrides: Partial<HttpApiProps> = {}) =>
  (scope: Construct) =>
    new HttpApi(scope, 'api', props(overrides));
const routes = (s: Synth) => Object.values(resourcesOf(s, 'aws_apigatewayv2_route'));

describe('HttpApi', () => {
  test('GIVEN routes and a default JWT authorizer WHEN synthesized THEN every route is JWT-authorized with a Lambda proxy integration', () => {
    const s = synth(build());
    expect(Object.fromEntries(routes(s).map((r) => [r.route_key, r.authorization_type]))).toEqual({
      'GET /orders/{id}': 'JWT',
      'POST /orders': 'JWT',
    });
    expect(
      routes(s).every(
        (r) => String(r.authorizer_id).includes('aws_apigatewayv2_authorizer') && String(r.target).startsWith('integrations/'),
      ),
    ).toBe(true);
    expect(onlyResource(s, 'aws_apigatewayv2_authorizer')).toMatchObject({
      authorizer_type: 'JWT',
      identity_sources: ['$request.header.Authorization'],
      jwt_configuration: { issuer: 'https://login.example.com/', audience: ['orders-api'] },
    });
    const integrations = Object.values(resourcesOf(s, 'aws_apigatewayv2_integration'));
    expect(integrations.map((i) => [i.integration_type, i.integration_uri, i.payload_format_version])).toEqual([
      ['AWS_PROXY', ORDERS.invokeArn, '2.0'],
      ['AWS_PROXY', ORDERS.invokeArn, '2.0'],
    ]);
  });

  test('GIVEN defaults WHEN synthesized THEN the auto-deployed stage writes JSON access logs with retention, detailed metrics and throttling', () => {
    const out = Testing.synthScope(build());
    expect(out).toHaveResourceWithProperties(Apigatewayv2Stage, {
      name: '$default',
      auto_deploy: true,
      default_route_settings: { detailed_metrics_enabled: true, throttling_rate_limit: 100, throttling_burst_limit: 200 },
    });
    const s = JSON.parse(out) as Synth;
    const settings = onlyResource(s, 'aws_apigatewayv2_stage').access_log_settings as { destination_arn: string; format: string };
    expect(settings.destination_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(JSON.parse(settings.format)).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
    expect(onlyResource(s, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/apigateway/orders/access', retention_in_days: 90 });
    expect(onlyResource(s, 'aws_apigatewayv2_api')).toMatchObject({ protocol_type: 'HTTP' });
    expect(onlyResource(s, 'aws_apigatewayv2_api').cors_configuration).toBeUndefined();
  });

  test('GIVEN Lambda routes WHEN synthesized THEN API Gateway may invoke the function for those routes only', () => {
    const sources = Object.values(resourcesOf(synth(build()), 'aws_lambda_permission')).map((p) =>
      String(p.source_arn).replace(/^\$\{[^}]+\}/, '<api>'),
    );
    expect(sources.sort()).toEqual(['<api>/*/GET/orders/*', '<api>/*/POST/orders']);
  });

  test('GIVEN Cognito and Lambda authorizers, scopes and a public route WHEN synthesized THEN each route gets its own authorization', () => {
    const s = synth(
      build({
        authorizers: {
          users: {
            type: 'COGNITO',
            userPool: { issuerUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc' },
            clientIds: ['client-1'],
          },
          partners: { type: 'LAMBDA', function: AUTH, identitySources: ['$request.header.X-Partner-Key'], resultTtlSeconds: 60 },
        },
        defaultAuthorizer: 'users',
        routes: {
          'GET /orders': { function: ORDERS, authorizationScopes: ['orders/read'] },
          'POST /partner/orders': { function: ORDERS, authorizer: 'partners' },
          'GET /health': { function: ORDERS, allowUnauthenticated: true },
        },
      }),
    );
    const byKey = Object.fromEntries(routes(s).map((r) => [r.route_key, [r.authorization_type, r.authorization_scopes]]));
    expect(byKey).toEqual({
      'GET /orders': ['JWT', ['orders/read']],
      'POST /partner/orders': ['CUSTOM', undefined],
      'GET /health': ['NONE', undefined],
    });
    const authorizers = Object.values(resourcesOf(s, 'aws_apigatewayv2_authorizer'));
    expect(authorizers.find((a) => a.authorizer_type === 'JWT')).toMatchObject({
      jwt_configuration: { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', audience: ['client-1'] },
    });
    expect(authorizers.find((a) => a.authorizer_type === 'REQUEST')).toMatchObject({
      authorizer_payload_format_version: '2.0',
      enable_simple_responses: true,
      identity_sources: ['$request.header.X-Partner-Key'],
      authorizer_result_ttl_in_seconds: 60,
    });
    const permissions = Object.values(resourcesOf(s, 'aws_lambda_permission')).map((p) => p.function_name);
    expect(permissions.filter((f) => f === 'authorizer')).toHaveLength(1);
  });

  test('GIVEN a VPC link route, CORS, throttling and a description WHEN synthesized THEN each reaches the output', () => {
    const s = synth(
      build({
        description: 'Orders',
        vpcLinks: { private: { subnetIds: ['subnet-a'], securityGroupIds: ['sg-link'] } },
        routes: { 'ANY /web/{proxy+}': { vpcLink: { link: 'private', listenerArn: LISTENER } } },
        cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'], allowCredentials: true },
        throttlingRateLimit: 10,
        throttlingBurstLimit: 20,
      }),
    );
    expect(onlyResource(s, 'aws_apigatewayv2_vpc_link')).toMatchObject({
      name: 'orders-private',
      subnet_ids: ['subnet-a'],
      security_group_ids: ['sg-link'],
    });
    const integration = onlyResource(s, 'aws_apigatewayv2_integration');
    expect(integration).toMatchObject({
      integration_type: 'HTTP_PROXY',
      integration_method: 'ANY',
      integration_uri: LISTENER,
      connection_type: 'VPC_LINK',
    });
    expect(integration.connection_id).toMatch(/aws_apigatewayv2_vpc_link\..*\.id/);
    expect(onlyResource(s, 'aws_apigatewayv2_api')).toMatchObject({
      description: 'Orders',
      cors_configuration: { allow_origins: ['https://app.example.com'], allow_credentials: true },
    });
    expect(onlyResource(s, 'aws_apigatewayv2_stage').default_route_settings).toMatchObject({
      throttling_rate_limit: 10,
      throttling_burst_limit: 20,
    });
    expect(resourcesOf(s, 'aws_lambda_permission')).toEqual({});
  });

  test('GIVEN the construct WHEN read THEN it exposes id, executionArn, url and routes by key', () => {
    const api = new HttpApi(stack(), 'api', props());
    expect([api.id, api.executionArn, api.url].every((v) => v.includes('TfToken'))).toBe(true);
    expect(Object.keys(api.routes)).toEqual(['GET /orders/{id}', 'POST /orders']);
  });

  test('GIVEN unauthenticated routes and other mistakes WHEN constructed THEN one error lists every problem', () => {
    expect(() =>
      build({
        defaultAuthorizer: undefined,
        authorizers: {
          jwt: { type: 'JWT', issuer: 'http://login.example.com', audience: [] },
          lam: { type: 'LAMBDA', function: AUTH, resultTtlSeconds: 7200 },
        },
        cors: { allowOrigins: ['*'], allowCredentials: true },
        routes: {
          'GET /orders': { function: ORDERS },
          'GET /x': { vpcLink: { link: 'none', listenerArn: LISTENER }, authorizer: 'lam', authorizationScopes: ['a'] },
          'GET /y': { function: ORDERS, allowUnauthenticated: true, authorizer: 'jwt' },
        },
      })(stack()),
    ).toThrow(
      'HttpApi test/api: authorizers.jwt.issuer must be an https:// issuer URL (got "http://login.example.com"); ' +
        'authorizers.jwt.audience must list at least one audience (got none); ' +
        'authorizers.lam.resultTtlSeconds must be an integer between 0 and 3600 (got 7200); ' +
        'cors.allowOrigins cannot be "*" when allowCredentials is true (name the origins); ' +
        'routes["GET /orders"] has no authorizer: name one, set defaultAuthorizer, or set allowUnauthenticated: true (have: jwt, lam); ' +
        'routes["GET /x"].vpcLink.link must be a vpcLinks key (have: none) (got "none"); ' +
        'routes["GET /x"].authorizationScopes need a JWT or COGNITO authorizer (got LAMBDA); ' +
        'routes["GET /y"] sets both allowUnauthenticated and authorizer "jwt" (choose one)',
    );
  });

  test('GIVEN no routes, a bad name and retention WHEN constructed THEN each is reported', () => {
    expect(() => build({ name: '', routes: {}, logRetentionDays: 8, defaultAuthorizer: 'x' })(stack())).toThrow(
      'HttpApi test/api: name must be 1-128 letters, digits, spaces, "_", "." or "-" (got ""); ' +
        'logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 8); ' +
        'defaultAuthorizer must be an authorizers key (have: jwt) (got "x"); ' +
        'routes must define at least one route (got none)',
    );
  });
});
