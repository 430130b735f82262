import { Testing } from 'cdktf';
import { carveCidr } from '../../../environments/app.js';
import type { Environment } from '../../../environments/schema.js';
import { evaluatePolicy } from '../../policy/engine.js';
import { agriSettings } from '../settings.js';
import type { SystemContext } from '../types.js';
import {
  dnsOf,
  envNamed,
  named,
  ofType,
  synthesizeSystem,
  typeCounts,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { agriSystem, AgriStack } from './index.js';

interface Synthesized extends SynthesizedStack {
  output?: Record<string, { value: unknown }>;
  data?: Record<string, Record<string, Resource>>;
}

const { stacks: agri, stackOf } = synthesizeSystem<Synthesized>(agriSystem);

function contextFor(envName: string, overrides: Record<string, unknown> = {}, environment?: Environment): SystemContext<'agri'> {
  const env = environment ?? envNamed(envName);
  return {
    environment: env,
    settings: agriSettings.parse({ ...env.systems.agri, ...overrides }),
    region: env.regions.primary,
    role: 'primary',
    primaryRegion: env.regions.primary,
    drRegion: env.regions.dr,
    cidr: carveCidr(env.regions.primary.cidr, 20, agriSystem.cidrIndex),
    tags: { ...env.tags, system: 'agri' },
  };
}
const synthContext = (context: SystemContext<'agri'>): Synthesized =>
  JSON.parse(Testing.synth(new AgriStack(Testing.app(), 'agri-test', context))) as Synthesized;

// Seed 002, "cloud" deployment: its components and what implements them.
const CLOUD_COMPONENTS: [string, string[]][] = [
  ['VPC with private subnets', ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_flow_log']],
  ['ECS cluster with FE, BE and ML task definitions and services', ['aws_ecs_cluster', 'aws_ecs_task_definition', 'aws_ecs_service']],
  ['ECR to store container images', ['aws_ecr_repository', 'aws_ecr_lifecycle_policy']],
  ['load balancers between tiers', ['aws_lb', 'aws_lb_listener', 'aws_lb_target_group']],
  ['auto scaling per service', ['aws_appautoscaling_target', 'aws_appautoscaling_policy']],
  ['security groups and network ACLs', ['aws_security_group', 'aws_network_acl']],
  ['RDS PostgreSQL', ['aws_db_instance', 'aws_db_subnet_group']],
  ['object storage for the on-premise archive', ['aws_s3_bucket']],
  // The zone itself is created or looked up, as the environment file says (see "agri: DNS zone").
  ['TLS certificate and DNS', ['aws_acm_certificate', 'aws_route53_record']],
  ['WAF on the public load balancer', ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']],
  ['CloudWatch logs, alarms and dashboard', ['aws_cloudwatch_log_group', 'aws_cloudwatch_metric_alarm', 'aws_cloudwatch_dashboard']],
];
// Seed 002, "hybrid" deployment (prod).
const HYBRID_COMPONENTS: [string, string[]][] = [
  ['site-to-site VPN to the farm', ['aws_customer_gateway', 'aws_vpn_gateway', 'aws_vpn_connection']],
  ['Route 53 health check of the on-premise deployment', ['aws_route53_health_check']],
  ['data synchronisation between the farm and the cloud database (DMS)', ['aws_dms_replication_instance', 'aws_dms_replication_task']],
];
const STACKS = ['agri-dev', 'agri-uat', 'agri-prod'];
const tierName = (service: Resource) => String(service.name).replace(/^agri-[a-z]+-/, '');

describe.each(STACKS)('agri stack %s', (name) => {
  const stack = () => stackOf(name);

  test.each(CLOUD_COMPONENTS)('GIVEN the %s seed component WHEN synthesized THEN its resources exist', (_component, types) => {
    for (const type of types) expect([type, ofType(stack(), type).length]).not.toEqual([type, 0]);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(stack())).toMatchSnapshot();
  });

  test('GIVEN three tiers WHEN synthesized THEN each has its own task definition, repository, target group and scaling target', () => {
    expect(ofType(stack(), 'aws_ecs_service').map(tierName).sort()).toEqual(['backend', 'frontend', 'ml']);
    expect(
      ofType(stack(), 'aws_ecs_task_definition')
        .map((t) => String(t.family).replace(/^agri-[a-z]+-/, ''))
        .sort(),
    ).toEqual(['backend', 'frontend', 'ml']);
    expect(
      ofType(stack(), 'aws_ecr_repository')
        .map((r) => String(r.name).split('/')[1])
        .sort(),
    ).toEqual(['backend', 'frontend', 'ml']);
    expect(ofType(stack(), 'aws_ecs_service').every((s) => Array.isArray(s.load_balancer))).toBe(true);
    expect(ofType(stack(), 'aws_appautoscaling_target')).toHaveLength(3);
  });

  test('GIVEN the tiers WHEN synthesized THEN only the FE load balancer faces the internet and each internal one admits the tier in front', () => {
    const lbs = Object.fromEntries(
      Object.entries(stackOf(name).resource.aws_lb!).map(([id, lb]) => [id.replace(/^tiers_|-alb_.*$/g, ''), lb.internal]),
    );
    expect(lbs).toEqual({ frontend: false, backend: true, ml: true });
    const from = (alb: string) =>
      named(stack(), 'aws_vpc_security_group_ingress_rule', `tiers_${alb}-alb_security-group_ingress-https-`).map(
        (r) => r.cidr_ipv4 ?? String(r.referenced_security_group_id).replace(/^.*security_group\.tiers_|_security-group.*$/g, ''),
      );
    expect(from('frontend')).toEqual(['0.0.0.0/0']);
    expect(from('backend')).toContain('frontend');
    expect(from('ml')).toEqual(['backend']);
  });

  test('GIVEN the database WHEN synthesized THEN only the back end (and DMS where the farm replicates) reaches port 5432, and only the BE may sign in with IAM', () => {
    const rules = named(stack(), 'aws_vpc_security_group_ingress_rule', 'database_security-group_from-');
    expect(rules.map((r) => [r.from_port, String(r.referenced_security_group_id)])).toEqual([
      [5432, expect.stringContaining('tiers_backend_security-group')],
      ...(name === 'agri-prod' ? [[5432, expect.stringContaining('farm-sync_security-group')]] : []),
    ]);
    const connect = ofType(stack(), 'aws_iam_role_policy').filter((p) => String(p.policy).includes('rds-db:connect'));
    expect(connect).toHaveLength(1);
    expect(String(connect[0]!.role)).toContain('tiers_backend_task-role');
  });
});

describe('agri: what differs between environments', () => {
  test('GIVEN natGateways single in dev and perAz in uat and prod WHEN synthesized THEN dev has 1 NAT gateway, the others one per AZ', () => {
    expect(STACKS.map((n) => ofType(stackOf(n), 'aws_nat_gateway').length)).toEqual([1, 2, 2]);
  });

  test('GIVEN dev parks every tier WHEN synthesized THEN dev scales 0-0 and prod 2-4 per tier', () => {
    const ranges = (n: string) => ofType(stackOf(n), 'aws_appautoscaling_target').map((t) => [t.min_capacity, t.max_capacity]);
    expect(ranges('agri-dev')).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(ranges('agri-prod')).toEqual([
      [2, 4],
      [2, 4],
      [2, 4],
    ]);
  });

  test('GIVEN multiAz off only in dev WHEN synthesized THEN only dev runs a single-AZ database without deletion protection', () => {
    const db = (n: string) => {
      const instance = ofType(stackOf(n), 'aws_db_instance')[0]!;
      return [instance.multi_az, instance.deletion_protection, instance.backup_retention_period];
    };
    expect(STACKS.map(db)).toEqual([
      [false, false, 7],
      [true, true, 7],
      [true, true, 14],
    ]);
  });

  test.each(HYBRID_COMPONENTS)('GIVEN hybrid only in prod WHEN synthesized THEN the %s exists in prod alone', (_c, types) => {
    for (const type of types) expect([type, STACKS.map((n) => ofType(stackOf(n), type).length)]).toEqual([type, [0, 0, 1]]);
  });

  test('GIVEN hybrid prod WHEN synthesized THEN the farm is the failover primary behind an HTTPS health check and the ALB the secondary', () => {
    const prod = stackOf('agri-prod');
    const primary = named(prod, 'aws_route53_record', 'entry_failover_primary')[0]!;
    const secondary = named(prod, 'aws_route53_record', 'entry_failover_secondary')[0]!;
    expect(primary).toMatchObject({
      name: 'app.unicorn.example.com',
      type: 'A',
      records: ['198.51.100.21'],
      failover_routing_policy: { type: 'PRIMARY' },
    });
    expect(secondary).toMatchObject({ failover_routing_policy: { type: 'SECONDARY' }, alias: { evaluate_target_health: true } });
    expect(String((secondary.alias as Resource).name)).toContain('tiers_frontend-alb');
    expect(ofType(prod, 'aws_route53_health_check')[0]).toMatchObject({
      type: 'HTTPS',
      port: 443,
      resource_path: '/health',
      ip_address: '198.51.100.21',
    });
  });

  test('GIVEN the farm VPN WHEN synthesized THEN the farm CIDR reaches the back end load balancer over the private NACL and routes propagate', () => {
    const prod = stackOf('agri-prod');
    expect(named(prod, 'aws_vpc_security_group_ingress_rule', 'backend-alb_security-group_ingress-https-farm')[0]).toMatchObject({
      cidr_ipv4: '192.168.0.0/16',
      from_port: 443,
    });
    const privateAcl = named(prod, 'aws_network_acl', 'network-acls_private')[0]!;
    expect((privateAcl.ingress as Resource[]).some((r) => r.cidr_block === '192.168.0.0/16')).toBe(true);
    expect(ofType(prod, 'aws_vpn_gateway_route_propagation')).toHaveLength(2);
    expect(prod.output?.farm_vpn_tunnel_addresses).toBeDefined();
  });

  test('GIVEN no hybrid in dev and uat WHEN synthesized THEN the domain is a plain alias to the public load balancer', () => {
    for (const n of ['agri-dev', 'agri-uat']) {
      const alias = named(stackOf(n), 'aws_route53_record', 'entry_alias')[0]!;
      expect([n, alias.failover_routing_policy, String((alias.alias as Resource).name)]).toEqual([
        n,
        undefined,
        expect.stringContaining('frontend-alb'),
      ]);
    }
  });

  test('GIVEN each environment domain WHEN synthesized THEN the zone, certificate and internal host names use it', () => {
    const names = (n: string) => {
      const s = stackOf(n);
      const zone = dnsOf(s);
      return [[...zone.created, ...zone.lookedUp], ofType(s, 'aws_acm_certificate')[0]!.subject_alternative_names];
    };
    expect(STACKS.map(names)).toEqual([
      [['app.dev.unicorn.example.com'], ['*.app.dev.unicorn.example.com']],
      [['app.uat.unicorn.example.com'], ['*.app.uat.unicorn.example.com']],
      [['unicorn.example.com'], ['*.app.unicorn.example.com']],
    ]);
    const backendEnv = JSON.parse(
      String(named(stackOf('agri-prod'), 'aws_ecs_task_definition', 'tiers_frontend_task')[0]!.container_definitions),
    ) as {
      environment: { name: string; value: string }[];
    }[];
    expect(backendEnv[0]!.environment).toContainEqual({ name: 'API_URL', value: 'https://backend.app.unicorn.example.com' });
  });
});

describe('agri: DNS zone', () => {
  test('GIVEN prod names an existing zone WHEN synthesized THEN it is looked up, nothing creates a zone, and the certificate is validated in the same apply', () => {
    expect(dnsOf(stackOf('agri-prod'))).toEqual({
      created: [],
      lookedUp: ['unicorn.example.com'],
      certificates: 1,
      validations: 1,
      nameServersOutput: false,
    });
  });

  test('GIVEN dev creates its zone, not yet delegated WHEN synthesized THEN the zone and its name servers output exist and nothing waits for validation', () => {
    const dev = stackOf('agri-dev');
    expect(dnsOf(dev)).toEqual({
      created: ['app.dev.unicorn.example.com'],
      lookedUp: [],
      certificates: 1,
      validations: 0,
      nameServersOutput: true,
    });
    expect(ofType(dev, 'aws_route53_record').map((r) => r.zone_id)).toContain('${aws_route53_zone.zone.zone_id}');
    const https = ofType(dev, 'aws_lb_listener').filter((l) => l.certificate_arn !== undefined);
    // The three tiers' HTTPS listeners take the pending certificate as it is: nothing waits for it.
    expect(https.map((l) => l.certificate_arn)).toEqual(
      Array(3).fill(expect.stringMatching(/^\$\{aws_acm_certificate\.certificate_[0-9A-F]{8}\.arn\}$/)),
    );
  });

  test('GIVEN a created zone marked delegated WHEN synthesized THEN the certificate waits to be issued', () => {
    const synth = synthContext(contextFor('dev', { dns: { zone: { create: 'app.dev.unicorn.example.com', delegated: true } } }));
    expect(dnsOf(synth)).toMatchObject({ created: ['app.dev.unicorn.example.com'], validations: 1, nameServersOutput: true });
  });

  test('GIVEN a domain outside the zone WHEN the settings are parsed THEN zod refuses it at domain naming the zone', () => {
    const result = agriSettings.safeParse({ domain: 'app.other.example.com', dns: { zone: { existing: 'unicorn.example.com' } } });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['domain', 'must be inside dns.zone (allowed: unicorn.example.com or a name ending in .unicorn.example.com)'],
    ]);
  });
});

