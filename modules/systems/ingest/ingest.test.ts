import { Testing } from 'cdktf';
import type { Environment } from '../../../environments/schema.js';
import { ingestSettings } from '../settings.js';
import type { SystemContext } from '../types.js';
import {
  envNamed,
  ofType,
  synthesizeSystem,
  systemContext,
  typeCounts,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { ingestSystem, IngestStack } from './index.js';

type Synthesized = SynthesizedStack;

const { stacks: ingest, stackOf } = synthesizeSystem(ingestSystem);

/** A context like buildApp's, from an environment file with some knobs overridden. */
const contextFor = (envName: string, overrides: Record<string, unknown>, environment?: Environment) =>
  systemContext(ingestSystem, environment ?? envNamed(envName), overrides);
const synthContext = (context: SystemContext<'ingest'>): Synthesized =>
  JSON.parse(Testing.synth(new IngestStack(Testing.app(), 'ingest-test', context))) as Synthesized;

// Seed 000, option 1: the components of the cloud-native design and what implements them.
const SEED_COMPONENTS: [string, string[]][] = [
  ['API Gateway (REST) with a stage', ['aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_api_gateway_method']],
  ['authorizer attached to API Gateway', ['aws_api_gateway_authorizer']],
  ['SQS work queue and dead-letter queue', ['aws_sqs_queue']],
  ['consumer Lambda fed by the queue', ['aws_lambda_function', 'aws_lambda_event_source_mapping']],
  ['VPC for the Lambdas with endpoints', ['aws_vpc', 'aws_subnet', 'aws_vpc_endpoint', 'aws_flow_log']],
  ['alarms to an SNS topic', ['aws_cloudwatch_metric_alarm', 'aws_sns_topic']],
  ['log groups', ['aws_cloudwatch_log_group']],
  ['dashboard', ['aws_cloudwatch_dashboard']],
];
const HYBRID_LINK: Record<string, [string, string[]]> = {
  dev: ['public HTTPS behind a regional WAF', ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']],
  uat: ['site-to-site VPN from the on-premise source', ['aws_customer_gateway', 'aws_vpn_gateway', 'aws_vpn_connection']],
  prod: ['site-to-site VPN from the on-premise source', ['aws_customer_gateway', 'aws_vpn_gateway', 'aws_vpn_connection']],
};

describe.each(['dev', 'uat', 'prod'])('ingest in %s', (env) => {
  const stack = () => stackOf(`ingest-${env}`);

  test.each(SEED_COMPONENTS)('GIVEN the %s seed component WHEN the stack is synthesized THEN its resources exist', (_component, types) => {
    for (const type of types) expect([type, ofType(stack(), type).length]).not.toEqual([type, 0]);
  });

  test(`GIVEN the environment's hybrid mode WHEN synthesized THEN the link is ${HYBRID_LINK[env]![0]}`, () => {
    for (const type of HYBRID_LINK[env]![1]) expect([type, ofType(stack(), type).length]).not.toEqual([type, 0]);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(stack())).toMatchSnapshot();
  });

  test("GIVEN the environment's retention WHEN synthesized THEN every log group keeps logs that long", () => {
    const days = envNamed(env).systems.ingest!.logRetentionDays;
    const retentions = ofType(stack(), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days);
    expect(new Set(retentions)).toEqual(new Set([days]));
  });

  test('GIVEN the work queue WHEN synthesized THEN it redrives to the DLQ after maxReceiveCount and hides messages 6 × the consumer timeout', () => {
    const settings = envNamed(env).systems.ingest!;
    const work = ofType(stack(), 'aws_sqs_queue').find((q) => q.name === `ingest-${env}-work`)!;
    expect(JSON.parse(work.redrive_policy as string).maxReceiveCount).toBe(settings.maxReceiveCount);
    expect(work.visibility_timeout_seconds).toBe(6 * settings.consumerTimeoutSeconds);
  });

  test('GIVEN the consumer WHEN synthesized THEN its mapping reports failures per message', () => {
    const [mapping] = ofType(stack(), 'aws_lambda_event_source_mapping');
    expect(mapping!.function_response_types).toEqual(['ReportBatchItemFailures']);
  });

  test('GIVEN the alarms WHEN synthesized THEN DLQ depth, queue age, Lambda errors and API 5xx all notify the alarm topic', () => {
    const alarms = ofType(stack(), 'aws_cloudwatch_metric_alarm');
    const watched = alarms.map((a) => a.metric_name ?? (a.metric_query as { metric?: { metric_name: string } }[])[1]!.metric!.metric_name);
    expect(watched).toEqual(
      expect.arrayContaining(['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage', 'Errors', '5XXError']),
    );
    const [topic] = Object.keys(stack().resource.aws_sns_topic!);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${topic}.arn}`]);
  });

  test('GIVEN the API WHEN synthesized THEN every method is authorized by the source authorizer', () => {
    for (const method of ofType(stack(), 'aws_api_gateway_method')) expect(method.authorization).toBe('CUSTOM');
  });
});

describe('ingest differences between environments', () => {
  test('GIVEN dev (single NAT) and prod (natGateways perAz) WHEN synthesized THEN dev has 1 NAT gateway and prod one per AZ', () => {
    expect(ofType(stackOf('ingest-dev'), 'aws_nat_gateway')).toHaveLength(1);
    expect(ofType(stackOf('ingest-prod'), 'aws_nat_gateway')).toHaveLength(envNamed('prod').systems.ingest!.azCount);
  });

  test('GIVEN prod over the VPN and dev over HTTPS WHEN synthesized THEN prod has a PRIVATE API and no WAF, dev a REGIONAL API behind WAF', () => {
    const endpointTypes = (name: string) =>
      ofType(stackOf(name), 'aws_api_gateway_rest_api').map((a) => (a.endpoint_configuration as { types: string[] }).types);
    expect(endpointTypes('ingest-prod')).toEqual([['PRIVATE']]);
    expect(endpointTypes('ingest-dev')).toEqual([['REGIONAL']]);
    expect(ofType(stackOf('ingest-prod'), 'aws_wafv2_web_acl')).toHaveLength(0);
    expect(ofType(stackOf('ingest-dev'), 'aws_vpn_connection')).toHaveLength(0);
  });

  test('GIVEN the VPN WHEN synthesized THEN the on-premise network is routed, admitted by the NACL and allowed on the execute-api endpoint', () => {
    const prod = stackOf('ingest-prod');
    const onPrem = envNamed('prod').systems.ingest!.hybrid.onPremCidr;
    expect(ofType(prod, 'aws_vpn_gateway_route_propagation')).toHaveLength(envNamed('prod').systems.ingest!.azCount);
    const privateAcl = ofType(prod, 'aws_network_acl').find((a) => (a.tags as Record<string, string>).Name === 'ingest-prod-private')!;
    expect(privateAcl.ingress).toEqual(expect.arrayContaining([expect.objectContaining({ cidr_block: onPrem })]));
    expect(ofType(prod, 'aws_vpc_security_group_ingress_rule')).toEqual(
      expect.arrayContaining([expect.objectContaining({ cidr_ipv4: onPrem, from_port: 443 })]),
    );
  });

  test('GIVEN no environment asks for an ingest DR copy WHEN the app is built THEN every environment has exactly one ingest stack', () => {
    expect(ingest.map((s) => s.name)).toEqual(['ingest-dev', 'ingest-prod', 'ingest-uat']);
  });
});

describe('ingest knobs', () => {
  test('GIVEN authorizer cognito WHEN synthesized THEN methods use a Cognito authorizer requiring the write scope and no authorizer function exists', () => {
    const out = synthContext(contextFor('dev', { authorizer: 'cognito' }));
    const [method] = ofType(out, 'aws_api_gateway_method');
    expect(method).toMatchObject({ authorization: 'COGNITO_USER_POOLS', authorization_scopes: ['ingest/write'] });
    const [client] = ofType(out, 'aws_cognito_user_pool_client');
    expect(client).toMatchObject({ allowed_oauth_flows: ['client_credentials'], generate_secret: true });
    expect(
      ofType(out, 'aws_lambda_function')
        .map((f) => f.function_name)
        .sort(),
    ).toEqual(['ingest-dev-consumer', 'ingest-dev-receiver']);
  });

  test('GIVEN consumerReservedConcurrency 20 and consumerTimeoutSeconds 60 WHEN synthesized THEN the consumer is capped and timed accordingly', () => {
    const out = synthContext(contextFor('dev', { consumerReservedConcurrency: 20, consumerTimeoutSeconds: 60 }));
    const consumer = ofType(out, 'aws_lambda_function').find((f) => f.function_name === 'ingest-dev-consumer')!;
    expect(consumer).toMatchObject({ reserved_concurrent_executions: 20, timeout: 60 });
  });

  test('GIVEN an environment without an AWS account WHEN the stack is built THEN it fails naming the environment and the missing field', () => {
    const dev = envNamed('dev');
    const noAccount: Environment = { ...dev, accounts: { azure: dev.accounts.azure } };
    expect(() => synthContext(contextFor('dev', {}, noAccount))).toThrow(
      'environment dev: accounts.aws.accountId is required for the ingest system (got no accounts.aws block)',
    );
  });

  test.each([
    [{ hybrid: { mode: 'ipsec' } }, 'hybrid.mode'],
    [{ authorizer: 'iam' }, 'authorizer'],
    [{ maxReceiveCount: 0 }, 'maxReceiveCount'],
    [{ consumerTimeoutSeconds: 901 }, 'consumerTimeoutSeconds'],
    [{ hybrid: { mode: 'vpn', customerGatewayIp: '300.1.1.1' } }, 'hybrid.customerGatewayIp'],
    [{ queueSize: 10 }, ''],
  ])('GIVEN the bad knob %j WHEN the settings are parsed THEN they are rejected at %s', (bad, path) => {
    const result = ingestSettings.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain(path);
  });
});
