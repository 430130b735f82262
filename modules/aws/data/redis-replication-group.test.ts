import { TerraformOutput, Testing } from 'cdktf';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { RedisReplicationGroup, type RedisReplicationGroupProps } from './redis-replication-group.js';
import { onlyResource, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE: RedisReplicationGroupProps = {
  name: 'sessions',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
  allowedSecurityGroups: { api: 'sg-0123456789abcdef0' },
};
const build = (props: Partial<RedisReplicationGroupProps> = {}) =>
  synth((scope) => new RedisReplicationGroup(scope, 'redis', { ...BASE, ...props }));

describe('RedisReplicationGroup', () => {
  test('GIVEN the required props WHEN synthesized THEN data is encrypted at rest and in transit, AUTH is on, and a replica fails over across AZs', () => {
    const out = Testing.synthScope((scope) => new RedisReplicationGroup(scope, 'redis', BASE));
    expect(out).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: 'sessions',
      engine: 'redis',
      engine_version: '7.1',
      node_type: 'cache.t4g.medium',
      port: 6379,
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      auto_minor_version_upgrade: 'true',
      snapshot_retention_limit: 7,
      final_snapshot_identifier: 'sessions-final',
      apply_immediately: false,
    });
    const group = onlyResource(JSON.parse(out), 'aws_elasticache_replication_group');
    expect(group.kms_key_id).toBeUndefined();
    expect(group.subnet_group_name).toMatch(/^\$\{aws_elasticache_subnet_group\.redis_subnet-group_[0-9A-F]{8}\.name\}$/);
  });

  test('GIVEN defaults WHEN synthesized THEN the AUTH token is generated into a KMS-encrypted secret, kept stable, and never a literal', () => {
    const s = build();
    const group = onlyResource(s, 'aws_elasticache_replication_group');
    expect(group.auth_token).toMatch(/^\$\{aws_secretsmanager_secret_version\.redis_auth-token-value_[0-9A-F]{8}\.secret_string\}$/);
    const version = onlyResource(s, 'aws_secretsmanager_secret_version');
    expect(version).toMatchObject({
      secret_string: expect.stringMatching(
        /^\$\{data\.aws_secretsmanager_random_password\.redis_generated-token_[0-9A-F]{8}\.random_password\}$/,
      ),
      lifecycle: { ignore_changes: ['secret_string'] },
    });
    expect(Object.values(s.data!['aws_secretsmanager_random_password']!)).toEqual([{ password_length: 64, exclude_punctuation: true }]);
    const secret = onlyResource(s, 'aws_secretsmanager_secret');
    expect(secret.name).toBe('elasticache/sessions/auth-token');
    expect(secret.kms_key_id).toEqual(expect.stringContaining('aws_kms_key.'));
  });

  test('GIVEN defaults WHEN synthesized THEN 6379 is open only to the named client groups', () => {
    const rules = Object.values(resourcesOf(build(), 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([
      ['sg-0123456789abcdef0', 6379, 6379, undefined],
    ]);
    expect(onlyResource(build(), 'aws_elasticache_subnet_group').subnet_ids).toEqual(BASE.subnetIds);
  });

  test('GIVEN no replicas WHEN synthesized THEN there is one node and no failover (which the policy gate flags)', () => {
    expect(onlyResource(build({ replicas: 0 }), 'aws_elasticache_replication_group')).toMatchObject({
      num_cache_clusters: 1,
      automatic_failover_enabled: false,
      multi_az_enabled: false,
    });
  });

  test('GIVEN a key and other props WHEN synthesized THEN the data, the secret and the sizing follow them', () => {
    const s = build({
      kmsKeyArn: KEY,
      replicas: 2,
      nodeType: 'cache.r7g.large',
      engineVersion: '6.2',
      snapshotRetentionDays: 14,
      snapshotWindow: '23:30-00:30',
      authTokenSecretName: 'sessions/redis',
      applyImmediately: true,
    });
    expect(onlyResource(s, 'aws_elasticache_replication_group')).toMatchObject({
      kms_key_id: KEY,
      num_cache_clusters: 3,
      node_type: 'cache.r7g.large',
      engine_version: '6.2',
      snapshot_retention_limit: 14,
      snapshot_window: '23:30-00:30',
      apply_immediately: true,
    });
    expect(onlyResource(s, 'aws_secretsmanager_secret')).toMatchObject({ name: 'sessions/redis', kms_key_id: KEY });
    expect(resourcesOf(s, 'aws_kms_key')).toEqual({});
  });

  test('GIVEN a snapshot window shorter than an hour WHEN constructed THEN the error says how long it is', () => {
    expect(() => build({ snapshotWindow: '03:00-03:30' })).toThrow(
      'RedisReplicationGroup stack/redis: snapshotWindow must last at least 60 minutes (got "03:00-03:30", 30 minutes)',
    );
  });

  test('GIVEN a group WHEN constructed THEN the fields point at the endpoints and the token secret', () => {
    const scope = stack();
    const redis = new RedisReplicationGroup(scope, 'redis', { ...BASE, kmsKeyArn: KEY });
    new TerraformOutput(scope, 'fields', { value: [redis.primaryEndpoint, redis.readerEndpoint, redis.port, redis.authTokenSecretArn] });
    const [primary, reader, port, secret] = JSON.parse(Testing.synth(scope)).output.fields.value;
    expect([primary, reader, port]).toEqual([
      expect.stringMatching(/^\$\{aws_elasticache_replication_group\.redis_replication-group_[0-9A-F]{8}\.primary_endpoint_address\}$/),
      expect.stringMatching(/\.reader_endpoint_address\}$/),
      6379,
    ]);
    expect(secret).toMatch(/^\$\{aws_secretsmanager_secret\.redis_auth-token_secret_[0-9A-F]{8}\.arn\}$/);
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new RedisReplicationGroup(stack(), 'redis', {
          name: 'sessions--cache',
          vpcId: 'vpc-1',
          subnetIds: ['subnet-aaaa1111'],
          allowedSecurityGroups: { office: '10.0.0.0/8' },
          nodeType: 'r7g.large',
          replicas: 6,
          engineVersion: '5.0.6',
          kmsKeyArn: 'alias/aws/elasticache',
          snapshotRetentionDays: 0,
          snapshotWindow: '3:00-4:00',
        }),
    ).toThrow(
      [
        'RedisReplicationGroup test/redis: name must be a lowercase letter, then lowercase letters, digits or single hyphens, 2-40 characters (got "sessions--cache")',
        'nodeType must be a node type like cache.r7g.large (got "r7g.large")',
        'replicas must be an integer between 0 and 5 (got 6)',
        'engineVersion must be a Redis version with AUTH and TLS support: 6.2 or 7.x (got "5.0.6")',
        'kmsKeyArn must be a KMS key ARN (got "alias/aws/elasticache")',
        'snapshotRetentionDays must be an integer between 1 and 35 (got 0)',
        'snapshotWindow must be hh:mm-hh:mm in UTC, like 03:00-04:00 (got "3:00-4:00")',
        'subnetIds must list at least 2 subnets in different availability zones (got ["subnet-aaaa1111"])',
        'allowedSecurityGroups.office must be a security group id like sg-0123456789abcdef0, never a CIDR (got "10.0.0.0/8")',
      ].join('; '),
    );
  });
});