describe('agri: policy gate', () => {
  const failures = (env: string) => {
    const stacks = agri.filter((s) => s.environment === env).map((s) => ({ name: s.name, environment: env, json: stackOf(s.name) }));
    return evaluatePolicy(stacks, { [env]: { level: 'error', waivers: [] } })
      .findings.filter((f) => f.verdict === 'fail')
      .map((f) => `${f.rule} ${f.resource.split('.')[0]}`);
  };

  test('GIVEN uat and prod WHEN the policy rules run THEN nothing fails', () => {
    expect([...failures('uat'), ...failures('prod')]).toEqual([]);
  });

  test('GIVEN dev cost savings WHEN the policy rules run THEN only Multi-AZ and deletion protection findings remain', () => {
    expect(failures('dev').sort()).toEqual([
      'CKV_AWS_150 aws_lb',
      'CKV_AWS_150 aws_lb',
      'CKV_AWS_150 aws_lb',
      'CKV_AWS_157 aws_db_instance',
      'CKV_AWS_293 aws_db_instance',
    ]);
  });
});

describe('agri: knobs and bad input', () => {
  test('GIVEN dr true WHEN the stack is built THEN it fails saying the seed has no DR copy', () => {
    expect(() => synthContext(contextFor('prod', { dr: true }))).toThrow(
      "environment prod: systems.agri.dr must be false: seed 002 defines no DR copy (the farm's own deployment is the fallback) (got true)",
    );
  });

  test('GIVEN engine aurora-postgresql on db.t4g.micro WHEN the stack is built THEN it fails naming the field and the value', () => {
    expect(() => synthContext(contextFor('uat', { database: { engine: 'aurora-postgresql', instanceClass: 'db.t4g.micro' } }))).toThrow(
      'environment uat: systems.agri.database.instanceClass must be db.t4g.medium or larger for engine aurora-postgresql (got db.t4g.micro)',
    );
  });

  test('GIVEN dr on and Aurora on a micro class WHEN the stack is built THEN one error lists both', () => {
    expect(() =>
      synthContext(contextFor('dev', { dr: true, database: { engine: 'aurora-postgresql', instanceClass: 'db.t4g.micro' } })),
    ).toThrow(
      /systems\.agri\.dr must be false.*; .*systems\.agri\.database\.instanceClass must be db\.t4g\.medium or larger .*\(got db\.t4g\.micro\)/,
    );
  });

  test('GIVEN hybrid with farm mode https WHEN synthesized THEN DNS fails over to the farm but no VPN is built and the BE admits only the FE', () => {
    const s = synthContext(contextFor('prod', { farm: { mode: 'https' }, dataSync: { enabled: false } }));
    expect(ofType(s, 'aws_vpn_connection')).toHaveLength(0);
    expect(ofType(s, 'aws_route53_health_check')).toHaveLength(1);
    expect(named(s, 'aws_vpc_security_group_ingress_rule', 'backend-alb_security-group_ingress-https-farm')).toHaveLength(0);
  });

  test('GIVEN two farm app IPs WHEN synthesized THEN each is checked and a calculated check keeps the farm primary while one answers', () => {
    const checks = ofType(synthContext(contextFor('prod', { farmAppIps: ['198.51.100.21', '198.51.100.22'] })), 'aws_route53_health_check');
    expect(checks.map((c) => c.type).sort()).toEqual(['CALCULATED', 'HTTPS', 'HTTPS']);
  });

  test('GIVEN a farm app IP that is not an address WHEN the settings are parsed THEN zod refuses it at farmAppIps', () => {
    const result = agriSettings.safeParse({ farmAppIps: ['farm.example.com'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['farmAppIps', 0]);
  });

  test('GIVEN an environment without an AWS account WHEN the stack is built THEN it fails naming accounts.aws', () => {
    const noAccount = { ...envNamed('dev'), accounts: {} } as Environment;
    expect(() => synthContext(contextFor('dev', {}, noAccount))).toThrow(
      'environment dev: accounts.aws.accountId is required for the agri system',
    );
  });

  test('GIVEN a backend maxCount below its desiredCount WHEN the stack is built THEN FargateService names the counts', () => {
    expect(() => synthContext(contextFor('dev', { backend: { desiredCount: 3, maxCount: 2 } }))).toThrow(
      /FargateService agri-test\/tiers\/backend: counts must satisfy minCount <= desiredCount <= maxCount \(got 3 <= 3 <= 2\)/,
    );
  });
});
