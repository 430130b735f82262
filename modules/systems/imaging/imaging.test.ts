import { Testing } from 'cdktf';
import { imagingSettings } from '../settings.js';
import type { SystemContext } from '../types.js';
import {
  dnsOf,
  envNamed,
  ofType,
  one,
  synthesizeSystem,
  systemContext,
  typeCounts,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { imagingSystem, ImagingStack, replicaBucketName } from './index.js';

interface Synthesized extends SynthesizedStack {
  data?: Record<string, Record<string, Resource>>;
}

const settingsOf = (env: string) => envNamed(env).systems.imaging!;
const { stacks: imaging, stackOf } = synthesizeSystem<Synthesized>(imagingSystem);
const expectTypes = (s: Synthesized, types: string[]) => {
  for (const type of types) expect([type, ofType(s, type).length]).not.toEqual([type, 0]);
};
const DR_STACK = 'imaging-prod-eu-central-1';

const contextFor = (envName: string, overrides: Record<string, unknown>, role: 'primary' | 'dr' = 'primary') =>
  systemContext(imagingSystem, envNamed(envName), overrides, role);
const synthContext = (context: SystemContext<'imaging'>): Synthesized =>
  JSON.parse(Testing.synth(new ImagingStack(Testing.app(), 'imaging-test', context))) as Synthesized;

// Seed 001, solution 1: what every copy of the system has (primary and DR alike).
const SEED_COMPONENTS: [string, string[]][] = [
  [
    'S3: private, SSE, versioning, lifecycle',
    [
      'aws_s3_bucket',
      'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration',
      'aws_s3_bucket_versioning',
      'aws_s3_bucket_lifecycle_configuration',
      'aws_s3_bucket_policy',
    ],
  ],
  ['VPC endpoints (S3 gateway, execute-api)', ['aws_vpc_endpoint']],
  ['application in private subnets', ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_flow_log']],
  ['WAF with rate limiting in front of the load balancer', ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']],
  ['ElastiCache Redis', ['aws_elasticache_replication_group']],
  ['SQS for image requests', ['aws_sqs_queue', 'aws_lambda_event_source_mapping']],
  ['ECS Fargate front end', ['aws_ecs_cluster', 'aws_ecs_service', 'aws_ecs_task_definition', 'aws_appautoscaling_target']],
  ['load balancer (HTTPS)', ['aws_lb', 'aws_lb_listener', 'aws_lb_target_group', 'aws_acm_certificate']],
  ['Lambda REST APIs behind a private API Gateway', ['aws_lambda_function', 'aws_api_gateway_rest_api', 'aws_api_gateway_rest_api_policy']],
  ['API secret key per environment', ['aws_api_gateway_authorizer', 'aws_secretsmanager_secret']],
  [
    'CloudWatch logs, insights and alarms',
    [
      'aws_cloudwatch_log_group',
      'aws_cloudwatch_query_definition',
      'aws_cloudwatch_metric_alarm',
      'aws_cloudwatch_dashboard',
      'aws_sns_topic',
    ],
  ],
];
const IMAGING_STACKS = ['imaging-dev', 'imaging-uat', 'imaging-prod', DR_STACK];

describe.each(IMAGING_STACKS)('%s', (name) => {
  test.each(SEED_COMPONENTS)('GIVEN the %s seed component WHEN the stack is synthesized THEN its resources exist', (_component, types) => {
    expectTypes(stackOf(name), types);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(stackOf(name))).toMatchSnapshot();
  });

  test('GIVEN the image bucket WHEN synthesized THEN noncurrent versions and processed images expire as the environment says', () => {
    const env = name.split('-')[1]!;
    const images = ofType(stackOf(name), 'aws_s3_bucket_lifecycle_configuration').find((l) =>
      JSON.stringify(l.rule).includes('expire-processed-images'),
    )!;
    const rules = images.rule as {
      id: string;
      noncurrent_version_expiration?: { noncurrent_days: number }[];
      expiration?: { days?: number }[];
      filter: { prefix?: string }[];
    }[];
    expect(rules.find((r) => r.id === 'expire-noncurrent-versions')!.noncurrent_version_expiration).toEqual([
      { noncurrent_days: settingsOf(env).imageVersionExpiryDays },
    ]);
    const processed = rules.find((r) => r.id === 'expire-processed-images')!;
    expect(processed).toMatchObject({
      filter: [{ prefix: 'processed/' }],
      expiration: [{ days: settingsOf(env).processedImageExpiryDays }],
    });
  });

  test('GIVEN the image bucket policy WHEN synthesized THEN the application roles may touch objects only through the S3 gateway endpoint', () => {
    const policies = ofType(stackOf(name), 'aws_s3_bucket_policy').map((p) => JSON.parse(p.policy as string) as { Statement: Resource[] });
    const statement = policies.flatMap((p) => p.Statement).find((st) => st.Sid === 'ApplicationOnlyThroughVpcEndpoint')!;
    expect(statement).toMatchObject({ Effect: 'Deny', Action: ['s3:GetObject', 's3:PutObject'] });
    const condition = statement.Condition as { StringNotEquals: Record<string, string[]>; ArnEquals: Record<string, string[]> };
    expect(condition.StringNotEquals['aws:SourceVpce']![0]).toMatch(/^\$\{aws_vpc_endpoint\.vpc_endpoints_gateway-s3_/);
    expect(condition.ArnEquals['aws:PrincipalArn']).toHaveLength(3);
  });

  test('GIVEN image requests WHEN synthesized THEN they queue on a FIFO queue with content-based de-duplication and a DLQ', () => {
    const requests = ofType(stackOf(name), 'aws_sqs_queue').filter((q) => String(q.name).includes('image-requests'));
    expect(requests.map((q) => [q.name, q.fifo_queue, q.content_based_deduplication])).toEqual([
      [expect.stringMatching(/-image-requests-dlq\.fifo$/), true, true],
      [expect.stringMatching(/-image-requests\.fifo$/), true, true],
    ]);
  });

  test('GIVEN the REST APIs WHEN synthesized THEN the API is PRIVATE to the execute-api endpoint and every method needs the API key authorizer', () => {
    const api = one(stackOf(name), 'aws_api_gateway_rest_api');
    expect(api.endpoint_configuration).toEqual({
      types: ['PRIVATE'],
      vpc_endpoint_ids: [expect.stringMatching(/^\$\{aws_vpc_endpoint\.vpc_endpoints_interface-execute-api_/)],
    });
    for (const method of ofType(stackOf(name), 'aws_api_gateway_method')) expect(method.authorization).toBe('CUSTOM');
  });

  test('GIVEN the WAF web ACLs WHEN synthesized THEN each blocks an IP above rateLimitPer5Min requests per 5 minutes', () => {
    const limit = settingsOf(name.split('-')[1]!).rateLimitPer5Min;
    for (const acl of ofType(stackOf(name), 'aws_wafv2_web_acl')) {
      const rule = (acl.rule as { name: string; statement: Record<string, Record<string, unknown>> }[]).find(
        (r) => r.name === 'rate-limit-per-ip',
      )!;
      expect(rule.statement.rate_based_statement).toMatchObject({ limit, evaluation_window_sec: 300 });
    }
  });

  test("GIVEN the environment's retention WHEN synthesized THEN every log group keeps logs that long", () => {
    const days = settingsOf(name.split('-')[1]!).logRetentionDays;
    expect(new Set(ofType(stackOf(name), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days))).toEqual(new Set([days]));
  });
});

describe('imaging differences between environments', () => {
  test('GIVEN cdn false in dev WHEN synthesized THEN only the uat and prod primaries have CloudFront with origin access control, and the DR copy has none', () => {
    const distributions = (name: string) => ofType(stackOf(name), 'aws_cloudfront_distribution').length;
    expect(IMAGING_STACKS.map((n) => [n, distributions(n)])).toEqual([
      ['imaging-dev', 0],
      ['imaging-uat', 1],
      ['imaging-prod', 1],
      [DR_STACK, 0],
    ]);
    const origin = (one(stackOf('imaging-prod'), 'aws_cloudfront_distribution').origin as Resource[])[0]!;
    expect(origin.origin_access_control_id).toMatch(/aws_cloudfront_origin_access_control/);
    const cloudFrontAcl = ofType(stackOf('imaging-prod'), 'aws_wafv2_web_acl').find((a) => a.scope === 'CLOUDFRONT')!;
    expect(cloudFrontAcl.provider).toBe('aws.us-east-1');
  });

  test('GIVEN the frontend knobs WHEN synthesized THEN dev runs 0 tasks (turned off), uat 1, prod 2 and the DR copy 0', () => {
    const desired = (name: string) => one(stackOf(name), 'aws_ecs_service').desired_count;
    expect(IMAGING_STACKS.map((n) => [n, desired(n)])).toEqual([
      ['imaging-dev', 0],
      ['imaging-uat', 1],
      ['imaging-prod', 2],
      [DR_STACK, 0],
    ]);
    expect(one(stackOf(DR_STACK), 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 0, max_capacity: 0 });
  });

  test('GIVEN natGateways WHEN synthesized THEN dev has 1 NAT gateway and prod one per AZ', () => {
    expect(ofType(stackOf('imaging-dev'), 'aws_nat_gateway')).toHaveLength(1);
    expect(ofType(stackOf('imaging-prod'), 'aws_nat_gateway')).toHaveLength(settingsOf('prod').azCount);
  });

  test('GIVEN multiAz WHEN synthesized THEN dev Redis is a single node and uat/prod fail over automatically across AZs', () => {
    const redis = (name: string) => one(stackOf(name), 'aws_elasticache_replication_group');
    expect(redis('imaging-dev')).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false, multi_az_enabled: false });
    for (const name of ['imaging-uat', 'imaging-prod', DR_STACK]) {
      expect(redis(name)).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true });
    }
  });

  test('GIVEN dr in prod only WHEN the app is built THEN prod alone has the DR copy, in its DR region', () => {
    expect(imaging.map((s) => [s.name, s.region])).toEqual([
      ['imaging-dev', 'eu-west-1'],
      ['imaging-prod', 'eu-west-1'],
      [DR_STACK, 'eu-central-1'],
      ['imaging-uat', 'eu-west-1'],
    ]);
  });

  test('GIVEN the prod primary WHEN synthesized THEN it replicates images to the bucket the DR stack creates, by its deterministic name', () => {
    const drBucketName = replicaBucketName('prod', 'eu-central-1', '333333333333');
    const drBuckets = ofType(stackOf(DR_STACK), 'aws_s3_bucket').filter((b) => b.bucket === drBucketName);
    expect(drBuckets).toHaveLength(1);
    expect(drBuckets[0]!.bucket_prefix).toBeUndefined();
    const destinations = ofType(stackOf('imaging-prod'), 'aws_s3_bucket_replication_configuration').map(
      (r) => ((r.rule as Resource[])[0]!.destination as Resource).bucket,
    );
    expect(destinations.filter((d) => String(d).endsWith(`:s3:::${drBucketName}`))).toHaveLength(1);
    for (const name of ['imaging-dev', 'imaging-uat', DR_STACK]) {
      expect([name, ofType(stackOf(name), 'aws_s3_bucket_replication_configuration').length]).toEqual([name, 0]);
    }
  });

  test('GIVEN globalAccelerator in prod WHEN synthesized THEN the accelerator fronts both ALBs and finds the DR ALB by the name the DR stack gives it', () => {
    const groups = ofType(stackOf('imaging-prod'), 'aws_globalaccelerator_endpoint_group');
    expect(groups.map((g) => [g.endpoint_group_region, g.traffic_dial_percentage])).toEqual([
      ['eu-central-1', 100],
      ['eu-west-1', 100],
    ]);
    const lookup = Object.values(stackOf('imaging-prod').data!.aws_lb!)[0]!;
    expect(lookup).toMatchObject({ provider: 'aws.dr', name: one(stackOf(DR_STACK), 'aws_lb').name });
    const alias = ofType(stackOf('imaging-prod'), 'aws_route53_record').find((r) => r.name === settingsOf('prod').domain)!;
    expect((alias.alias as Resource).name).toMatch(/aws_globalaccelerator_accelerator/);
    for (const name of ['imaging-dev', DR_STACK]) expect(ofType(stackOf(name), 'aws_globalaccelerator_accelerator')).toHaveLength(0);
    // uat is like production: its accelerator has the one region uat runs in.
    const uatGroups = ofType(stackOf('imaging-uat'), 'aws_globalaccelerator_endpoint_group').map((g) => g.endpoint_group_region);
    expect(uatGroups).toEqual(['eu-west-1']);
  });

  test('GIVEN the front-end image WHEN synthesized THEN the primary owns the ECR repository and replicates it to the DR region, where the DR task pulls it', () => {
    const replication = one(stackOf('imaging-prod'), 'aws_ecr_replication_configuration');
    expect(JSON.stringify(replication)).toContain('"region":"eu-central-1"');
    expect(ofType(stackOf(DR_STACK), 'aws_ecr_repository')).toHaveLength(0);
    const [container] = JSON.parse(one(stackOf(DR_STACK), 'aws_ecs_task_definition').container_definitions as string) as {
      image: string;
    }[];
    expect(container!.image).toBe(
      `333333333333.dkr.ecr.eu-central-1.amazonaws.com/imaging/frontend:${settingsOf('prod').frontendImageTag}`,
    );
    expect(ofType(stackOf('imaging-uat'), 'aws_ecr_replication_configuration')).toHaveLength(0);
  });

  test('GIVEN deletionProtection false in dev WHEN synthesized THEN the dev load balancer can be deleted and prod cannot', () => {
    expect(one(stackOf('imaging-dev'), 'aws_lb').enable_deletion_protection).toBe(false);
    expect(one(stackOf('imaging-prod'), 'aws_lb').enable_deletion_protection).toBe(true);
  });
});

