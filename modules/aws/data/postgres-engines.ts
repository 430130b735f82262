// The engine-specific halves of PostgresDatabase: one RDS instance, or an Aurora cluster.
import type { Construct } from 'constructs';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group/index.js';

/** PostgresDatabaseProps with every default applied. */
export interface PostgresSettings {
  readonly name: string;
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly multiAz: boolean;
  readonly readerInstances: number;
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly kmsKeyArn?: string;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly performanceInsightsRetentionDays: number;
  readonly parameters: Readonly<Record<string, string>>;
  readonly skipFinalSnapshot: boolean;
  readonly applyImmediately: boolean;
}

const majorOf = (version: string) => version.split('.')[0];

/** Settings both engines share, in provider spelling. */
function shared(s: PostgresSettings) {
  return {
    port: 5432,
    storageEncrypted: true,
    kmsKeyId: s.kmsKeyArn,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: s.kmsKeyArn,
    backupRetentionPeriod: s.backupRetentionDays,
    deletionProtection: s.deletionProtection,
    iamDatabaseAuthenticationEnabled: true,
    copyTagsToSnapshot: true,
    skipFinalSnapshot: s.skipFinalSnapshot,
    finalSnapshotIdentifier: s.skipFinalSnapshot ? undefined : `${s.name}-final`,
    applyImmediately: s.applyImmediately,
  };
}

function performanceInsights(s: PostgresSettings) {
  return {
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: s.kmsKeyArn,
    performanceInsightsRetentionPeriod: s.performanceInsightsRetentionDays,
  };
}

const parameterList = (s: PostgresSettings) => Object.entries(s.parameters).map(([name, value]) => ({ name, value }));

export function buildRdsInstance(scope: Construct, s: PostgresSettings, subnetGroupName: string, securityGroupId: string): DbInstance {
  const parameters = new DbParameterGroup(scope, 'parameters', {
    namePrefix: `${s.name}-`,
    family: `postgres${majorOf(s.engineVersion)}`,
    description: `PostgreSQL ${s.name}: TLS required`,
    parameter: parameterList(s),
    lifecycle: { createBeforeDestroy: true },
  });
  return new DbInstance(scope, 'instance', {
    identifier: s.name,
    engine: 'postgres',
    engineVersion: s.engineVersion,
    instanceClass: s.instanceClass,
    dbName: s.databaseName,
    username: s.masterUsername,
    ...shared(s),
    storageType: 'gp3',
    allocatedStorage: s.allocatedStorageGb,
    maxAllocatedStorage: s.maxAllocatedStorageGb,
    multiAz: s.multiAz,
    dbSubnetGroupName: subnetGroupName,
    vpcSecurityGroupIds: [securityGroupId],
    publiclyAccessible: false,
    parameterGroupName: parameters.name,
    enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
    autoMinorVersionUpgrade: true,
    ...performanceInsights(s),
  });
}

export function buildAuroraCluster(
  scope: Construct,
  s: PostgresSettings,
  subnetGroupName: string,
  securityGroupId: string,
): { cluster: RdsCluster; instances: Record<string, RdsClusterInstance> } {
  const parameters = new RdsClusterParameterGroup(scope, 'parameters', {
    namePrefix: `${s.name}-`,
    family: `aurora-postgresql${majorOf(s.engineVersion)}`,
    description: `Aurora PostgreSQL ${s.name}: TLS required`,
    parameter: parameterList(s),
    lifecycle: { createBeforeDestroy: true },
  });
  const cluster = new RdsCluster(scope, 'cluster', {
    clusterIdentifier: s.name,
    engine: 'aurora-postgresql',
    engineVersion: s.engineVersion,
    databaseName: s.databaseName,
    masterUsername: s.masterUsername,
    ...shared(s),
    dbSubnetGroupName: subnetGroupName,
    vpcSecurityGroupIds: [securityGroupId],
    dbClusterParameterGroupName: parameters.name,
    // Aurora PostgreSQL has no 'upgrade' log; upgrade events appear in the postgresql log.
    enabledCloudwatchLogsExports: ['postgresql'],
  });
  const names = ['writer', ...Array.from({ length: s.readerInstances }, (_, i) => `reader-${i + 1}`)];
  const instances: Record<string, RdsClusterInstance> = {};
  for (const [tier, name] of names.entries()) {
    instances[name] = new RdsClusterInstance(scope, name, {
      identifier: `${s.name}-${name}`,
      clusterIdentifier: cluster.id,
      engine: cluster.engine,
      engineVersion: cluster.engineVersion,
      instanceClass: s.instanceClass,
      dbSubnetGroupName: subnetGroupName,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      promotionTier: Math.min(tier, 15),
      applyImmediately: s.applyImmediately,
      ...performanceInsights(s),
      // Aurora makes the first instance to come up the writer: readers wait so 'writer' is one.
      dependsOn: name === 'writer' ? undefined : [instances['writer']!],
    });
  }
  return { cluster, instances };
}
