// Operations across the two clouds of commerce (seed 004): the daily S3 → Azure Blob backup, run by an
// EventBridge Scheduler schedule, and the seed's central logging, where every commerce log group on
// AWS is forwarded into the Azure Log Analytics workspace through the Logs Ingestion API. Both
// functions sign in to Azure as the AWS side's Entra ID application, with the client secret the
// Service Bus calls already use.
import { Construct } from 'constructs';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone/index.js';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule/index.js';
import { LogAnalyticsWorkspaceTableCustomLog } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table-custom-log/index.js';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint/index.js';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import { Alarms } from '../../aws/observability/alarms.js';
import { ServiceRole } from '../../aws/security/iam.js';
import { workspaceRetention } from '../../azure/observability/log-analytics-workspace.js';
import { PropProblems } from '../../core/validation.js';
import { functionEntry } from '../function-source.js';
import type { SystemSettings } from '../settings.js';
import type { CommerceAws } from './aws.js';
import type { CommerceAzure } from './azure.js';

/** The backup account's container the daily copies go to. */
export const S3_BACKUP_CONTAINER = 's3-daily';
export const BLOB_BACKUP = 'blob-backup';
export const LOG_FORWARDER = 'log-forwarder';
/** The custom Log Analytics table of the AWS logs, and the rule's stream that feeds it. */
export const AWS_LOGS_TABLE = 'AwsLogs_CL';
export const AWS_LOGS_STREAM = `Custom-${AWS_LOGS_TABLE}`;
/** The rows log-forwarder sends (its handler's AwsLogRow), declared once for the table and the stream. */
export const AWS_LOG_COLUMNS = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'Account', type: 'string' },
  { name: 'LogGroup', type: 'string' },
  { name: 'LogStream', type: 'string' },
  { name: 'EventId', type: 'string' },
  { name: 'Message', type: 'string' },
] as const;

export interface CommerceOpsProps {
  /** `commerce-<env>` (`-dr` in a DR copy). */
  readonly prefix: string;
  /** The AWS region of the site (CloudWatch Logs' service principal is regional). */
  readonly region: string;
  readonly settings: SystemSettings['commerce'];
  readonly aws: CommerceAws;
  readonly azure: CommerceAzure;
  /** The Entra ID application the AWS side signs in as: its client id (for tokens) and object id (for role assignments). */
  readonly principal: { readonly tenantId: string; readonly clientId: string; readonly objectId: string };
  /** Existing SNS topics the functions' alarms notify as well. @default none */
  readonly alsoNotifyArns?: readonly string[];
  /** When the backup runs, an EventBridge Scheduler expression in UTC. @default 'cron(0 2 * * ? *)' (02:00 every day) */
  readonly backupSchedule?: string;
}

