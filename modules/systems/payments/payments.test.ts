import { Testing } from 'cdktf';
import { buildApp, carveCidr } from '../../../environments/app.js';
import type { Environment } from '../../../environments/schema.js';
import { evaluatePolicy } from '../../policy/engine.js';
import { paymentsSettings } from '../settings.js';
import type { SystemContext } from '../types.js';
import {
  dnsOf,
  envNamed,
  named,
  one,
  ofType,
  synthesizeSystem,
  testEnvironments,
  typeCounts,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { estimatedMaxConnections } from '../database.js';
import { paymentsSystem, PaymentsStack } from './index.js';

interface Synthesized extends SynthesizedStack {
  data?: Record<string, Record<string, Resource>>;
  output?: Record<string, { value: unknown }>;
}

const { stacks: payments, stackOf } = synthesizeSystem<Synthesized>(paymentsSystem);
/** The account stacks of the environments that run payments, synthesized. */
const accountStacks = () =>
  new Map(
    buildApp(Testing.app(), testEnvironments, { systems: [paymentsSystem], commitSha: 'abcdef1', version: '0.0.0' })
      .filter((s) => s.system === 'account')
      .map((s) => [s.name, JSON.parse(Testing.synth(s.stack)) as Synthesized]),
  );
const containerOf = (s: Synthesized, service: string) =>
  (JSON.parse(named(s, 'aws_ecs_task_definition', `services_${service}_task`)[0]!.container_definitions as string) as Resource[])[0]!;

/** A context like buildApp's, from an environment file with some knobs overridden. */
function contextFor(envName: string, overrides: Record<string, unknown> = {}, environment?: Environment): SystemContext<'payments'> {
  const env = environment ?? envNamed(envName);
  return {
    environment: env,
    settings: paymentsSettings.parse({ ...env.systems.payments, ...overrides }),
    region: env.regions.primary,
    role: 'primary',
    primaryRegion: env.regions.primary,
    drRegion: env.regions.dr,
    cidr: carveCidr(env.regions.primary.cidr, 20, paymentsSystem.cidrIndex),
    tags: { ...env.tags, system: 'payments' },
  };
}
const synthContext = (context: SystemContext<'payments'>): Synthesized =>
  JSON.parse(Testing.synth(new PaymentsStack(Testing.app(), 'payments-test', context))) as Synthesized;

// Seed 003's regional components and what implements them (every region).
const REGIONAL_COMPONENTS: [string, string[]][] = [
  ['regional API Gateway (REST) with a stage', ['aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_api_gateway_method']],
  ['API Gateway certificate (ACM) and custom domain', ['aws_acm_certificate', 'aws_api_gateway_domain_name']],
  ['API authorization', ['aws_api_gateway_authorizer', 'aws_cognito_user_pool']],
  ['VPC link to a network load balancer', ['aws_api_gateway_vpc_link', 'aws_lb', 'aws_lb_listener', 'aws_lb_target_group']],
  ['ECS services (web, external API, internal API, processor)', ['aws_ecs_cluster', 'aws_ecs_service', 'aws_ecs_task_definition']],
  ['container images', ['aws_ecr_repository']],
  ['Fargate auto scaling', ['aws_appautoscaling_target', 'aws_appautoscaling_policy']],
  ['SQS between services, with DLQs', ['aws_sqs_queue']],
  ['NAT gateway egress for the processor', ['aws_nat_gateway', 'aws_eip']],
  ['security groups and network ACLs', ['aws_security_group', 'aws_network_acl']],
  ['relational database (RDS)', ['aws_db_instance']],
  ['ElastiCache Redis', ['aws_elasticache_replication_group']],
  ['Secrets Manager', ['aws_secretsmanager_secret']],
  ['WAF on the API', ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']],
  ['Route 53 records', ['aws_route53_record']],
  ['CloudWatch logs, alarms and dashboard', ['aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard']],
];
// The global components, built in the primary region only.
const GLOBAL_COMPONENTS: [string, string[]][] = [
  // The seed's Route 53 hosted zone is created by the primary or looked up, as the environment file says ("payments: DNS zone").
  ['CloudFront web front with origin access control', ['aws_cloudfront_distribution', 'aws_cloudfront_origin_access_control']],
];
const STACKS = ['payments-dev', 'payments-uat', 'payments-prod', 'payments-prod-eu-central-1'];
const ACCOUNT_COMPONENTS: [string, string[]][] = [
  ['GuardDuty', ['aws_guardduty_detector']],
  ['AWS Config', ['aws_config_configuration_recorder']],
  ['CloudTrail (multi-region, in the primary region)', ['aws_cloudtrail']],
];

describe.each(STACKS)('payments stack %s', (name) => {
  const stack = () => stackOf(name);

  test.each(REGIONAL_COMPONENTS)('GIVEN the %s seed component WHEN synthesized THEN its resources exist', (_component, types) => {
    for (const type of types) expect([type, ofType(stack(), type).length]).not.toEqual([type, 0]);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(stack())).toMatchSnapshot();
  });

  test('GIVEN the four services WHEN synthesized THEN only web and the two APIs sit behind the NLB and the processor alone holds the processor credentials', () => {
    const services = ofType(stack(), 'aws_ecs_service');
    expect(services).toHaveLength(4);
    const notBehindNlb = services.filter((s) => s.load_balancer === undefined).map((s) => s.name);
    expect(notBehindNlb).toEqual([expect.stringMatching(/-processor$/)]);
    const secretNames = (service: string) => ((containerOf(stack(), service).secrets ?? []) as { name: string }[]).map((s) => s.name);
    expect(secretNames('processor')).toContain('PROCESSOR_API_CREDENTIALS');
    for (const service of ['web', 'external-api', 'internal-api']) expect(secretNames(service)).not.toContain('PROCESSOR_API_CREDENTIALS');
  });

  test('GIVEN the database WHEN synthesized THEN only the two API security groups may reach port 5432', () => {
    const rules = named(stack(), 'aws_vpc_security_group_ingress_rule', 'database_security-group_from-');
    expect(rules.map((r) => r.from_port)).toEqual([5432, 5432]);
    expect(rules.map((r) => String(r.referenced_security_group_id)).sort()).toEqual([
      expect.stringContaining('services_external-api_security-group'),
      expect.stringContaining('services_internal-api_security-group'),
    ]);
  });

  test('GIVEN the two NLBs WHEN synthesized THEN each lets in only its VPC link, reaches only its own services, and those tasks admit only it', () => {
    const s = stack();
    const groupIn = (reference: unknown) => /services_([a-z-]+)_security-group/.exec(String(reference))?.[1];
    // the load balancers: their own group each, PrivateLink (the VPC links) not held to its ingress rules
    expect(
      ofType(s, 'aws_lb').map((lb) => [
        (lb.security_groups as string[]).map(groupIn),
        lb.enforce_security_group_inbound_rules_on_private_link_traffic,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [['nlb'], 'off'],
        [['internal-nlb'], 'off'],
      ]),
    );
    expect(ofType(s, 'aws_lb')).toHaveLength(2);
    // nothing else gets in: no ingress rule on either NLB group
    expect(named(s, 'aws_vpc_security_group_ingress_rule', 'nlb_security-group')).toEqual([]);
    const egress = (nlb: string) =>
      named(s, 'aws_vpc_security_group_egress_rule', `services_${nlb}_security-group`).map((r) => [
        groupIn(r.referenced_security_group_id),
        r.from_port,
      ]);
    expect(egress('nlb')).toEqual([
      ['external-api', 8080],
      ['web', 8080],
    ]);
    expect(egress('internal-nlb')).toEqual([['internal-api', 8080]]);
    // the tasks: from their NLB's group only, never from an address range
    for (const [service, nlb] of [
      ['web', 'nlb'],
      ['external-api', 'nlb'],
      ['internal-api', 'internal-nlb'],
    ]) {
      const ingress = named(s, 'aws_vpc_security_group_ingress_rule', `services_${service}_security-group`);
      expect([service, ingress.map((r) => [groupIn(r.referenced_security_group_id), r.from_port, r.cidr_ipv4])]).toEqual([
        service,
        [[nlb, 8080, undefined]],
      ]);
    }
    expect(named(s, 'aws_vpc_security_group_ingress_rule', 'services_processor_security-group')).toEqual([]);
  });

  test('GIVEN every work queue WHEN synthesized THEN it redrives to its own DLQ', () => {
    const queues = ofType(stack(), 'aws_sqs_queue').filter((q) => q.redrive_policy !== undefined);
    expect(queues.map((q) => String(q.name).replace(/^payments-[a-z]+(-dr)?-/, '')).sort()).toEqual([
      'ledger-writes',
      'payment-requests',
      'payment-results',
    ]);
  });
});

describe('payments: what differs between environments', () => {
  const natCount = (name: string) => ofType(stackOf(name), 'aws_nat_gateway').length;

  test('GIVEN natGateways single in dev and perAz elsewhere WHEN synthesized THEN dev has 1 NAT, uat 2 and prod 3 per region', () => {
    expect([natCount('payments-dev'), natCount('payments-uat'), natCount('payments-prod'), natCount('payments-prod-eu-central-1')]).toEqual(
      [1, 2, 3, 3],
    );
  });

  test('GIVEN dr only in prod WHEN the app is built THEN only prod has the eu-central-1 copy', () => {
    expect(payments.map((s) => s.name).sort()).toEqual([...STACKS].sort());
    expect(payments.find((s) => s.name === 'payments-prod-eu-central-1')!.region).toBe('eu-central-1');
  });

  test('GIVEN multiAz off in dev WHEN synthesized THEN only dev runs a single-AZ database and a cache without failover', () => {
    const shape = (name: string) => {
      const s = stackOf(name);
      const db = ofType(s, 'aws_db_instance')[0]!;
      const cache = ofType(s, 'aws_elasticache_replication_group')[0]!;
      return [db.multi_az, db.deletion_protection, cache.automatic_failover_enabled, cache.num_cache_clusters];
    };
    expect(shape('payments-dev')).toEqual([false, false, false, 1]);
    expect(shape('payments-uat')).toEqual([true, true, true, 2]);
    expect(shape('payments-prod')).toEqual([true, true, true, 3]);
  });

  test('GIVEN log retention per environment WHEN synthesized THEN every log group keeps logs 7 / 30 / 365 days', () => {
    const retention = (name: string) => [...new Set(ofType(stackOf(name), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days))];
    expect([retention('payments-dev'), retention('payments-uat'), retention('payments-prod')]).toEqual([[7], [30], [365]]);
  });

  test.each(GLOBAL_COMPONENTS)(
    'GIVEN the global %s WHEN synthesized THEN it is in each primary stack and not in the DR stack',
    (_c, types) => {
      for (const type of types) {
        expect(['payments-dev', 'payments-uat', 'payments-prod'].map((n) => ofType(stackOf(n), type).length > 0)).toEqual([
          true,
          true,
          true,
        ]);
        expect([type, ofType(stackOf('payments-prod-eu-central-1'), type).length]).toEqual([type, 0]);
      }
    },
  );

  test.each(ACCOUNT_COMPONENTS)(
    'GIVEN the seed %s WHEN the app is built THEN the account stack of each site holds it and payments does not',
    (_c, types) => {
      const accounts = accountStacks();
      for (const type of types) {
        const primaries = ['account-dev', 'account-uat', 'account-prod'].map((n) => ofType(accounts.get(n)!, type).length);
        expect([type, primaries]).toEqual([type, [1, 1, 1]]);
        expect([type, ofType(accounts.get('account-prod-eu-central-1')!, type).length]).toEqual([type, type === 'aws_cloudtrail' ? 0 : 1]);
        for (const name of STACKS) expect([name, type, ofType(stackOf(name), type).length]).toEqual([name, type, 0]);
      }
    },
  );

  test('GIVEN the DR region WHEN synthesized THEN it finds the zone the primary uses', () => {
    const dr = stackOf('payments-prod-eu-central-1');
    expect(Object.values(dr.data?.aws_route53_zone ?? {})).toEqual([
      expect.objectContaining({ name: 'snake.example.com', private_zone: false }),
    ]);
  });

  test("GIVEN a Shield Advanced subscription in prod's account only WHEN synthesized THEN prod protects the distribution and the zone and uat protects nothing", () => {
    expect(ofType(stackOf('payments-prod'), 'aws_shield_protection')).toHaveLength(2);
    expect(ofType(stackOf('payments-prod-eu-central-1'), 'aws_shield_protection')).toHaveLength(0);
    expect(ofType(stackOf('payments-uat'), 'aws_shield_protection')).toHaveLength(0);
    const prod = envNamed('prod');
    const unsubscribed = { ...prod, accounts: { ...prod.accounts, aws: { ...prod.accounts.aws!, shieldAdvanced: false } } };
    expect(ofType(synthContext(contextFor('prod', {}, unsubscribed)), 'aws_shield_protection')).toHaveLength(0);
  });

  test('GIVEN each environment domain WHEN synthesized THEN the zone and the CloudFront alias use it', () => {
    const zones = ['payments-dev', 'payments-uat', 'payments-prod'].map((n) => dnsOf(stackOf(n)));
    expect(zones.map((z) => [...z.created, ...z.lookedUp])).toEqual([
      ['dev.pay.snake.example.com'],
      ['uat.pay.snake.example.com'],
      ['snake.example.com'],
    ]);
    const aliases = ['payments-dev', 'payments-prod'].map((n) => ofType(stackOf(n), 'aws_cloudfront_distribution')[0]!.aliases);
    expect(aliases).toEqual([['dev.pay.snake.example.com'], ['pay.snake.example.com']]);
  });

  test('GIVEN per-AZ NAT gateways WHEN synthesized THEN the processor egress IPs are an output', () => {
    expect(stackOf('payments-prod').output?.processor_egress_ips?.value).toHaveLength(3);
    for (const ip of stackOf('payments-prod').output?.processor_egress_ips?.value as string[])
      expect(ip).toMatch(/^\$\{aws_eip\.[\w-]+\.public_ip\}$/);
  });
});

describe('payments: DNS zone', () => {
  test('GIVEN prod names an existing zone WHEN synthesized THEN both regions look it up, nothing creates it, and every certificate is validated', () => {
    expect(['payments-prod', 'payments-prod-eu-central-1'].map((n) => dnsOf(stackOf(n)))).toEqual([
      { created: [], lookedUp: ['snake.example.com'], certificates: 3, validations: 3, nameServersOutput: false },
      { created: [], lookedUp: ['snake.example.com'], certificates: 2, validations: 2, nameServersOutput: false },
    ]);
  });

  test('GIVEN dev creates its zone, not yet delegated WHEN synthesized THEN the zone and its name servers output exist and no certificate waits', () => {
    const dev = stackOf('payments-dev');
    expect(dnsOf(dev)).toEqual({
      created: ['dev.pay.snake.example.com'],
      lookedUp: [],
      certificates: 3,
      validations: 0,
      nameServersOutput: true,
    });
    expect(one(dev, 'aws_api_gateway_domain_name').regional_certificate_arn).toMatch(
      /^\$\{aws_acm_certificate\.api_certificate_[0-9A-F]{8}\.arn\}$/,
    );
  });

  test('GIVEN uat creates its zone marked delegated WHEN synthesized THEN both certificates wait to be issued', () => {
    expect(dnsOf(stackOf('payments-uat'))).toMatchObject({
      created: ['uat.pay.snake.example.com'],
      validations: 3,
      nameServersOutput: true,
    });
  });

  test('GIVEN a created zone not yet delegated and a DR copy WHEN the DR copy is synthesized THEN it looks the zone up and does not wait either', () => {
    const context = { ...contextFor('prod', { dns: { zone: { create: 'pay.snake.example.com' } } }), role: 'dr' as const };
    context.region = context.drRegion!;
    const dr = synthContext(context);
    expect(dnsOf(dr)).toEqual({
      created: [],
      lookedUp: ['pay.snake.example.com'],
      certificates: 2,
      validations: 0,
      nameServersOutput: false,
    });
  });

  test.each([
    [
      { domain: 'pay.other.example.com' },
      'domain',
      'must be inside dns.zone (allowed: pay.snake.example.com or a name ending in .pay.snake.example.com)',
    ],
    [
      { dns: { zone: {} } },
      'dns.zone',
      'must name exactly one zone (allowed: existing: <a delegated zone to look up>, create: <a zone the stack creates>)',
    ],
    [
      { dns: { zone: { existing: 'snake.example.com', delegated: true } } },
      'dns.zone.delegated',
      'applies only with create (an existing zone is delegated already)',
    ],
  ])('GIVEN the bad DNS settings %j WHEN parsed THEN zod refuses them at %s', (bad, path, message) => {
    expect(paymentsSettings.safeParse(bad).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, message]]);
  });
});

