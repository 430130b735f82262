// The PostgreSQL database a system runs (agri, payments), sized by the environment file's `database`
// knobs, and the alarms every such database gets. Shared so the systems stay alike.
import type { Construct } from 'constructs';
import { PostgresDatabase, type PostgresEngine } from '../aws/data/postgres-database.js';
import type { Alarms } from '../aws/observability/alarms.js';
import type { DashboardWidget } from '../aws/observability/dashboard.js';
import type { Vpc } from '../aws/network/vpc.js';
import type { DatabaseSettings } from './settings.js';

export interface SystemDatabaseProps {
  /** Prefix of its names (`<system>-<env>`). */
  readonly name: string;
  readonly vpc: Vpc;
  readonly kmsKeyArn: string;
  readonly databaseName: string;
  readonly settings: { readonly database: DatabaseSettings; readonly multiAz: boolean; readonly deletionProtection: boolean };
}

/** The database in the VPC's isolated subnets; clients are admitted later with `allowFrom`. Construct id `database`. */
export function systemDatabase(scope: Construct, props: SystemDatabaseProps): PostgresDatabase {
  const { database, multiAz, deletionProtection } = props.settings;
  return new PostgresDatabase(scope, 'database', {
    name: props.name,
    vpcId: props.vpc.vpcId,
    subnetIds: props.vpc.isolatedSubnetIds,
    allowedSecurityGroups: {},
    engine: database.engine,
    instanceClass: database.instanceClass,
    multiAz,
    ...(database.engine === 'postgres'
      ? { allocatedStorageGb: database.allocatedStorage, maxAllocatedStorageGb: Math.min(4 * database.allocatedStorage, 65_536) }
      : {}),
    kmsKeyArn: props.kmsKeyArn,
    databaseName: props.databaseName,
    backupRetentionDays: database.backupRetentionDays,
    deletionProtection,
  });
}

export interface DatabaseRef {
  readonly engine: PostgresEngine;
  readonly identifier: string;
  readonly instanceClass: string;
}

/** The CloudWatch dimension naming the database: a cluster for Aurora, an instance otherwise. */
function databaseDimension(db: DatabaseRef): 'DBClusterIdentifier' | 'DBInstanceIdentifier' {
  return db.engine === 'aurora-postgresql' ? 'DBClusterIdentifier' : 'DBInstanceIdentifier';
}

/** CPU and connections on the system's dashboard. */
export function databaseWidget(db: DatabaseRef): DashboardWidget {
  return {
    type: 'metric',
    title: 'Database',
    stat: 'Average',
    metrics: ['CPUUtilization', 'DatabaseConnections'].map((metricName) => ({
      namespace: 'AWS/RDS',
      metricName,
      dimensions: { [databaseDimension(db)]: db.identifier },
    })),
  };
}

/** Connections above 80 % of max_connections, and CPU above 80 % for 10 minutes. */
export function databaseAlarms(alarms: Alarms, db: DatabaseRef): void {
  const aurora = db.engine === 'aurora-postgresql';
  alarms.rdsConnections('database-connections', {
    database: { kind: aurora ? 'cluster' : 'instance', identifier: db.identifier },
    maxConnections: Math.floor(0.8 * estimatedMaxConnections(db.instanceClass)),
  });
  alarms.metric('database-cpu', {
    description: 'Database CPU above 80% for 10 minutes',
    namespace: 'AWS/RDS',
    metricName: 'CPUUtilization',
    dimensions: { [databaseDimension(db)]: db.identifier },
    statistic: 'Average',
    comparisonOperator: 'GreaterThanThreshold',
    threshold: 80,
    periodSeconds: 300,
    evaluationPeriods: 2,
  });
}

/**
 * PostgreSQL's default max_connections on RDS is LEAST(DBInstanceClassMemory / 9531392, 5000):
 * about 112 per GiB. Memory follows the size (micro 1 GiB … xlarge 16 GiB, N·xlarge 16·N GiB) and
 * doubles for the memory-optimised families (r, x).
 */
export function estimatedMaxConnections(instanceClass: string): number {
  const [, family = '', size = ''] = instanceClass.split('.');
  const fixed: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16 };
  const multiple = /^(\d+)xlarge$/.exec(size);
  const baseGiB = fixed[size] ?? (multiple ? 16 * Number(multiple[1]) : 4);
  const gib = /^[rx]/.test(family) && !['micro', 'small'].includes(size) ? 2 * baseGiB : baseGiB;
  return Math.min(Math.floor((gib * 1024 ** 3) / 9_531_392), 5000);
}
