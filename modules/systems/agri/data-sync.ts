// The farm → cloud data path of the hybrid deployment: AWS DMS replicates the farm's PostgreSQL into
// the cloud RDS over the site-to-site VPN, a full load first and then the changes (CDC, deltas only).
// A farm offline for hours is the normal case, so the task retries recoverable errors forever with
// backoff and resumes from its checkpoint; the farm's database keeps the WAL in its replication slot
// meanwhile. Both endpoints sign in with credentials kept in Secrets Manager (set outside Terraform,
// so no password reaches state or plans); the replication instance is private and KMS-encrypted.
import { Construct } from 'constructs';
import { DmsEndpoint } from '@cdktf/provider-aws/lib/dms-endpoint/index.js';
import { DmsReplicationInstance } from '@cdktf/provider-aws/lib/dms-replication-instance/index.js';
import { DmsReplicationSubnetGroup } from '@cdktf/provider-aws/lib/dms-replication-subnet-group/index.js';
import { DmsReplicationTask } from '@cdktf/provider-aws/lib/dms-replication-task/index.js';
import type { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { isIpv4 } from '../../core/cidr.js';
import { PropProblems } from '../../core/validation.js';
import type { PostgresDatabase } from '../../aws/data/postgres-database.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import { LogGroup } from '../../aws/observability/log-group.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { ServiceRole } from '../../aws/security/iam.js';
import { Secret } from '../../aws/security/secret.js';

export interface FarmDatabase {
  /** IPv4 address of the farm's PostgreSQL on the farm network (routed over the VPN). */
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  /** The schema replicated, every table in it. */
  readonly schema: string;
}

export interface FarmDataSyncProps {
  readonly prefix: string;
  readonly region: string;
  readonly vpcId: string;
  /** Private subnets in at least two AZs (routes to the farm propagated from the VPN). */
  readonly subnetIds: readonly string[];
  /** Encrypts the replication instance's storage, the endpoints' secrets and the task logs. */
  readonly kmsKeyArn: string;
  readonly farm: FarmDatabase;
  /** The cloud database the farm's data lands in, and the database name inside it. */
  readonly target: { readonly database: PostgresDatabase; readonly databaseName: string };
  /** e.g. `dms.t3.medium`. */
  readonly instanceClass: string;
  /** GiB (5-6144) for the instance's change cache: a farm offline for days piles changes up here. */
  readonly allocatedStorage: number;
  /** A standby replication instance in a second AZ. */
  readonly multiAz: boolean;
  readonly logRetentionDays: number;
}

/** Keys DMS expects in an endpoint's secret (it reads host and port from there, not from the endpoint). */
export const DMS_SECRET_KEYS = ['host', 'port', 'username', 'password'] as const;

// The account-wide roles the DMS API looks up by these exact names.
const DMS_VPC_ROLE = 'dms-vpc-role';
const DMS_LOGS_ROLE = 'dms-cloudwatch-logs-role';

export class FarmDataSync extends Construct {
  public readonly instance: DmsReplicationInstance;
  public readonly source: DmsEndpoint;
  public readonly target: DmsEndpoint;
  public readonly task: DmsReplicationTask;
  public readonly securityGroup: SecurityGroup;
  /** Set to `{host, port, username, password}` of the farm's replication user. */
  public readonly sourceSecret: Secret;
  /** Set to `{host, port, username, password}` of the RDS user DMS writes as. */
  public readonly targetSecret: Secret;
  public readonly taskLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: FarmDataSyncProps) {
    super(scope, id);
    new PropProblems(this, 'FarmDataSync')
      .satisfies('farm.host', props.farm.host, isIpv4, 'an IPv4 address on the farm network')
      .range('farm.port', props.farm.port, 1, 65535)
      .matches('instanceClass', props.instanceClass, /^dms\.[a-z0-9]+\.[a-z0-9]+$/, 'a DMS instance class such as dms.t3.medium')
      .range('allocatedStorage', props.allocatedStorage, 5, 6144)
      .check(
        props.subnetIds.length >= 2,
        `subnetIds must name subnets in at least two AZs (got ${props.subnetIds.length})`,
        props.subnetIds,
      )
      .throwIfAny();
    const name = `${props.prefix}-farm-sync`;
    const partition = awsAccountContext(this).partition;
    const managed = (policy: string) => `arn:${partition}:iam::aws:policy/service-role/${policy}`;

    const vpcRole = new ServiceRole(this, 'vpc-role', {
      service: 'dms.amazonaws.com',
      name: DMS_VPC_ROLE,
      description: 'DMS manages the network interfaces of replication instances',
      managedPolicyArns: [managed('AmazonDMSVPCManagementRole')],
    });
    const logsRole = new ServiceRole(this, 'logs-role', {
      service: 'dms.amazonaws.com',
      name: DMS_LOGS_ROLE,
      description: 'DMS writes replication task logs to CloudWatch Logs',
      managedPolicyArns: [managed('AmazonDMSCloudWatchLogsRole')],
    });
    const attachment = (role: ServiceRole, policy: string) => role.node.findChild(`managed-${policy}`) as IamRolePolicyAttachment;

    this.sourceSecret = new Secret(this, 'source-secret', {
      name: `${props.prefix}/farm-sync/source`,
      description: `Farm PostgreSQL replication user for DMS: JSON ${DMS_SECRET_KEYS.join(', ')} (host ${props.farm.host}, port ${props.farm.port})`,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.targetSecret = new Secret(this, 'target-secret', {
      name: `${props.prefix}/farm-sync/target`,
      description: `RDS user DMS writes the farm's data as: JSON ${DMS_SECRET_KEYS.join(', ')}`,
      kmsKeyArn: props.kmsKeyArn,
    });
    // DMS reads endpoint secrets through its regional service principal.
    const secretsRole = new ServiceRole(this, 'secrets-role', {
      service: `dms.${props.region}.amazonaws.com`,
      description: `${name}: reads the two endpoint secrets`,
      access: { readSecrets: [this.sourceSecret.arn, this.targetSecret.arn], decryptKeys: [props.kmsKeyArn] },
    });

    const database = props.target.database;
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      vpcId: props.vpcId,
      name: name,
      description: `${name}: DMS replication instance`,
      egress: [
        {
          name: 'to-farm-database',
          description: "The farm's PostgreSQL over the VPN",
          fromPort: props.farm.port,
          cidrIpv4: `${props.farm.host}/32`,
        },
        {
          name: 'to-database',
          description: 'The cloud PostgreSQL (TLS)',
          fromPort: database.port,
          peerSecurityGroupId: database.securityGroupId,
        },
        { name: 'https-out', description: 'HTTPS to Secrets Manager and the DMS APIs', fromPort: 443, cidrIpv4: '0.0.0.0/0' },
      ],
      tags: { Name: name },
    });
    database.allowFrom('farm-sync', this.securityGroup.securityGroupId);

    const subnetGroup = new DmsReplicationSubnetGroup(this, 'subnet-group', {
      replicationSubnetGroupId: name,
      replicationSubnetGroupDescription: `${name}: private subnets (the VPN routes to the farm)`,
      subnetIds: [...props.subnetIds],
      dependsOn: [attachment(vpcRole, 'AmazonDMSVPCManagementRole')],
    });
    this.instance = new DmsReplicationInstance(this, 'instance', {
      replicationInstanceId: name,
      replicationInstanceClass: props.instanceClass,
      allocatedStorage: props.allocatedStorage,
      multiAz: props.multiAz,
      publiclyAccessible: false,
      kmsKeyArn: props.kmsKeyArn,
      autoMinorVersionUpgrade: true,
      replicationSubnetGroupId: subnetGroup.replicationSubnetGroupId,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
    });
    // DMS writes task logs to this fixed name; created here so it is encrypted and expires.
    this.taskLogGroup = new LogGroup(this, 'task-logs', {
      name: `dms-tasks-${name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });

    const endpoint = (key: 'source' | 'target', secret: Secret, engineName: string, databaseName: string) =>
      new DmsEndpoint(this, key, {
        endpointId: `${name}-${key}`,
        endpointType: key,
        engineName,
        databaseName,
        sslMode: 'require',
        secretsManagerArn: secret.arn,
        secretsManagerAccessRoleArn: secretsRole.arn,
        kmsKeyArn: props.kmsKeyArn,
        // A heartbeat keeps the farm's replication slot advancing while its tables are quiet.
        postgresSettings: key === 'source' ? { heartbeatEnable: true, heartbeatFrequency: 5 } : undefined,
      });
    this.source = endpoint('source', this.sourceSecret, 'postgres', props.farm.databaseName);
    this.target = endpoint('target', this.targetSecret, database.engine, props.target.databaseName);

    this.task = new DmsReplicationTask(this, 'task', {
      replicationTaskId: name,
      migrationType: 'full-load-and-cdc',
      replicationInstanceArn: this.instance.replicationInstanceArn,
      sourceEndpointArn: this.source.endpointArn,
      targetEndpointArn: this.target.endpointArn,
      tableMappings: JSON.stringify(tableMappings(props.farm.schema)),
      replicationTaskSettings: JSON.stringify(TASK_SETTINGS),
      // Started once both secrets hold credentials (see the README): starting it empty only fails.
      startReplicationTask: false,
      dependsOn: [this.taskLogGroup.logGroup, attachment(logsRole, 'AmazonDMSCloudWatchLogsRole')],
    });
  }
}

function tableMappings(schema: string): object {
  return {
    rules: [
      {
        'rule-type': 'selection',
        'rule-id': '1',
        'rule-name': 'farm-schema',
        'object-locator': { 'schema-name': schema, 'table-name': '%' },
        'rule-action': 'include',
      },
    ],
  };
}

/** Task settings: the schema belongs to the back end's migrations, and a farm out of reach is retried, not failed. */
export const TASK_SETTINGS = {
  TargetMetadata: { SupportLobs: true, LimitedSizeLobMode: true, LobMaxSize: 32 },
  // The back end's migrations own the tables: DMS neither drops nor truncates them.
  FullLoadSettings: { TargetTablePrepMode: 'DO_NOTHING' },
  Logging: { EnableLogging: true },
  ErrorBehavior: {
    RecoverableErrorCount: -1,
    RecoverableErrorInterval: 5,
    RecoverableErrorThrottling: true,
    RecoverableErrorThrottlingMax: 1800,
  },
};
