// PostgreSQL on RDS (one instance, optionally Multi-AZ) or Aurora (a cluster with a writer and
// readers), with the same guarantees: private, encrypted, TLS-only, IAM auth, managed password.
import { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { PropProblems, isUnresolved } from '../../core/validation.js';
import { ClientSecurityGroup, clientProblems } from './client-security-group.js';
import { type PostgresSettings, buildAuroraCluster, buildRdsInstance } from './postgres-engines.js';

export type PostgresEngine = 'postgres' | 'aurora-postgresql';

export interface PostgresDatabaseProps {
  /** Instance (or cluster) identifier: a lowercase letter, then lowercase letters, digits or hyphens; at most 50. */
  readonly name: string;
  readonly vpcId: string;
  /** Private or isolated subnets in at least two availability zones. */
  readonly subnetIds: readonly string[];
  /** Client security groups by name that may reach port 5432; more can be added with `allowFrom`. */
  readonly allowedSecurityGroups: Readonly<Record<string, string>>;
  /** @default 'postgres' (RDS); 'aurora-postgresql' builds an Aurora cluster */
  readonly engine?: PostgresEngine;
  /** @default '16' for RDS (minor versions upgrade automatically), '16.6' for Aurora */
  readonly engineVersion?: string;
  /** @default 'db.t4g.medium' */
  readonly instanceClass?: string;
  /**
   * RDS: a synchronous standby in another AZ. Aurora: at least one reader in another AZ.
   * Environment files set this (prod on; dev may turn it off to save cost). @default true
   */
  readonly multiAz?: boolean;
  /** Aurora only: readers besides the writer (0-15). @default 1 when multiAz, else 0 */
  readonly readerInstances?: number;
  /** RDS only (GiB, 20-65536). @default 20 */
  readonly allocatedStorageGb?: number;
  /** RDS only: storage autoscaling ceiling (GiB). @default 100 */
  readonly maxAllocatedStorageGb?: number;
  /** Encrypts storage, the master-password secret and Performance Insights. @default the AWS-managed keys (aws/rds, aws/secretsmanager) */
  readonly kmsKeyArn?: string;
  /** @default 'app' */
  readonly databaseName?: string;
  /** @default 'dbadmin' (its password is generated and kept in Secrets Manager by RDS) */
  readonly masterUsername?: string;
  /** Days of automated backups (7-35). @default 7 */
  readonly backupRetentionDays?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** 7 (free) or a multiple of 31 up to 731. @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** Extra database parameters; `rds.force_ssl` is always 1 and cannot be overridden. @default none */
  readonly parameters?: Readonly<Record<string, string>>;
  /** @default false: a final snapshot `<name>-final` is taken on destroy */
  readonly skipFinalSnapshot?: boolean;
  /** @default false: changes wait for the maintenance window */
  readonly applyImmediately?: boolean;
}

export const POSTGRES_PORT = 5432;

export class PostgresDatabase extends Construct {
  public readonly engine: PostgresEngine;
  /** Set for engine 'postgres'. */
  public readonly instance?: DbInstance;
  /** Set for engine 'aurora-postgresql'. */
  public readonly cluster?: RdsCluster;
  /** Aurora instances by name ('writer', 'reader-1', ...). */
  public readonly clusterInstances: Record<string, RdsClusterInstance> = {};
  public readonly subnetGroup: DbSubnetGroup;
  public readonly securityGroup: ClientSecurityGroup;
  public readonly securityGroupId: string;
  public readonly arn: string;
  /** Host name of the writer. */
  public readonly endpoint: string;
  /** Aurora's reader endpoint; the writer's host name on RDS. */
  public readonly readerEndpoint: string;
  public readonly port = POSTGRES_PORT;
  /** Secrets Manager secret (managed by RDS) holding the master username and password. */
  public readonly masterUserSecretArn: string;
  /** Resource id for IAM auth: `arn:aws:rds-db:<region>:<account>:dbuser:<resourceId>/<user>`. */
  public readonly resourceId: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.engine = props.engine ?? 'postgres';
    const aurora = this.engine === 'aurora-postgresql';
    const settings = resolveSettings(props, aurora);
    validate(this, props, settings, aurora);

    this.securityGroup = new ClientSecurityGroup(this, 'security-group', {
      vpcId: props.vpcId,
      port: POSTGRES_PORT,
      description: `PostgreSQL ${props.name}`,
      clients: props.allowedSecurityGroups,
    });
    this.securityGroupId = this.securityGroup.securityGroupId;
    this.subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      namePrefix: `${props.name}-`,
      description: `Private subnets of PostgreSQL ${props.name}`,
      subnetIds: [...props.subnetIds],
      lifecycle: { createBeforeDestroy: true },
    });

    if (aurora) {
      const built = buildAuroraCluster(this, settings, this.subnetGroup.name, this.securityGroupId);
      this.cluster = built.cluster;
      Object.assign(this.clusterInstances, built.instances);
      this.arn = built.cluster.arn;
      this.endpoint = built.cluster.endpoint;
      this.readerEndpoint = built.cluster.readerEndpoint;
      this.masterUserSecretArn = built.cluster.masterUserSecret.get(0).secretArn;
      this.resourceId = built.cluster.clusterResourceId;
    } else {
      this.instance = buildRdsInstance(this, settings, this.subnetGroup.name, this.securityGroupId);
      this.arn = this.instance.arn;
      this.endpoint = this.instance.address;
      this.readerEndpoint = this.instance.address;
      this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;
      this.resourceId = this.instance.resourceId;
    }
  }

  /** Lets one more client security group reach port 5432. */
  public allowFrom(name: string, securityGroupId: string): void {
    this.securityGroup.allowFrom(name, securityGroupId);
  }
}

