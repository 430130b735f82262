import { Testing } from 'cdktf';
import { named, ofType, synthesizeSystem, type Resource, type SynthesizedStack } from '../../../test/modules/system-synth.js';
import { PaymentsApiDns, type PaymentsApiDnsProps } from './api-dns.js';
import { paymentsSystem } from './index.js';

// The API side of each payments region: TLS from API Gateway to the NLBs, the internal API on a private
// API only, and api.<domain> failing over between the regions.
const { stackOf } = synthesizeSystem<SynthesizedStack>(paymentsSystem);
const STACKS = ['payments-dev', 'payments-uat', 'payments-prod', 'payments-prod-eu-central-1'];
/** Each stack's `domain` (environments/*.yaml). */
const DOMAINS: Record<string, string> = {
  'payments-dev': 'dev.pay.snake.example.com',
  'payments-uat': 'uat.pay.snake.example.com',
  'payments-prod': 'pay.snake.example.com',
  'payments-prod-eu-central-1': 'pay.snake.example.com',
};
/** Whether a method or integration belongs to the REST API with construct path `api`. */
const ofApi = (api: string) => (r: Resource) =>
  new RegExp(`^\\$\\{aws_api_gateway_rest_api\\.${api}_[0-9A-F]{8}\\.id\\}$`).test(String(r.rest_api_id));
/** The resource of `type` whose construct path is `path` (ids are the path with `_` and an 8-digit hash). */
function withId(s: SynthesizedStack, type: string, path: string): Resource {
  const found = Object.entries(s.resource[type] ?? {}).filter(([id]) => new RegExp(`^${path}_[0-9A-F]{8}$`).test(id));
  expect([type, path, found.length]).toEqual([type, path, 1]);
  return found[0]![1];
}
// The seed's GuardDuty, Config and CloudTrail are the account's: the account stack of each payments site holds them.
describe.each(STACKS)('payments APIs %s', (name) => {
  const stack = () => stackOf(name);

  test('GIVEN the two APIs WHEN synthesized THEN every method needs a Cognito token and the two API services need their scopes', () => {
    const methodsOf = (api: string) => ofType(stack(), 'aws_api_gateway_method').filter(ofApi(api));
    expect(methodsOf('api').map((m) => [m.authorization, m.authorization_scopes ?? []])).toEqual([
      ['COGNITO_USER_POOLS', ['payments/external']],
      ['COGNITO_USER_POOLS', []],
    ]);
    expect(methodsOf('api_internal-api').map((m) => [m.authorization, m.authorization_scopes])).toEqual([
      ['COGNITO_USER_POOLS', ['payments/internal']],
    ]);
  });

  test('GIVEN the NLBs WHEN synthesized THEN every listener is TLS 1.2+ with the services certificate and every VPC-link integration is https to its name', () => {
    const listeners = ofType(stack(), 'aws_lb_listener');
    expect(listeners.map((l) => [l.port, l.protocol, l.ssl_policy, l.certificate_arn])).toEqual(
      [8083, 8082, 8081].map((port) => [
        port,
        'TLS',
        'ELBSecurityPolicy-TLS13-1-2-2021-06',
        expect.stringMatching(/^\$\{aws_acm_certificate(_validation)?\.services-certificate_[\w]+\.(certificate_)?arn\}$/),
      ]),
    );
    const host = `services.${DOMAINS[name]}`;
    expect(named(stack(), 'aws_acm_certificate', 'services-certificate')[0]!.domain_name).toBe(host);
    const uris = ofType(stack(), 'aws_api_gateway_integration').map((i) => [i.connection_type, i.uri]);
    expect(uris).toEqual([8082, 8081, 8083].map((port) => ['VPC_LINK', `https://${host}:${port}/{proxy}`]));
  });

  test('GIVEN the internal API service WHEN synthesized THEN no public route reaches it: only the private API integrates with its own NLB', () => {
    const s = stack();
    const [publicApi, privateApi] = ['api', 'api_internal-api'].map((id) => withId(s, 'aws_api_gateway_rest_api', id));
    expect([publicApi, privateApi].map((a) => (a.endpoint_configuration as { types: string[] }).types)).toEqual([
      ['REGIONAL'],
      ['PRIVATE'],
    ]);
    expect((privateApi.endpoint_configuration as { vpc_endpoint_ids: string[] }).vpc_endpoint_ids).toEqual([
      expect.stringMatching(/^\$\{aws_vpc_endpoint\.vpc_endpoints_interface-execute-api_\w+\.id\}$/),
    ]);
    // Which NLB each VPC link targets, and which links and ports each API's integrations use.
    const linkTarget = Object.fromEntries(
      Object.entries(s.resource.aws_api_gateway_vpc_link ?? {}).map(([id, link]) => [id, String((link.target_arns as string[])[0])]),
    );
    const integrationsOf = (apiId: string) =>
      ofType(s, 'aws_api_gateway_integration')
        .filter(ofApi(apiId))
        .map((i) => [linkTarget[/vpc_link\.([\w-]+)\.id/.exec(String(i.connection_id))![1]!], /:(\d+)\//.exec(String(i.uri))![1]]);
    expect(integrationsOf('api')).toEqual([
      [expect.stringContaining('aws_lb.services_nlb_'), '8082'],
      [expect.stringContaining('aws_lb.services_nlb_'), '8081'],
    ]);
    expect(integrationsOf('api_internal-api')).toEqual([[expect.stringContaining('aws_lb.services_internal-nlb_'), '8083']]);
    // The public API's NLB has no way to the internal API: its listeners forward to web and the external API only.
    const forwardsOf = (nlb: string) =>
      named(s, 'aws_lb_listener', `services_${nlb}_`).map(
        (l) => /target-group-([a-z-]+)_/.exec(String((l.default_action as { target_group_arn: string }[])[0]!.target_group_arn))![1],
      );
    expect([forwardsOf('nlb').sort(), forwardsOf('internal-nlb')]).toEqual([['external-api', 'web'], ['internal-api']]);
  });
});

describe('payments: api.<domain> between the regions', () => {
  test('GIVEN prod with a DR region WHEN synthesized THEN api.<domain> fails over from eu-west-1 to eu-central-1 on health checks of each region', () => {
    const failover = (name: string) => {
      const s = stackOf(name);
      const record = named(s, 'aws_route53_record', 'api-dns_record')[0]!;
      const checks = Object.fromEntries(Object.entries(s.resource.aws_route53_health_check ?? {}).map(([id, c]) => [id, c]));
      const calculated = checks[/health_check\.([\w-]+)\.id/.exec(String(record.health_check_id))![1]!]!;
      const children = (calculated.child_healthchecks as string[]).map((ref) => checks[/health_check\.([\w-]+)\.id/.exec(ref)![1]!]!);
      return {
        name: record.name,
        failover: record.failover_routing_policy,
        alias: record.alias,
        calculated: [calculated.type, calculated.child_health_threshold],
        children: children.map((c) => [
          c.type,
          c.cloudwatch_alarm_region,
          String(c.cloudwatch_alarm_name).replace(/_alarm_[0-9A-F]+\.alarm_name\}$/, ''),
        ]),
      };
    };
    const alarms = (region: string) =>
      ['web-no-healthy-targets', 'external-api-no-healthy-targets', 'api-failing'].map((alarm) => [
        'CLOUDWATCH_METRIC',
        region,
        `\${aws_cloudwatch_metric_alarm.monitoring_alarms_${alarm}`,
      ]);
    const alias = {
      evaluate_target_health: true,
      name: expect.stringMatching(/aws_api_gateway_domain_name\.api_domain-name_\w+\.regional_domain_name/),
    };
    // The primary region answers first; the DR region when the primary's health check fails.
    const expected = (type: string, region: string) => ({
      name: 'api.pay.snake.example.com',
      failover: { type },
      alias: expect.objectContaining(alias),
      calculated: ['CALCULATED', 3],
      children: alarms(region),
    });
    expect([failover('payments-prod'), failover('payments-prod-eu-central-1')]).toEqual([
      expected('PRIMARY', 'eu-west-1'),
      expected('SECONDARY', 'eu-central-1'),
    ]);
    for (const name of ['payments-prod', 'payments-prod-eu-central-1'])
      expect(ofType(stackOf(name), 'aws_route53_record').filter((r) => r.latency_routing_policy !== undefined)).toEqual([]);
  });

  test('GIVEN a failover alarm WHEN synthesized THEN it is a plain metric alarm (Route 53 cannot watch metric math) on no healthy task or most requests failing', () => {
    const alarm = (id: string) => named(stackOf('payments-prod'), 'aws_cloudwatch_metric_alarm', `monitoring_alarms_${id}_`)[0]!;
    expect(alarm('external-api-no-healthy-targets')).toMatchObject({
      namespace: 'AWS/NetworkELB',
      metric_name: 'HealthyHostCount',
      statistic: 'Minimum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
    });
    expect(alarm('api-failing')).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: '5XXError',
      statistic: 'Average',
      threshold: 0.5,
    });
    expect(alarm('api-failing').metric_query).toBeUndefined();
  });

  test('GIVEN dev and uat without a DR region WHEN synthesized THEN api.<domain> is a plain alias with no health check', () => {
    for (const name of ['payments-dev', 'payments-uat']) {
      const record = named(stackOf(name), 'aws_route53_record', 'api-dns_record')[0]!;
      expect([name, record.failover_routing_policy, record.set_identifier, record.health_check_id]).toEqual([
        name,
        undefined,
        undefined,
        undefined,
      ]);
      expect([name, ofType(stackOf(name), 'aws_route53_health_check')]).toEqual([name, []]);
    }
  });
});