export class CommerceOps extends Construct {
  public readonly blobBackup: LambdaFunction;
  public readonly schedule: SchedulerSchedule;
  /** The role the schedule assumes: it may invoke the backup and park a failed run in the failure queue. */
  public readonly scheduleRole: ServiceRole;
  public readonly logForwarder: LambdaFunction;
  /** Subscription filters by the forwarded log group's name in the stack (function name or `api-access`). */
  public readonly subscriptions: Readonly<Record<string, CloudwatchLogSubscriptionFilter>>;
  public readonly logsTable: LogAnalyticsWorkspaceTableCustomLog;
  public readonly collectionEndpoint: MonitorDataCollectionEndpoint;
  public readonly collectionRule: MonitorDataCollectionRule;
  public readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: CommerceOpsProps) {
    super(scope, id);
    const { prefix, aws, azure, principal } = props;
    const backupSchedule = props.backupSchedule ?? 'cron(0 2 * * ? *)';
    new PropProblems(this, 'CommerceOps')
      .matches('backupSchedule', backupSchedule, /^(cron\(.+\)|rate\(\d+ (minutes?|hours?|days?)\))$/, 'cron(...) or rate(N unit)')
      .throwIfAny();
    const keyArn = aws.key.arn;
    const container = azure.backupStorage.containers[S3_BACKUP_CONTAINER];
    if (container === undefined) throw new Error(`CommerceOps: the backup storage has no ${S3_BACKUP_CONTAINER} container`);

    const group = new SecurityGroup(this, 'security-group', {
      vpcId: aws.vpc.vpcId,
      description: `${prefix} backup and log forwarding: HTTPS to Entra ID, Blob Storage (VPN) and Logs Ingestion`,
      egress: [{ name: 'https-out', description: 'HTTPS to AWS APIs and Azure', fromPort: 443, cidrIpv4: '0.0.0.0/0' }],
      tags: { Name: `${prefix}-ops` },
    });
    const signIn = {
      AZURE_TENANT_ID: principal.tenantId,
      AZURE_CLIENT_ID: principal.clientId,
      AZURE_CLIENT_SECRET_ARN: aws.azureClientSecret.arn,
    };
    const common = {
      runtime: 'nodejs22.x' as const,
      logRetentionDays: props.settings.logRetentionDays,
      logKmsKeyArn: keyArn,
      deadLetterQueueArn: aws.failures.arn,
      deadLetterQueueKmsKeyArn: keyArn,
      vpc: { subnetIds: aws.vpc.privateSubnetIds, securityGroupIds: [group.securityGroupId] },
    };
    const buckets = aws.data.buckets;

    this.blobBackup = new LambdaFunction(this, BLOB_BACKUP, {
      ...common,
      name: `${prefix}-${BLOB_BACKUP}`,
      description: `Copies the S3 objects changed since the last run to the Azure backup container ${S3_BACKUP_CONTAINER}`,
      handler: `${BLOB_BACKUP}.handler`,
      entry: functionEntry('commerce', BLOB_BACKUP),
      memorySize: 512,
      timeoutSeconds: 900,
      // One run at a time: two would race on the checkpoint.
      reservedConcurrency: 1,
      access: {
        readBuckets: Object.values(buckets).map((b) => b.arn),
        readSecrets: [aws.azureClientSecret.arn],
        decryptKeys: [keyArn],
        encryptKeys: [keyArn],
      },
      environment: {
        ...signIn,
        BACKUP_CONTAINER_URL: `${azure.backupStorage.primaryBlobEndpoint}${S3_BACKUP_CONTAINER}`,
        BUCKETS: JSON.stringify(Object.fromEntries(Object.entries(buckets).map(([kind, b]) => [kind, b.bucketName]))),
      },
    });
    new RoleAssignment(this, 'aws-writes-s3-backups', {
      scope: container.resourceManagerId,
      principalId: principal.objectId,
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalType: 'ServicePrincipal',
    });
    const blobIp = azure.backupStorage.privateEndpoints.blob?.endpoint.privateServiceConnection.privateIpAddress;
    if (blobIp !== undefined) this.resolveBackupStoragePrivately(aws.vpc.vpcId, azure.backupStorage.name, blobIp);
    // Without a private endpoint the account admits only the Azure functions subnet: admit the VPC's
    // NAT addresses too (StorageAccount has no prop for IP rules, hence the override).
    else azure.backupStorage.account.addOverride('network_rules.ip_rules', Object.values(aws.vpc.natPublicIps));

    this.scheduleRole = new ServiceRole(this, 'schedule-role', {
      service: 'scheduler.amazonaws.com',
      description: `Runs ${prefix}-${BLOB_BACKUP} on schedule`,
      // The schedule and the failure queue are encrypted with the system key; nothing else is allowed.
      access: { invokeFunctions: [this.blobBackup.arn], sendQueues: [aws.failures.arn], encryptKeys: [keyArn], decryptKeys: [keyArn] },
    });
    this.schedule = new SchedulerSchedule(this, 'backup-schedule', {
      name: `${prefix}-${BLOB_BACKUP}`,
      description: 'The daily S3 → Azure Blob backup',
      scheduleExpression: backupSchedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      kmsKeyArn: keyArn,
      target: {
        arn: this.blobBackup.arn,
        roleArn: this.scheduleRole.arn,
        input: JSON.stringify({ source: 'schedule' }),
        // A run that cannot be started within the hour is parked in the failure queue (alarmed).
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: aws.failures.arn },
      },
    });

    this.logsTable = new LogAnalyticsWorkspaceTableCustomLog(this, 'aws-logs-table', {
      name: AWS_LOGS_TABLE,
      displayName: 'AWS logs',
      description: `CloudWatch Logs of ${prefix} (functions, API access logs), forwarded by ${prefix}-${LOG_FORWARDER}`,
      workspaceId: azure.workspace.id,
      retentionInDays: workspaceRetention(props.settings.logRetentionDays),
      column: AWS_LOG_COLUMNS.map((c) => ({ ...c })),
    });
    const at = { resourceGroupName: azure.resourceGroup.name, location: azure.resourceGroup.location };
    this.collectionEndpoint = new MonitorDataCollectionEndpoint(this, 'aws-logs-endpoint', {
      ...at,
      name: `${prefix}-aws-logs`,
      description: 'Logs Ingestion endpoint the AWS log forwarder posts to (Entra ID sign-in only)',
    });
    this.collectionRule = new MonitorDataCollectionRule(this, 'aws-logs-rule', {
      ...at,
      name: `${prefix}-aws-logs`,
      description: `AWS CloudWatch Logs into ${AWS_LOGS_TABLE}`,
      dataCollectionEndpointId: this.collectionEndpoint.id,
      destinations: { logAnalytics: [{ name: 'workspace', workspaceResourceId: azure.workspace.id }] },
      dataFlow: [{ streams: [AWS_LOGS_STREAM], destinations: ['workspace'], transformKql: 'source', outputStream: AWS_LOGS_STREAM }],
      streamDeclaration: [{ streamName: AWS_LOGS_STREAM, column: AWS_LOG_COLUMNS.map((c) => ({ ...c })) }],
      // The rule's output stream must exist as a table when it is created.
      dependsOn: [this.logsTable],
    });
    new RoleAssignment(this, 'aws-publishes-logs', {
      scope: this.collectionRule.id,
      principalId: principal.objectId,
      roleDefinitionName: 'Monitoring Metrics Publisher',
      principalType: 'ServicePrincipal',
    });

    this.logForwarder = new LambdaFunction(this, LOG_FORWARDER, {
      ...common,
      name: `${prefix}-${LOG_FORWARDER}`,
      description: `Forwards the commerce CloudWatch Logs to Log Analytics (${AWS_LOGS_TABLE})`,
      handler: `${LOG_FORWARDER}.handler`,
      entry: functionEntry('commerce', LOG_FORWARDER),
      timeoutSeconds: 60,
      // CloudWatch Logs invokes asynchronously: throttled batches wait in Lambda's queue (up to 6 hours).
      reservedConcurrency: 5,
      access: { readSecrets: [aws.azureClientSecret.arn], decryptKeys: [keyArn], encryptKeys: [keyArn] },
      environment: {
        ...signIn,
        LOGS_INGESTION_ENDPOINT: this.collectionEndpoint.logsIngestionEndpoint,
        DATA_COLLECTION_RULE_ID: this.collectionRule.immutableId,
        LOGS_STREAM: AWS_LOGS_STREAM,
      },
    });
    // Every commerce log group but the forwarder's own (its errors would feed themselves).
    const forwarded = {
      ...Object.fromEntries(Object.entries(aws.functions).map(([name, fn]) => [name, fn.logGroup])),
      'change-capture': aws.changeCapture.logGroup,
      [BLOB_BACKUP]: this.blobBackup.logGroup,
      'api-access': aws.api.api.logGroup,
    };
    const subscriptions: Record<string, CloudwatchLogSubscriptionFilter> = {};
    for (const [name, logGroup] of Object.entries(forwarded)) {
      const permission = this.logForwarder.allowInvoke(`logs-${name}`, `logs.${props.region}.amazonaws.com`, `${logGroup.arn}:*`);
      subscriptions[name] = new CloudwatchLogSubscriptionFilter(this, `forward-${name}`, {
        name: `${prefix}-to-log-analytics`,
        logGroupName: logGroup.name,
        filterPattern: '',
        destinationArn: this.logForwarder.arn,
        dependsOn: [permission],
      });
    }
    this.subscriptions = subscriptions;

    this.alarms = new Alarms(this, 'alarms', { alarmTopicArn: aws.alarmTopic.arn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms.lambdaErrors(`${BLOB_BACKUP}-errors`, { functionName: this.blobBackup.name });
    this.alarms.lambdaErrors(`${LOG_FORWARDER}-errors`, { functionName: this.logForwarder.name });
  }

  /** The backup account resolves publicly to a `privatelink` CNAME; this zone answers it in the VPC with the private endpoint's address (over the VPN). */
  private resolveBackupStoragePrivately(vpcId: string, account: string, privateIp: string): void {
    const zone = new Route53Zone(this, 'blob-private-zone', {
      name: 'privatelink.blob.core.windows.net',
      comment: 'The Azure backup storage private endpoint, reached over the VPN',
      vpc: [{ vpcId }],
    });
    new Route53Record(this, 'blob-private-record', {
      zoneId: zone.zoneId,
      name: `${account}.privatelink.blob.core.windows.net`,
      type: 'A',
      ttl: 300,
      records: [privateIp],
    });
  }
}