describe('imaging DNS zone', () => {
  test('GIVEN every imaging stack WHEN synthesized THEN any zone it looks up is one its environment file names as existing, and otherwise it creates the zone', () => {
    for (const s of imaging) {
      const zone = settingsOf(s.environment).dns.zone;
      const dns = dnsOf(stackOf(s.name));
      const expected = zone.existing
        ? { created: [], lookedUp: [zone.existing] }
        : { created: s.name === DR_STACK ? [] : [zone.create], lookedUp: [] };
      expect([s.name, { created: dns.created, lookedUp: dns.lookedUp }]).toEqual([s.name, expected]);
    }
  });

  test('GIVEN dev creates its zone, not yet delegated WHEN synthesized THEN its name servers are output and no certificate waits', () => {
    expect(dnsOf(stackOf('imaging-dev'))).toEqual({
      created: ['dev.catandhat.example.com'],
      lookedUp: [],
      certificates: 1,
      validations: 0,
      nameServersOutput: true,
    });
  });

  test('GIVEN prod and its DR copy name an existing zone WHEN synthesized THEN both look it up and every certificate (load balancer, CloudFront) is validated', () => {
    expect([dnsOf(stackOf('imaging-prod')), dnsOf(stackOf(DR_STACK))]).toEqual([
      { created: [], lookedUp: ['catandhat.example.com'], certificates: 2, validations: 2, nameServersOutput: false },
      { created: [], lookedUp: ['catandhat.example.com'], certificates: 1, validations: 1, nameServersOutput: false },
    ]);
  });

  test('GIVEN a created zone with cdn on, not yet delegated WHEN synthesized THEN neither the load balancer nor the CloudFront certificate waits', () => {
    const synth = synthContext(contextFor('dev', { cdn: true }));
    expect(dnsOf(synth)).toMatchObject({ certificates: 2, validations: 0 });
    expect(one(synth, 'aws_cloudfront_distribution').viewer_certificate).toMatchObject({
      acm_certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate\.cdn_certificate_[0-9A-F]{8}\.arn\}$/),
    });
  });
});

