// The seed's AWS delivery and DR data parts of commerce, synthesized as the app builds them: CloudFront
// in front of both buckets, the Redis session store and who may reach it, the buckets' replication to DR.
import { Testing } from 'cdktf';
import { commerceSettings } from '../settings.js';
import {
  envNamed,
  ofType,
  one as only,
  synthesizeSystem,
  systemContext,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { errorOf } from '../../../test/error-of.js';
import { commerceBucketName } from './aws-replication.js';
import { CHANGE_CAPTURE, commerceSystem, CommerceStack } from './index.js';

interface Synthesized extends SynthesizedStack {
  data?: Record<string, Record<string, Resource>>;
  output?: Record<string, Resource>;
}

const { stackOf } = synthesizeSystem<Synthesized>(commerceSystem);
const prod = () => stackOf('commerce-prod');
const dr = () => stackOf('commerce-prod-eu-central-1');
const account = envNamed('prod').accounts.aws!.accountId;

/** `${type.<id>.<attribute>}` of the resource of `type` whose logical id starts with `idPrefix`. */
const ref = (s: Synthesized, type: string, idPrefix: string, attribute: string): string => {
  const ids = Object.keys(s.resource[type] ?? {}).filter((id) => id.startsWith(idPrefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${idPrefix}*, found ${ids.length}`);
  return `\${${type}.${ids[0]}.${attribute}}`;
};
const byId = (s: Synthesized, type: string, idPrefix: string): Resource =>
  Object.entries(s.resource[type] ?? {}).find(([id]) => id.startsWith(idPrefix))![1];
const fn = (s: Synthesized, name: string) => ofType(s, 'aws_lambda_function').find((f) => f.function_name === name)!;
const env = (f: Resource) => (f.environment as { variables: Record<string, string> }).variables;

describe('commerce CloudFront in front of the buckets', () => {
  test('GIVEN the prod primary WHEN synthesized THEN each seed bucket is served by its own distribution through origin access control', () => {
    const s = prod();
    for (const [bucket, alias] of [
      ['static-assets', 'shop.commerce.example.com'],
      ['product-images', 'images.shop.commerce.example.com'],
    ] as const) {
      const distribution = byId(s, 'aws_cloudfront_distribution', `commerce-aws_edge_${bucket}_`);
      expect(distribution).toMatchObject({
        aliases: [alias],
        origin: [
          {
            domain_name: ref(s, 'aws_s3_bucket', `commerce-aws_data_${bucket}_`, 'bucket_regional_domain_name'),
            origin_access_control_id: ref(s, 'aws_cloudfront_origin_access_control', `commerce-aws_edge_${bucket}_`, 'id'),
          },
        ],
        default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
        viewer_certificate: { minimum_protocol_version: 'TLSv1.2_2021', ssl_support_method: 'sni-only' },
      });
      // Only this distribution may read the private bucket.
      const policy = JSON.parse(byId(s, 'aws_s3_bucket_policy', `commerce-aws_data_${bucket}_`).policy as string) as {
        Statement: { Sid: string; Principal: unknown; Condition?: unknown }[];
      };
      expect(policy.Statement.find((st) => st.Sid === 'AllowCloudFrontOriginAccessControl')).toMatchObject({
        Principal: { Service: ['cloudfront.amazonaws.com'] },
        Condition: { StringEquals: { 'AWS:SourceArn': [ref(s, 'aws_cloudfront_distribution', `commerce-aws_edge_${bucket}_`, 'arn')] } },
      });
    }
  });

  test("GIVEN the two distributions WHEN synthesized THEN they share one CLOUDFRONT web ACL and one log bucket, the stack outputs both domains, and the DR copy has none (the primary's serve)", () => {
    const s = prod();
    const distributions = ofType(s, 'aws_cloudfront_distribution');
    const cloudfrontAcl = ofType(s, 'aws_wafv2_web_acl').filter((acl) => acl.scope === 'CLOUDFRONT');
    expect(cloudfrontAcl).toHaveLength(1);
    expect(new Set(distributions.map((d) => d.web_acl_id))).toEqual(new Set([ref(s, 'aws_wafv2_web_acl', 'commerce-aws_edge_', 'arn')]));
    expect(new Set(distributions.map((d) => (d.logging_config as { bucket: string }).bucket)).size).toBe(1);
    expect(s.output!.static_assets_cdn_domain!.value).toBe(
      ref(s, 'aws_cloudfront_distribution', 'commerce-aws_edge_static-assets_', 'domain_name'),
    );
    expect(s.output!.product_images_cdn_domain!.value).toBe(
      ref(s, 'aws_cloudfront_distribution', 'commerce-aws_edge_product-images_', 'domain_name'),
    );
    expect(ofType(dr(), 'aws_cloudfront_distribution')).toEqual([]);
  });

  test('GIVEN a dns zone naming both existing and create WHEN the settings are read THEN one error names the field and the allowed values', () => {
    const result = commerceSettings.safeParse({ dns: { zone: { existing: 'example.com', create: 'shop.example.com' } } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'dns.zone: must name exactly one zone (allowed: existing: <a delegated zone to look up>, create: <a zone the stack creates>)',
    ]);
  });
});

describe('commerce session store (ElastiCache Redis)', () => {
  test('GIVEN prod WHEN synthesized THEN Redis is encrypted in transit (required) and at rest with the system key, with a replica in every other AZ', () => {
    const s = prod();
    expect(only(s, 'aws_elasticache_replication_group')).toMatchObject({
      replication_group_id: 'commerce-prod-sessions',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      at_rest_encryption_enabled: 'true',
      kms_key_id: ref(s, 'aws_kms_key', 'commerce-aws_key_', 'arn'),
      node_type: 'cache.r7g.large',
      num_cache_clusters: 3,
      multi_az_enabled: true,
      automatic_failover_enabled: true,
    });
  });

  test('GIVEN dev and uat WHEN synthesized THEN the cache tier and multiAz size it: one micro node in dev, a small primary and replica in uat', () => {
    const size = (name: string) => {
      const group = only(stackOf(name), 'aws_elasticache_replication_group');
      return [group.node_type, group.num_cache_clusters, group.multi_az_enabled];
    };
    expect(size('commerce-dev')).toEqual(['cache.t4g.micro', 1, false]);
    expect(size('commerce-uat')).toEqual(['cache.t4g.small', 2, true]);
  });

  test('GIVEN the user and order services WHEN synthesized THEN they get the session environment, the token secret and the one group Redis admits', () => {
    const s = prod();
    const clients = ref(s, 'aws_security_group', 'commerce-aws_sessions_clients_', 'id');
    for (const service of ['user', 'order']) {
      const f = fn(s, `commerce-prod-${service}`);
      expect(env(f)).toMatchObject({
        SESSION_REDIS_HOST: ref(s, 'aws_elasticache_replication_group', 'commerce-aws_sessions_', 'primary_endpoint_address'),
        SESSION_REDIS_PORT: '6379',
        SESSION_REDIS_TLS: 'true',
        SESSION_REDIS_AUTH_TOKEN_SECRET_ARN: ref(s, 'aws_secretsmanager_secret', 'commerce-aws_sessions_', 'arn'),
      });
      expect((f.vpc_config as { security_group_ids: string[] }).security_group_ids).toContain(clients);
    }
    for (const other of ['product', 'inventory', CHANGE_CAPTURE]) {
      const f = fn(s, `commerce-prod-${other}`);
      expect(Object.keys(env(f)).filter((k) => k.startsWith('SESSION_'))).toEqual([]);
      expect((f.vpc_config as { security_group_ids: string[] }).security_group_ids).not.toContain(clients);
    }
  });

  test('GIVEN the session clients group WHEN synthesized THEN its only egress is Redis, and Redis admits only that group', () => {
    const s = prod();
    const redisGroup = ref(s, 'aws_security_group', 'commerce-aws_sessions_cache_', 'id');
    const clients = ref(s, 'aws_security_group', 'commerce-aws_sessions_clients_', 'id');
    const egress = ofType(s, 'aws_vpc_security_group_egress_rule').filter((r) => r.security_group_id === clients);
    expect(egress).toEqual([
      expect.objectContaining({ from_port: 6379, to_port: 6379, ip_protocol: 'tcp', referenced_security_group_id: redisGroup }),
    ]);
    const ingress = ofType(s, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === redisGroup);
    expect(ingress).toEqual([expect.objectContaining({ from_port: 6379, referenced_security_group_id: clients })]);
  });

  test('GIVEN the session store WHEN synthesized THEN on-call is alarmed before Redis evicts sessions', () => {
    const s = prod();
    const alarm = ofType(s, 'aws_cloudwatch_metric_alarm').find((a) => a.metric_name === 'DatabaseMemoryUsagePercentage');
    expect(alarm).toMatchObject({
      namespace: 'AWS/ElastiCache',
      dimensions: { ReplicationGroupId: ref(s, 'aws_elasticache_replication_group', 'commerce-aws_sessions_', 'replication_group_id') },
      comparison_operator: 'GreaterThanThreshold',
      threshold: 80,
      alarm_actions: [ref(s, 'aws_sns_topic', 'commerce-aws_alarm-topic_', 'arn')],
    });
  });
});

describe('commerce buckets replicated to the DR region', () => {
  test("GIVEN the prod DR copy WHEN synthesized THEN each of the primary's buckets replicates into the DR bucket, encrypted with the DR key", () => {
    const s = dr();
    const configurations = ofType(s, 'aws_s3_bucket_replication_configuration');
    expect(configurations.map((c) => c.bucket).sort()).toEqual([
      `commerce-prod-product-images-eu-west-1-${account}`,
      `commerce-prod-static-assets-eu-west-1-${account}`,
    ]);
    for (const bucket of ['product-images', 'static-assets']) {
      const configuration = configurations.find((c) => c.bucket === `commerce-prod-${bucket}-eu-west-1-${account}`)!;
      expect(configuration).toMatchObject({
        region: 'eu-west-1',
        rule: [
          {
            status: 'Enabled',
            delete_marker_replication: { status: 'Enabled' },
            source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
            destination: {
              bucket: ref(s, 'aws_s3_bucket', `commerce-aws_data_${bucket}_`, 'arn'),
              encryption_configuration: { replica_kms_key_id: ref(s, 'aws_kms_key', 'commerce-aws_key_', 'arn') },
            },
          },
        ],
      });
      expect(byId(s, 'aws_s3_bucket', `commerce-aws_data_${bucket}_`).bucket).toBe(`commerce-prod-dr-${bucket}-eu-central-1-${account}`);
    }
  });

  test("GIVEN the replication role WHEN synthesized THEN it may decrypt only with the primary's key (looked up in the primary region) and encrypt only with the DR key", () => {
    const s = dr();
    const alias = Object.entries(s.data!.aws_kms_alias!).find(([, a]) => a.name === 'alias/commerce-prod')!;
    expect(alias[1].region).toBe('eu-west-1');
    for (const bucket of ['product-images', 'static-assets']) {
      const policy = JSON.parse(
        byId(s, 'aws_iam_role_policy', `commerce-aws_data_replication-from-primary_${bucket}_`).policy as string,
      ) as {
        Statement: { Sid: string; Resource: string[] }[];
      };
      const sid = (name: string) => policy.Statement.find((st) => st.Sid === name)!.Resource;
      expect(sid('DecryptSource')).toEqual([`\${data.aws_kms_alias.${alias[0]}.target_key_arn}`]);
      expect(sid('EncryptReplicas')).toEqual([ref(s, 'aws_kms_key', 'commerce-aws_key_', 'arn')]);
    }
  });

  test('GIVEN a primary site, or an environment without dr WHEN synthesized THEN nothing replicates, and its buckets carry the names the DR copy derives', () => {
    expect(ofType(prod(), 'aws_s3_bucket_replication_configuration')).toEqual([]);
    const names = ofType(prod(), 'aws_s3_bucket').map((b) => b.bucket);
    expect(names.filter((n) => n !== undefined).sort()).toEqual([
      commerceBucketName('commerce-prod', 'product-images', 'eu-west-1', account),
      commerceBucketName('commerce-prod', 'static-assets', 'eu-west-1', account),
    ]);
    expect(ofType(stackOf('commerce-dev'), 'aws_s3_bucket_replication_configuration')).toEqual([]);
  });

  test('GIVEN an environment name that makes a bucket name longer than S3 allows WHEN built THEN one error names the bucket and the limit', () => {
    expect(errorOf(() => commerceBucketName('commerce-production-eu-dr', 'product-images', 'ap-southeast-2', account))).toBe(
      `commerce: bucket name commerce-production-eu-dr-product-images-ap-southeast-2-${account} is 68 characters; S3 allows 63 (shorten the environment name)`,
    );
    const context = systemContext(commerceSystem, envNamed('prod'), {}, 'dr');
    expect(() => new CommerceStack(Testing.app(), 'commerce-ok', context)).not.toThrow();
  });
});
