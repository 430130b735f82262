import { TerraformOutput, Testing } from 'cdktf';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { PostgresDatabase, type PostgresDatabaseProps } from './postgres-database.js';
import { onlyResource, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const BASE: PostgresDatabaseProps = {
  name: 'orders',
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
  allowedSecurityGroups: { api: 'sg-0123456789abcdef0' },
};
const build = (props: Partial<PostgresDatabaseProps> = {}) => synth((scope) => new PostgresDatabase(scope, 'db', { ...BASE, ...props }));

describe('PostgresDatabase', () => {
  test('GIVEN the required props WHEN synthesized THEN the RDS instance is private, encrypted, Multi-AZ, protected, backed up, logged and IAM-authenticated', () => {
    const out = Testing.synthScope((scope) => new PostgresDatabase(scope, 'db', BASE));
    expect(out).toHaveResourceWithProperties(DbInstance, {
      identifier: 'orders',
      engine: 'postgres',
      engine_version: '16',
      instance_class: 'db.t4g.medium',
      storage_encrypted: true,
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      backup_retention_period: 7,
      enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
      iam_database_authentication_enabled: true,
      manage_master_user_password: true,
      copy_tags_to_snapshot: true,
      auto_minor_version_upgrade: true,
      performance_insights_enabled: true,
      performance_insights_retention_period: 7,
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 100,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'orders-final',
      port: 5432,
      db_name: 'app',
      username: 'dbadmin',
      apply_immediately: false,
    });
    const instance = onlyResource(JSON.parse(out), 'aws_db_instance');
    expect(instance.password).toBeUndefined();
    expect(instance.kms_key_id).toBeUndefined();
  });

  test('GIVEN defaults WHEN synthesized THEN the parameter group forces TLS for the engine major version', () => {
    const s = build();
    const group = onlyResource(s, 'aws_db_parameter_group');
    expect(group).toMatchObject({ family: 'postgres16', parameter: [{ name: 'rds.force_ssl', value: '1' }], name_prefix: 'orders-' });
    expect(onlyResource(s, 'aws_db_instance').parameter_group_name).toBe('${aws_db_parameter_group.db_parameters_A4732CE6.name}');
  });

  test('GIVEN defaults WHEN synthesized THEN 5432 is open only to the named client groups, nothing goes out, and the subnet group holds the given subnets', () => {
    const s = build({ allowedSecurityGroups: { api: 'sg-0123456789abcdef0', worker: 'sg-0fedcba9876543210' } });
    const rules = Object.values(resourcesOf(s, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol, r.cidr_ipv4])).toEqual([
      ['sg-0123456789abcdef0', 5432, 5432, 'tcp', undefined],
      ['sg-0fedcba9876543210', 5432, 5432, 'tcp', undefined],
    ]);
    expect(resourcesOf(s, 'aws_vpc_security_group_egress_rule')).toEqual({});
    const group = onlyResource(s, 'aws_security_group');
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(onlyResource(s, 'aws_db_subnet_group').subnet_ids).toEqual(BASE.subnetIds);
    expect(onlyResource(s, 'aws_db_instance').vpc_security_group_ids).toEqual(['${aws_security_group.db_security-group_9EDA3E03.id}']);
  });

  test('GIVEN allowFrom after construction WHEN synthesized THEN the new client gets its own keyed rule', () => {
    const s = synth((scope) =>
      new PostgresDatabase(scope, 'db', { ...BASE, allowedSecurityGroups: {} }).allowFrom('reports', 'sg-0aaaabbbbccccdddd'),
    );
    expect(Object.keys(resourcesOf(s, 'aws_vpc_security_group_ingress_rule'))).toEqual(['db_security-group_from-reports_9AE4BE28']);
  });

  test('GIVEN a KMS key WHEN synthesized THEN storage, the master secret and Performance Insights use it', () => {
    expect(onlyResource(build({ kmsKeyArn: KEY }), 'aws_db_instance')).toMatchObject({
      kms_key_id: KEY,
      master_user_secret_kms_key_id: KEY,
      performance_insights_kms_key_id: KEY,
    });
  });

  test('GIVEN sizing and safety props WHEN synthesized THEN each one changes the instance', () => {
    const s = build({
      multiAz: false,
      backupRetentionDays: 14,
      deletionProtection: false,
      performanceInsightsRetentionDays: 31,
      instanceClass: 'db.r6g.large',
      allocatedStorageGb: 50,
      maxAllocatedStorageGb: 500,
      engineVersion: '15.7',
      databaseName: 'orders_db',
      masterUsername: 'owner',
      skipFinalSnapshot: true,
      applyImmediately: true,
      parameters: { log_min_duration_statement: '500' },
    });
    const instance = onlyResource(s, 'aws_db_instance');
    expect(instance).toMatchObject({
      multi_az: false,
      backup_retention_period: 14,
      deletion_protection: false,
      performance_insights_retention_period: 31,
      instance_class: 'db.r6g.large',
      allocated_storage: 50,
      max_allocated_storage: 500,
      engine_version: '15.7',
      db_name: 'orders_db',
      username: 'owner',
      skip_final_snapshot: true,
      apply_immediately: true,
    });
    expect(instance.final_snapshot_identifier).toBeUndefined();
    expect(onlyResource(s, 'aws_db_parameter_group')).toMatchObject({
      family: 'postgres15',
      parameter: [
        { name: 'log_min_duration_statement', value: '500' },
        { name: 'rds.force_ssl', value: '1' },
      ],
    });
  });

  test('GIVEN engine aurora-postgresql WHEN synthesized THEN the cluster keeps every guarantee and has a writer and one reader', () => {
    const s = build({ engine: 'aurora-postgresql', kmsKeyArn: KEY });
    expect(resourcesOf(s, 'aws_db_instance')).toEqual({});
    expect(onlyResource(s, 'aws_rds_cluster')).toMatchObject({
      cluster_identifier: 'orders',
      engine: 'aurora-postgresql',
      engine_version: '16.6',
      storage_encrypted: true,
      kms_key_id: KEY,
      manage_master_user_password: true,
      master_user_secret_kms_key_id: KEY,
      backup_retention_period: 7,
      deletion_protection: true,
      iam_database_authentication_enabled: true,
      enabled_cloudwatch_logs_exports: ['postgresql'],
      copy_tags_to_snapshot: true,
      final_snapshot_identifier: 'orders-final',
      vpc_security_group_ids: ['${aws_security_group.db_security-group_9EDA3E03.id}'],
    });
    expect(onlyResource(s, 'aws_rds_cluster_parameter_group')).toMatchObject({
      family: 'aurora-postgresql16',
      parameter: [{ name: 'rds.force_ssl', value: '1' }],
    });
    const instances = resourcesOf(s, 'aws_rds_cluster_instance');
    expect(Object.values(instances).map((i) => [i.identifier, i.promotion_tier, i.depends_on])).toEqual([
      ['orders-reader-1', 1, ['aws_rds_cluster_instance.db_writer_074416EA']],
      ['orders-writer', 0, undefined],
    ]);
    for (const instance of Object.values(instances)) {
      expect(instance).toMatchObject({
        publicly_accessible: false,
        auto_minor_version_upgrade: true,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: KEY,
        instance_class: 'db.t4g.medium',
      });
    }
  });

  test('GIVEN Aurora without Multi-AZ, or with three readers WHEN synthesized THEN the instance count follows', () => {
    const count = (props: Partial<PostgresDatabaseProps>) =>
      Object.keys(resourcesOf(build({ engine: 'aurora-postgresql', ...props }), 'aws_rds_cluster_instance')).length;
    expect(count({ multiAz: false })).toBe(1);
    expect(count({ readerInstances: 3 })).toBe(4);
  });

  test('GIVEN either engine WHEN constructed THEN the fields point at the writer, the reader endpoint, the managed secret and the resource id', () => {
    const outputs = (props: Partial<PostgresDatabaseProps>) => {
      const scope = stack();
      const db = new PostgresDatabase(scope, 'db', { ...BASE, ...props });
      new TerraformOutput(scope, 'fields', {
        value: [db.endpoint, db.readerEndpoint, db.masterUserSecretArn, db.resourceId, db.arn, db.port],
      });
      return JSON.parse(Testing.synth(scope)).output.fields.value;
    };
    expect(outputs({})).toEqual([
      '${aws_db_instance.db_instance_5A659807.address}',
      '${aws_db_instance.db_instance_5A659807.address}',
      '${aws_db_instance.db_instance_5A659807.master_user_secret[0].secret_arn}',
      '${aws_db_instance.db_instance_5A659807.resource_id}',
      '${aws_db_instance.db_instance_5A659807.arn}',
      5432,
    ]);
    expect(outputs({ engine: 'aurora-postgresql' })).toEqual([
      '${aws_rds_cluster.db_cluster_29E3944F.endpoint}',
      '${aws_rds_cluster.db_cluster_29E3944F.reader_endpoint}',
      '${aws_rds_cluster.db_cluster_29E3944F.master_user_secret[0].secret_arn}',
      '${aws_rds_cluster.db_cluster_29E3944F.cluster_resource_id}',
      '${aws_rds_cluster.db_cluster_29E3944F.arn}',
      5432,
    ]);
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new PostgresDatabase(stack(), 'db', {
          name: 'Orders_DB',
          vpcId: 'vpc-1',
          subnetIds: ['subnet-aaaa1111'],
          allowedSecurityGroups: { 'the world': '0.0.0.0/0' },
          engineVersion: '9.6',
          instanceClass: 'm5.large',
          allocatedStorageGb: 10,
          kmsKeyArn: 'alias/aws/rds',
          databaseName: 'Orders',
          masterUsername: 'postgres',
          backupRetentionDays: 1,
          performanceInsightsRetentionDays: 30,
          parameters: { 'rds.force_ssl': '0' },
          readerInstances: 2,
        }),
    ).toThrow(
      [
        'PostgresDatabase test/db: name must be a lowercase letter, then lowercase letters, digits or single hyphens, 2-50 characters (got "Orders_DB")',
        'engineVersion must be a PostgreSQL version 12 or later, like "16" or "16.6" (got "9.6")',
        'instanceClass must be an instance class like db.r6g.large (got "m5.large")',
        'allocatedStorageGb must be an integer between 20 and 65536 (got 10)',
        'kmsKeyArn must be a KMS key ARN (got "alias/aws/rds")',
        'databaseName must be a lowercase letter, then lowercase letters, digits or underscores, at most 63 (got "Orders")',
        'masterUsername must be a lowercase identifier other than rdsadmin or postgres (got "postgres")',
        'backupRetentionDays must be an integer between 7 and 35 (got 1)',
        'performanceInsightsRetentionDays must be 7 or a multiple of 31 up to 731 (got 30)',
        'subnetIds must list at least 2 subnets in different availability zones (got ["subnet-aaaa1111"])',
        `allowedSecurityGroups keys must be 1-64 letters, digits, '.', '_' or '-' (got "the world")`,
        'allowedSecurityGroups.the world must be a security group id like sg-0123456789abcdef0, never a CIDR (got "0.0.0.0/0")',
        'parameters must not set rds.force_ssl: TLS is always required (got "0")',
        "readerInstances applies to engine 'aurora-postgresql' only (got 2)",
      ].join('; '),
    );
  });

  test('GIVEN Aurora with RDS-only storage props and Multi-AZ without readers WHEN constructed THEN each mismatch is reported', () => {
    expect(
      () =>
        new PostgresDatabase(stack(), 'db', {
          ...BASE,
          engine: 'aurora-postgresql',
          allocatedStorageGb: 100,
          maxAllocatedStorageGb: 200,
          multiAz: true,
          readerInstances: 0,
        }),
    ).toThrow(
      [
        "PostgresDatabase test/db: allocatedStorageGb applies to engine 'postgres' only: Aurora storage grows by itself (got 100)",
        "maxAllocatedStorageGb applies to engine 'postgres' only: Aurora storage grows by itself (got 200)",
        'multiAz on Aurora needs readerInstances of at least 1 (got 0)',
      ].join('; '),
    );
  });

  test('GIVEN an unknown engine or storage ceiling below the floor WHEN constructed THEN the allowed values are named', () => {
    expect(
      () =>
        new PostgresDatabase(stack(), 'db', {
          ...BASE,
          engine: 'mysql' as 'postgres',
          allocatedStorageGb: 200,
          maxAllocatedStorageGb: 100,
        }),
    ).toThrow(
      'PostgresDatabase test/db: engine must be one of "postgres", "aurora-postgresql" (got "mysql"); maxAllocatedStorageGb must be at least allocatedStorageGb 200 (got 100)',
    );
  });
});