describe('imaging knobs', () => {
  test('GIVEN cache replicas 2 without multiAz WHEN synthesized THEN Redis has 3 nodes', () => {
    const out = synthContext(contextFor('dev', { cache: { replicas: 2 } }));
    expect(one(out, 'aws_elasticache_replication_group')).toMatchObject({ num_cache_clusters: 3, automatic_failover_enabled: true });
  });

  test('GIVEN cdn true and globalAccelerator true in dev (no DR region) WHEN synthesized THEN the accelerator has the primary endpoint group only', () => {
    const out = synthContext(contextFor('dev', { cdn: true, globalAccelerator: true }));
    expect(ofType(out, 'aws_cloudfront_distribution')).toHaveLength(1);
    expect(ofType(out, 'aws_globalaccelerator_endpoint_group').map((g) => g.endpoint_group_region)).toEqual(['eu-west-1']);
    expect(out.data?.aws_lb).toBeUndefined();
  });

  test('GIVEN a failover (drFrontendDesiredCount 2) WHEN the DR copy is synthesized THEN it runs 2 tasks and the primary is unchanged', () => {
    const dr = synthContext(contextFor('prod', { drFrontendDesiredCount: 2 }, 'dr'));
    expect(one(dr, 'aws_ecs_service').desired_count).toBe(2);
    expect(one(dr, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 2, max_capacity: settingsOf('prod').frontend.maxCount });
    const primary = synthContext(contextFor('prod', { drFrontendDesiredCount: 2 }));
    expect(one(primary, 'aws_ecs_service').desired_count).toBe(settingsOf('prod').frontend.desiredCount);
  });

  test('GIVEN a desiredCount above maxCount WHEN the stack is built THEN it fails naming the counts', () => {
    expect(() => synthContext(contextFor('uat', { frontend: { desiredCount: 3, maxCount: 2 } }))).toThrow(
      'counts must satisfy minCount <= desiredCount <= maxCount (got 3 <= 3 <= 2)',
    );
  });

  test.each([
    [{ frontendImageTag: 'latest' }, 'frontendImageTag', 'must be an image tag such as 1.4.2 (not latest)'],
    [{ domain: 'not a name' }, 'domain', 'must be a DNS name such as www.catandhat.example.com'],
    [{ dns: { zone: { create: 'Example.COM' } } }, 'dns.zone.create', 'must be a DNS name such as example.com'],
    [
      { dns: { zone: { existing: 'a.example.com', create: 'b.example.com' } } },
      'dns.zone',
      'must name exactly one zone (allowed: existing:',
    ],
    [
      { cdnDomain: 'images.other.example.com' },
      'cdnDomain',
      'must be inside dns.zone (allowed: catandhat.example.com or a name ending in .catandhat.example.com)',
    ],
    [
      { dr: true },
      'dns.zone.create',
      'cannot be used with dr: true: the DR copy applies first and looks the zone up (allowed: dns.zone.existing)',
    ],
    [{ rateLimitPer5Min: 50 }, 'rateLimitPer5Min', ''],
    [{ imageVersionExpiryDays: 0 }, 'imageVersionExpiryDays', ''],
    [{ processedImageExpiryDays: 4000 }, 'processedImageExpiryDays', ''],
    [{ cache: { nodeType: 't3.micro' } }, 'cache.nodeType', 'must be an ElastiCache node type such as cache.t4g.micro'],
    [{ drFrontendDesiredCount: -1 }, 'drFrontendDesiredCount', ''],
    [{ cdnEnabled: true }, '', ''],
  ])('GIVEN the bad knob %j WHEN the settings are parsed THEN they are rejected at %s', (bad, path, message) => {
    const result = imagingSettings.safeParse(bad);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(message);
  });
});