describe('payments: policy gate', () => {
  const failures = (env: string) => {
    const stacks = payments.filter((s) => s.environment === env).map((s) => ({ name: s.name, environment: env, json: stackOf(s.name) }));
    const report = evaluatePolicy(stacks, { [env]: { level: 'error', waivers: [] } });
    return report.findings.filter((f) => f.verdict === 'fail').map((f) => `${f.rule} ${f.resource.split('.')[0]}`);
  };

  test('GIVEN uat and prod WHEN the policy rules run THEN nothing fails', () => {
    expect([...failures('uat'), ...failures('prod')]).toEqual([]);
  });

  test('GIVEN dev cost savings WHEN the policy rules run THEN only Multi-AZ and deletion protection findings remain', () => {
    expect(failures('dev').sort()).toEqual([
      'CKV2_AWS_50 aws_elasticache_replication_group',
      'CKV_AWS_150 aws_lb',
      'CKV_AWS_150 aws_lb',
      'CKV_AWS_157 aws_db_instance',
      'CKV_AWS_293 aws_db_instance',
    ]);
  });
});

describe('payments: knobs and bad input', () => {
  test('GIVEN engine aurora-postgresql on db.t4g.micro WHEN the stack is built THEN it fails naming the field, the value and the minimum', () => {
    expect(() => synthContext(contextFor('uat', { database: { engine: 'aurora-postgresql', instanceClass: 'db.t4g.micro' } }))).toThrow(
      'environment uat: systems.payments.database.instanceClass must be db.t4g.medium or larger for engine aurora-postgresql (got db.t4g.micro)',
    );
  });

  test('GIVEN engine aurora-postgresql on db.r6g.large WHEN synthesized THEN an Aurora cluster with a reader replaces the instance', () => {
    const s = synthContext(contextFor('uat', { database: { engine: 'aurora-postgresql', instanceClass: 'db.r6g.large' } }));
    expect(ofType(s, 'aws_db_instance')).toHaveLength(0);
    expect(ofType(s, 'aws_rds_cluster')).toHaveLength(1);
    expect(ofType(s, 'aws_rds_cluster_instance')).toHaveLength(2);
  });

  test('GIVEN backups kept under 7 days WHEN the environment file is parsed THEN the knob is rejected naming the minimum', () => {
    const r = paymentsSettings.safeParse({ database: { backupRetentionDays: 3 } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'database.backupRetentionDays: must be at least 7 days (CKV_AWS_133)',
    ]);
  });

  test('GIVEN Aurora on a burstable small class WHEN the stack is built THEN it fails naming the field and the value', () => {
    const build = () => synthContext(contextFor('dev', { database: { engine: 'aurora-postgresql', instanceClass: 'db.t4g.small' } }));
    expect(build).toThrow(/instanceClass must be db\.t4g\.medium or larger for engine aurora-postgresql \(got db\.t4g\.small\)/);
  });

  test('GIVEN an environment without an AWS account WHEN the stack is built THEN it fails naming accounts.aws', () => {
    const env = envNamed('dev');
    const noAccount = { ...env, accounts: {} } as Environment;
    expect(() => synthContext(contextFor('dev', {}, noAccount))).toThrow(
      'environment dev: accounts.aws.accountId is required for the payments system',
    );
  });

  test('GIVEN imageTag latest WHEN the settings are parsed THEN zod refuses it with the allowed shape', () => {
    const result = paymentsSettings.safeParse({ imageTag: 'latest' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['imageTag'], message: 'must be a pinned image tag such as 1.4.2 (not latest)' });
  });

  test('GIVEN imageTag 2.3.1 WHEN synthesized THEN every task runs that tag from its own repository', () => {
    const s = synthContext(contextFor('dev', { imageTag: '2.3.1' }));
    const images = ofType(s, 'aws_ecs_task_definition').map((t) => (JSON.parse(t.container_definitions as string) as Resource[])[0]!.image);
    expect(images).toHaveLength(4);
    for (const image of images)
      expect(image).toMatch(/^\$\{aws_ecr_repository\.services_[a-z-]+-repository_[0-9A-F]+\.repository_url\}:2\.3\.1$/);
  });

  test('GIVEN multiAz with cache.replicas 0 WHEN synthesized THEN the cache still keeps one replica for failover', () => {
    const cache = ofType(
      synthContext(contextFor('dev', { multiAz: true, cache: { replicas: 0 } })),
      'aws_elasticache_replication_group',
    )[0]!;
    expect([cache.num_cache_clusters, cache.automatic_failover_enabled, cache.multi_az_enabled]).toEqual([2, true, true]);
  });

  test('GIVEN apiThrottleRps 5000 WHEN synthesized THEN the stage throttles at 5000 with a 10000 burst', () => {
    const settings = ofType(synthContext(contextFor('dev', { apiThrottleRps: 5000 })), 'aws_api_gateway_method_settings')[0]!.settings;
    expect(settings).toMatchObject({ throttling_rate_limit: 5000, throttling_burst_limit: 10000 });
  });

  test('GIVEN a service with desiredCount 0 WHEN synthesized THEN it is parked at 0-0 tasks', () => {
    const s = synthContext(contextFor('dev', { services: { processor: { desiredCount: 0 } } }));
    const target = named(s, 'aws_appautoscaling_target', 'services_processor')[0]!;
    expect([target.min_capacity, target.max_capacity]).toEqual([0, 0]);
  });

  test.each([
    ['db.t4g.micro', 112],
    ['db.t4g.medium', 450],
    ['db.r6g.large', 1802],
    ['db.r6g.16xlarge', 5000],
  ])('GIVEN instance class %s WHEN estimating max_connections THEN it is %i', (instanceClass, expected) => {
    expect(estimatedMaxConnections(instanceClass)).toBe(expected);
  });
});
