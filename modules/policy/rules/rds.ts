import type { PolicyRule } from '../types.js';
import { expectThat, isTrue, rule, show } from './helpers.js';

const DB = ['aws_db_instance', 'aws_rds_cluster'];

export const rdsRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_16',
    title: 'RDS storage is encrypted',
    severity: 'high',
    resourceTypes: DB,
    remediation: 'Set storage_encrypted = true with a KMS key (PostgresDatabase does).',
    check: (r) => expectThat(isTrue(r.config.storage_encrypted), `storage_encrypted is ${show(r.config.storage_encrypted)}`),
  }),
  rule({
    id: 'CKV_AWS_17',
    title: 'RDS instance is not publicly accessible',
    severity: 'critical',
    resourceTypes: ['aws_db_instance', 'aws_rds_cluster_instance'],
    remediation: 'Set publicly_accessible = false and place the database in private or isolated subnets.',
    check: (r) => expectThat(!isTrue(r.config.publicly_accessible), 'publicly_accessible is true'),
  }),
  rule({
    id: 'CKV_AWS_157',
    title: 'RDS is Multi-AZ',
    severity: 'medium',
    resourceTypes: DB,
    remediation: 'Set multiAz: true for the system in the environment file (Aurora: two or more instances).',
    check: (r, stack) => {
      if (r.type === 'aws_db_instance') return expectThat(isTrue(r.config.multi_az), `multi_az is ${show(r.config.multi_az)}`);
      const instances = stack.referencing('aws_rds_cluster_instance', 'cluster_identifier', r).length;
      return expectThat(instances >= 2, `the Aurora cluster has ${instances} instance(s); Multi-AZ needs at least 2`);
    },
  }),
  rule({
    id: 'CKV_AWS_293',
    title: 'RDS has deletion protection',
    severity: 'medium',
    resourceTypes: DB,
    remediation: 'Set deletionProtection: true for the system in the environment file.',
    check: (r) => expectThat(isTrue(r.config.deletion_protection), `deletion_protection is ${show(r.config.deletion_protection)}`),
  }),
  rule({
    id: 'CKV_AWS_133',
    title: 'RDS keeps backups for at least 7 days',
    severity: 'medium',
    resourceTypes: DB,
    remediation: 'Set database.backupRetentionDays ≥ 7 in the environment file.',
    check: (r) =>
      expectThat(
        Number(r.config.backup_retention_period ?? 0) >= 7,
        `backup_retention_period is ${show(r.config.backup_retention_period)}`,
      ),
  }),
  rule({
    id: 'CKV_AWS_129',
    title: 'RDS exports its logs to CloudWatch',
    severity: 'low',
    resourceTypes: DB,
    remediation: 'Set enabled_cloudwatch_logs_exports (postgresql, upgrade).',
    check: (r) => {
      const exports = r.config.enabled_cloudwatch_logs_exports;
      return expectThat(Array.isArray(exports) && exports.length > 0, `enabled_cloudwatch_logs_exports is ${show(exports)}`);
    },
  }),
  rule({
    id: 'CKV_AWS_161',
    title: 'RDS uses IAM database authentication',
    severity: 'medium',
    resourceTypes: DB,
    remediation: 'Set iam_database_authentication_enabled = true.',
    check: (r) =>
      expectThat(
        isTrue(r.config.iam_database_authentication_enabled),
        `iam_database_authentication_enabled is ${show(r.config.iam_database_authentication_enabled)}`,
      ),
  }),
];