function resolveSettings(props: PostgresDatabaseProps, aurora: boolean): PostgresSettings {
  const multiAz = props.multiAz ?? true;
  return {
    name: props.name,
    engineVersion: props.engineVersion ?? (aurora ? '16.6' : '16'),
    instanceClass: props.instanceClass ?? 'db.t4g.medium',
    multiAz,
    readerInstances: props.readerInstances ?? (multiAz ? 1 : 0),
    allocatedStorageGb: props.allocatedStorageGb ?? 20,
    maxAllocatedStorageGb: props.maxAllocatedStorageGb ?? 100,
    kmsKeyArn: props.kmsKeyArn,
    databaseName: props.databaseName ?? 'app',
    masterUsername: props.masterUsername ?? 'dbadmin',
    backupRetentionDays: props.backupRetentionDays ?? 7,
    deletionProtection: props.deletionProtection ?? true,
    performanceInsightsRetentionDays: props.performanceInsightsRetentionDays ?? 7,
    parameters: { ...(props.parameters ?? {}), 'rds.force_ssl': '1' },
    skipFinalSnapshot: props.skipFinalSnapshot ?? false,
    applyImmediately: props.applyImmediately ?? false,
  };
}

function validate(scope: Construct, props: PostgresDatabaseProps, s: PostgresSettings, aurora: boolean): void {
  const p = new PropProblems(scope, 'PostgresDatabase')
    .matches(
      'name',
      props.name,
      /^[a-z](?!.*--)[a-z0-9-]{0,48}[a-z0-9]$/,
      'a lowercase letter, then lowercase letters, digits or single hyphens, 2-50 characters',
    )
    .oneOf('engine', props.engine, ['postgres', 'aurora-postgresql'] as const)
    .matches('engineVersion', props.engineVersion, /^(1[2-9]|[2-9]\d)(\.\d+)?$/, 'a PostgreSQL version 12 or later, like "16" or "16.6"')
    .matches('instanceClass', props.instanceClass, /^db\.[a-z0-9]+\.[a-z0-9]+$/, 'an instance class like db.r6g.large')
    .range('readerInstances', props.readerInstances, 0, 15)
    .range('allocatedStorageGb', props.allocatedStorageGb, 20, 65_536)
    .range('maxAllocatedStorageGb', props.maxAllocatedStorageGb, 20, 65_536)
    .matches('kmsKeyArn', props.kmsKeyArn, /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/, 'a KMS key ARN')
    .matches(
      'databaseName',
      props.databaseName,
      /^[a-z][a-z0-9_]{0,62}$/,
      'a lowercase letter, then lowercase letters, digits or underscores, at most 63',
    )
    .matches(
      'masterUsername',
      props.masterUsername,
      /^(?!rdsadmin$|postgres$)[a-z][a-z0-9_]{0,62}$/,
      'a lowercase identifier other than rdsadmin or postgres',
    )
    .range('backupRetentionDays', props.backupRetentionDays, 7, 35);
  const pi = props.performanceInsightsRetentionDays;
  p.check(
    pi === undefined || pi === 7 || (Number.isInteger(pi) && pi % 31 === 0 && pi >= 31 && pi <= 731),
    `performanceInsightsRetentionDays must be 7 or a multiple of 31 up to 731 (got ${pi})`,
    pi,
  );
  if (!isUnresolved(props.subnetIds)) {
    p.check(
      props.subnetIds.length >= 2,
      `subnetIds must list at least 2 subnets in different availability zones (got ${JSON.stringify(props.subnetIds)})`,
    );
  }
  for (const problem of clientProblems('allowedSecurityGroups', props.allowedSecurityGroups)) p.check(false, problem);
  p.check(
    props.parameters?.['rds.force_ssl'] === undefined,
    `parameters must not set rds.force_ssl: TLS is always required (got ${JSON.stringify(props.parameters?.['rds.force_ssl'])})`,
  );
  if (aurora) {
    for (const prop of ['allocatedStorageGb', 'maxAllocatedStorageGb'] as const) {
      p.check(props[prop] === undefined, `${prop} applies to engine 'postgres' only: Aurora storage grows by itself (got ${props[prop]})`);
    }
    p.check(!s.multiAz || s.readerInstances >= 1, `multiAz on Aurora needs readerInstances of at least 1 (got ${s.readerInstances})`);
  } else {
    p.check(
      props.readerInstances === undefined,
      `readerInstances applies to engine 'aurora-postgresql' only (got ${props.readerInstances})`,
    );
    p.check(
      s.maxAllocatedStorageGb >= s.allocatedStorageGb,
      `maxAllocatedStorageGb must be at least allocatedStorageGb ${s.allocatedStorageGb} (got ${s.maxAllocatedStorageGb})`,
      s.maxAllocatedStorageGb,
    );
  }
  p.throwIfAny();
}
