import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';
import { ApiGatewayAccountLogging } from './api-gateway-account.js';
import { RestApi, type RestApiProps } from './rest-api.js';
import type { InvokableFunction } from './routes.js';

const fn = (name: string): InvokableFunction => ({
  name,
  invokeArn: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111111111111:function:${name}/invocations`,
});
const ORDERS = fn('orders');
const AUTH = fn('authorizer');
const POOL = 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_abc';

const props = (overrides: Partial<RestApiProps> = {}): RestApiProps => ({
  name: 'orders',
  routes: { 'GET /orders/{id}': { function: ORDERS }, 'POST /orders': { function: ORDERS } },
  authorizers: { token: { type: 'TOKEN', function: AUTH } },
  defaultAuthorizer: 'token',
  logRetentionDays: 90,
  ...overrides,
});
const build =
  (overrides: Partial<RestApiProps> = {}) =>
  (scope: Construct) =>
    new RestApi(scope, 'api', props(overrides));

const methods = (s: Synth) => Object.values(resourcesOf(s, 'aws_api_gateway_method'));
const integrations = (s: Synth) => Object.values(resourcesOf(s, 'aws_api_gateway_integration'));

describe('RestApi', () => {
  test('GIVEN routes and a default authorizer WHEN synthesized THEN every method is CUSTOM-authorized with Lambda proxy integrations', () => {
    const s = synth(build());
    expect(methods(s).map((m) => [m.http_method, m.authorization])).toEqual(
      expect.arrayContaining([
        ['GET', 'CUSTOM'],
        ['POST', 'CUSTOM'],
      ]),
    );
    expect(methods(s)).toHaveLength(2);
    expect(methods(s).every((m) => String(m.authorizer_id).includes('aws_api_gateway_authorizer'))).toBe(true);
    expect(integrations(s).map((i) => [i.type, i.integration_http_method, i.uri])).toEqual([
      ['AWS_PROXY', 'POST', ORDERS.invokeArn],
      ['AWS_PROXY', 'POST', ORDERS.invokeArn],
    ]);
    const get = methods(s).find((m) => m.http_method === 'GET')!;
    expect(get.request_parameters).toEqual({ 'method.request.path.id': true });
  });

  test('GIVEN nested paths WHEN synthesized THEN one resource per path segment is shared by routes', () => {
    const s = synth(build());
    const resources = Object.values(resourcesOf(s, 'aws_api_gateway_resource')).map((r) => r.path_part);
    expect(resources.sort()).toEqual(['orders', '{id}']);
  });

  test('GIVEN defaults WHEN synthesized THEN the stage writes JSON access logs to a retained log group and traces with X-Ray', () => {
    const out = Testing.synthScope(build());
    expect(out).toHaveResourceWithProperties(ApiGatewayStage, { stage_name: 'v1', xray_tracing_enabled: true });
    const s = JSON.parse(out) as Synth;
    const stage = onlyResource(s, 'aws_api_gateway_stage');
    const settings = stage.access_log_settings as { destination_arn: string; format: string };
    expect(settings.destination_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(JSON.parse(settings.format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      xrayTraceId: '$context.xrayTraceId',
    });
    expect(onlyResource(s, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/apigateway/orders/v1/access', retention_in_days: 90 });
    expect(onlyResource(s, 'aws_api_gateway_method_settings')).toMatchObject({
      method_path: '*/*',
      settings: {
        metrics_enabled: true,
        logging_level: 'ERROR',
        data_trace_enabled: false,
        throttling_rate_limit: 100,
        throttling_burst_limit: 200,
      },
    });
    expect(onlyResource(s, 'aws_api_gateway_rest_api').endpoint_configuration).toEqual({ types: ['REGIONAL'] });
    expect(resourcesOf(s, 'aws_api_gateway_rest_api_policy')).toEqual({});
  });

  test('GIVEN defaults WHEN synthesized THEN the deployment is triggered by a hash of the definition and replaced before destroyed', () => {
    const s = synth(build());
    const deployment = onlyResource(s, 'aws_api_gateway_deployment');
    const trigger = (deployment.triggers as { redeployment: string }).redeployment;
    expect(trigger).toMatch(/^\$\{sha1\(jsonencode\(/);
    expect(trigger).toContain('GET /orders/{id}');
    expect(trigger).toContain('aws_api_gateway_integration.');
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect((deployment.depends_on as string[]).filter((d) => d.startsWith('aws_api_gateway_method.'))).toHaveLength(2);
    const other = onlyResource(synth(build({ routes: { 'GET /orders/{id}': { function: ORDERS } } })), 'aws_api_gateway_deployment');
    expect((other.triggers as { redeployment: string }).redeployment).not.toEqual(trigger);
  });

  test('GIVEN Lambda routes and a Lambda authorizer WHEN synthesized THEN API Gateway may invoke each, scoped to its route or authorizer', () => {
    const s = synth(build());
    const sources = Object.values(resourcesOf(s, 'aws_lambda_permission')).map((p) => [
      p.function_name,
      String(p.source_arn).replace(/^\$\{[^}]+\}/, '<api>'),
    ]);
    expect(sources).toEqual(
      expect.arrayContaining([
        ['authorizer', expect.stringMatching(/^<api>\/authorizers\/\$\{aws_api_gateway_authorizer\..*\.id\}$/)],
        ['orders', '<api>/*/GET/orders/*'],
        ['orders', '<api>/*/POST/orders'],
      ]),
    );
    expect(sources).toHaveLength(3);
    expect(onlyResource(s, 'aws_api_gateway_authorizer')).toMatchObject({
      type: 'TOKEN',
      identity_source: 'method.request.header.Authorization',
      authorizer_result_ttl_in_seconds: 300,
    });
  });

  test('GIVEN a Cognito authorizer with scopes, a REQUEST authorizer and an explicitly public route WHEN synthesized THEN each method gets its own authorization', () => {
    const s = synth(
      build({
        authorizers: {
          users: { type: 'COGNITO_USER_POOLS', userPoolArns: [POOL] },
          partners: {
            type: 'REQUEST',
            function: AUTH,
            identitySource: 'method.request.header.X-Partner-Key,context.sourceIp',
            resultTtlSeconds: 0,
          },
        },
        defaultAuthorizer: 'users',
        routes: {
          'GET /orders': { function: ORDERS, authorizationScopes: ['orders/read'] },
          'POST /partner/orders': { function: ORDERS, authorizer: 'partners' },
          'GET /health': { function: ORDERS, allowUnauthenticated: true },
        },
      }),
    );
    const auth = methods(s).map((m) => [m.http_method, m.authorization, m.authorization_scopes]);
    expect(auth).toEqual(
      expect.arrayContaining([
        ['GET', 'COGNITO_USER_POOLS', ['orders/read']],
        ['POST', 'CUSTOM', undefined],
        ['GET', 'NONE', undefined],
      ]),
    );
    expect(auth).toHaveLength(3);
    const authorizers = Object.values(resourcesOf(s, 'aws_api_gateway_authorizer'));
    expect(authorizers.find((a) => a.type === 'COGNITO_USER_POOLS')).toMatchObject({ provider_arns: [POOL] });
    expect(authorizers.find((a) => a.type === 'REQUEST')).toMatchObject({
      identity_source: 'method.request.header.X-Partner-Key,context.sourceIp',
      authorizer_result_ttl_in_seconds: 0,
    });
  });

  test('GIVEN a PRIVATE endpoint WHEN synthesized THEN only the listed VPC endpoints may invoke and the deployment follows the policy', () => {
    const s = synth(build({ endpointType: 'PRIVATE', vpcEndpointIds: ['vpce-0123456789abcdef0'] }));
    expect(onlyResource(s, 'aws_api_gateway_rest_api').endpoint_configuration).toEqual({
      types: ['PRIVATE'],
      vpc_endpoint_ids: ['vpce-0123456789abcdef0'],
    });
    const policy = JSON.parse(onlyResource(s, 'aws_api_gateway_rest_api_policy').policy as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'execute-api:Invoke',
        Condition: { StringEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
      }),
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'execute-api:Invoke',
        Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
      }),
    ]);
    expect(policy.Statement[0].Resource).toMatch(/execution_arn\}\/\*$/);
    const deployment = onlyResource(s, 'aws_api_gateway_deployment');
    expect(deployment.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_api_gateway_rest_api_policy\./)]));
    expect((deployment.triggers as { redeployment: string }).redeployment).toContain('aws_api_gateway_rest_api_policy.');
  });

  test('GIVEN a VPC link route WHEN synthesized THEN it proxies over the link to the NLB with path parameters mapped', () => {
    const s = synth(
      build({
        vpcLinks: { internal: { targetArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/internal/abc' } },
        routes: { 'GET /ledger/{id}': { vpcLink: { link: 'internal', uri: 'http://ledger.internal:8080/ledger/{id}' } } },
      }),
    );
    expect(onlyResource(s, 'aws_api_gateway_vpc_link')).toMatchObject({
      name: 'orders-internal',
      target_arns: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/net/internal/abc'],
    });
    const integration = onlyResource(s, 'aws_api_gateway_integration');
    expect(integration).toMatchObject({
      type: 'HTTP_PROXY',
      integration_http_method: 'GET',
      connection_type: 'VPC_LINK',
      uri: 'http://ledger.internal:8080/ledger/{id}',
      request_parameters: { 'integration.request.path.id': 'method.request.path.id' },
    });
    expect(integration.connection_id).toMatch(/aws_api_gateway_vpc_link\..*\.id/);
    expect(Object.keys(resourcesOf(s, 'aws_lambda_permission'))).toHaveLength(1);
  });

  test('GIVEN stage, throttling, logging and account props WHEN synthesized THEN each reaches the output', () => {
    const s = synth((scope) => {
      const accountLogging = new ApiGatewayAccountLogging(scope, 'account-logging');
      build({
        stageName: 'prod',
        throttlingRateLimit: 50,
        throttlingBurstLimit: 75,
        executionLoggingLevel: 'INFO',
        accountLogging,
        description: 'Orders',
      })(scope);
    });
    expect(onlyResource(s, 'aws_api_gateway_stage')).toMatchObject({
      stage_name: 'prod',
      depends_on: [expect.stringMatching(/^aws_api_gateway_account\./)],
    });
    expect(onlyResource(s, 'aws_api_gateway_method_settings').settings).toMatchObject({
      logging_level: 'INFO',
      throttling_rate_limit: 50,
      throttling_burst_limit: 75,
    });
    expect(onlyResource(s, 'aws_api_gateway_rest_api').description).toBe('Orders');
    expect(onlyResource(s, 'aws_cloudwatch_log_group').name).toBe('/aws/apigateway/orders/prod/access');
    expect(onlyResource(s, 'aws_iam_role_policy_attachment').policy_arn).toMatch(/AmazonAPIGatewayPushToCloudWatchLogs$/);
  });

  test('GIVEN the construct WHEN read THEN it exposes id, executionArn, url and authorizer ids', () => {
    const api = new RestApi(stack(), 'api', props());
    expect([api.id, api.executionArn, api.url, api.authorizerIds.token!].every((v) => v.includes('TfToken'))).toBe(true);
  });

  test('GIVEN routes without authorization and other mistakes WHEN constructed THEN one error lists every problem', () => {
    expect(() =>
      build({
        name: '-orders',
        endpointType: 'PRIVATE',
        defaultAuthorizer: undefined,
        vpcLinks: {},
        routes: {
          'GET /orders': { function: ORDERS },
          'FETCH /x': { function: ORDERS, allowUnauthenticated: true },
          'GET /a/{id}': { function: ORDERS, allowUnauthenticated: true },
          'GET /a/{key}/b': { function: ORDERS, allowUnauthenticated: true, authorizer: 'token' },
          'POST /l': { vpcLink: { link: 'nope', uri: 'ftp://x' }, authorizer: 'missing', authorizationScopes: ['a/b'] },
          'PUT /both': { function: ORDERS, vpcLink: { link: 'nope', uri: 'http://x' }, authorizer: 'token', authorizationScopes: ['a/b'] },
        },
      })(stack()),
    ).toThrow(
      'RestApi test/api: name must be 1-128 letters, digits, spaces, "_", "." or "-" (got "-orders"); ' +
        'vpcEndpointIds must list the execute-api VPC endpoints allowed to call a PRIVATE API (got none); ' +
        'routes["GET /orders"] has no authorizer: name one, set defaultAuthorizer, or set allowUnauthenticated: true (have: token); ' +
        'routes key must be "METHOD /path" with METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and segments of letters, digits, ._~- or {param} (greedy {param+} last) (got "FETCH /x"); ' +
        'routes["GET /a/{key}/b"] sets both allowUnauthenticated and authorizer "token" (choose one); ' +
        'routes["POST /l"].vpcLink.link must be a vpcLinks key (have: none) (got "nope"); ' +
        'routes["POST /l"].vpcLink.uri must be an http(s):// URL of the backend (got "ftp://x"); ' +
        'routes["POST /l"].authorizer must be an authorizers key (have: token) (got "missing"); ' +
        'routes["POST /l"].authorizationScopes need a COGNITO_USER_POOLS authorizer (got unknown authorizer "missing"); ' +
        'routes["PUT /both"] needs exactly one of function / vpcLink (got both); ' +
        'routes["PUT /both"].vpcLink.link must be a vpcLinks key (have: none) (got "nope"); ' +
        'routes["PUT /both"].authorizationScopes need a COGNITO_USER_POOLS authorizer (got TOKEN authorizer "token"); ' +
        'routes["GET /a/{key}/b"] uses {key} under /a where another route uses {id} (one parameter name per position)',
    );
  });

  test('GIVEN vpcEndpointIds on a REGIONAL API, no routes and a bad default authorizer WHEN constructed THEN each is reported', () => {
    expect(() =>
      build({ vpcEndpointIds: ['vpce-0123456789abcdef0'], routes: {}, defaultAuthorizer: 'nope', logRetentionDays: 2 })(stack()),
    ).toThrow(
      'RestApi test/api: logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 2); ' +
        'vpcEndpointIds applies to PRIVATE APIs only (got endpointType "REGIONAL"); ' +
        'defaultAuthorizer must be an authorizers key (have: token) (got "nope"); ' +
        'routes must define at least one method (got none)',
    );
  });
});