describe('PaymentsApiDns: bad input', () => {
  const base: PaymentsApiDnsProps = {
    hostedZoneId: 'Z123',
    apiDomain: 'api.pay.example.com',
    target: { name: 'd-abc.execute-api.eu-west-1.amazonaws.com', zoneId: 'Z2FDTNDATAQYW2' },
    region: 'eu-west-1',
    healthAlarmNames: ['a'],
  };
  const build = (props: Partial<PaymentsApiDnsProps>) => () =>
    Testing.synthScope((scope) => new PaymentsApiDns(scope, 'api-dns', { ...base, ...props }));

  test('GIVEN failover with no alarm, or an unknown failover type WHEN built THEN the error names the field and what is allowed', () => {
    expect(build({ failover: 'PRIMARY', healthAlarmNames: [] })).toThrow(
      'PaymentsApiDns stack/api-dns: healthAlarmNames must name at least one alarm with failover "PRIMARY" (got none)',
    );
    expect(build({ failover: 'TERTIARY' as 'PRIMARY' })).toThrow('failover must be one of "PRIMARY", "SECONDARY" (got "TERTIARY")');
  });

  test('GIVEN no failover and no alarms WHEN built THEN it is a plain alias and nothing is checked', () => {
    const synth = JSON.parse(build({ healthAlarmNames: [] })()) as SynthesizedStack;
    expect(ofType(synth, 'aws_route53_health_check')).toEqual([]);
    expect(ofType(synth, 'aws_route53_record')).toEqual([expect.objectContaining({ name: 'api.pay.example.com', type: 'A' })]);
  });
});
