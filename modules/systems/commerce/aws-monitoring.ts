// What on-call watches on the AWS side of commerce: failing functions, the API answering 5xx or
// slowly, events that gave up (failure queue), change capture falling behind, throttled tables,
// the VPN tunnels to Azure, and the session store filling up; one dashboard. Azure's alerts live in CommerceAzure.
import { Construct } from 'constructs';
import type { LambdaFunction } from '../../aws/api/lambda-function.js';
import type { QueueWithDlq } from '../../aws/messaging/queue.js';
import { Alarms } from '../../aws/observability/alarms.js';
import { apiGatewayWidgets, lambdaWidgets, SystemDashboard, type DashboardWidget } from '../../aws/observability/dashboard.js';
import type { TableRef } from './aws-data.js';

export interface CommerceAwsMonitoringProps {
  readonly prefix: string;
  readonly alarmTopicArn: string;
  /** Existing SNS topics every alarm notifies as well (the environment's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
  /** Functions by name (the four services and change capture). */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly apiName: string;
  readonly stageName: string;
  readonly failures: QueueWithDlq;
  readonly tables: Readonly<Record<string, TableRef>>;
  readonly changeCaptureFunctionName: string;
  readonly vpnConnectionId: string;
  /** The session store's replication group id (Redis). */
  readonly sessionsReplicationGroupId: string;
}

/** p99 latency of the API worth waking someone for (ms). */
const API_LATENCY_P99_MS = 2000;
/** Share of the session store's memory in use past which Redis starts evicting sessions (shoppers signed out). */
const SESSIONS_MEMORY_PERCENT = 80;
/** Age of the oldest unshipped table change before Azure SQL is considered behind (ms). */
const MAX_ITERATOR_AGE_MS = 5 * 60 * 1000;

export class CommerceAwsMonitoring extends Construct {
  public readonly alarms: Alarms;
  public readonly dashboard: SystemDashboard;

  constructor(scope: Construct, id: string, props: CommerceAwsMonitoringProps) {
    super(scope, id);
    const alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms = alarms;
    for (const [name, fn] of Object.entries(props.functions)) alarms.lambdaErrors(`${name}-errors`, { functionName: fn.name });
    const api = { kind: 'restApi' as const, apiName: props.apiName, stage: props.stageName };
    alarms.apiGateway5xx('api-5xx', { api });
    alarms.latencyP99('api-latency', { source: api, thresholdMilliseconds: API_LATENCY_P99_MS });
    alarms.deadLetterQueue('failed-events', {
      queueName: props.failures.name,
      description: 'An asynchronous invocation or a batch of table changes failed every retry: replay it from the queue',
    });
    alarms.deadLetterQueue('failed-replays', { queueName: props.failures.deadLetterName });
    alarms.metric('change-capture-behind', {
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      dimensions: { FunctionName: props.changeCaptureFunctionName },
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: MAX_ITERATOR_AGE_MS,
      evaluationPeriods: 5,
      treatMissingData: 'notBreaching',
      description: 'Table changes wait more than 5 minutes to reach Azure SQL (Service Bus or the VPN may be down)',
    });
    for (const [name, table] of Object.entries(props.tables)) {
      for (const kind of ['Read', 'Write']) {
        alarms.metric(`${name.toLowerCase()}-${kind.toLowerCase()}-throttles`, {
          namespace: 'AWS/DynamoDB',
          metricName: `${kind}ThrottleEvents`,
          dimensions: { TableName: table.name },
          statistic: 'Sum',
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          evaluationPeriods: 3,
          treatMissingData: 'notBreaching',
          description: `Table ${name} throttled ${kind.toLowerCase()}s for 3 minutes`,
        });
      }
    }
    alarms.metric('vpn-down', {
      namespace: 'AWS/VPN',
      metricName: 'TunnelState',
      dimensions: { VpnId: props.vpnConnectionId },
      statistic: 'Maximum',
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 5,
      treatMissingData: 'breaching',
      description: 'Both VPN tunnels to Azure have been down for 5 minutes: Service Bus and the change capture are cut off',
    });

    const sessions = { ReplicationGroupId: props.sessionsReplicationGroupId };
    alarms.metric('sessions-memory', {
      namespace: 'AWS/ElastiCache',
      metricName: 'DatabaseMemoryUsagePercentage',
      dimensions: sessions,
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: SESSIONS_MEMORY_PERCENT,
      periodSeconds: 300,
      evaluationPeriods: 2,
      description: `The session store is over ${SESSIONS_MEMORY_PERCENT}% full for 10 minutes: Redis will evict sessions (raise redisSku)`,
    });

    const widgets: DashboardWidget[] = [
      {
        type: 'text',
        markdown: `# ${props.prefix}\nCognito → API Gateway (WAF) → Lambda → DynamoDB / S3; streams → Service Bus (VPN) → Azure SQL`,
      },
      { type: 'alarm', title: 'Alarms', alarmArns: alarms.alarmArns },
      ...apiGatewayWidgets({ name: props.apiName, stage: props.stageName }),
      ...lambdaWidgets(props.functions),
      {
        type: 'metric',
        title: 'Change capture lag (ms)',
        stat: 'Maximum',
        metrics: [{ namespace: 'AWS/Lambda', metricName: 'IteratorAge', dimensions: { FunctionName: props.changeCaptureFunctionName } }],
      },
      {
        type: 'metric',
        title: 'VPN tunnels to Azure (1 = up)',
        stat: 'Maximum',
        metrics: [{ namespace: 'AWS/VPN', metricName: 'TunnelState', dimensions: { VpnId: props.vpnConnectionId } }],
      },
      {
        type: 'metric',
        title: 'Session store',
        stat: 'Maximum',
        metrics: ['DatabaseMemoryUsagePercentage', 'CurrConnections', 'Evictions'].map((metricName) => ({
          namespace: 'AWS/ElastiCache',
          metricName,
          dimensions: sessions,
        })),
      },
      {
        type: 'log',
        title: 'Recent function errors',
        logGroupNames: Object.values(props.functions).map((fn) => fn.logGroup.name),
        query: 'fields @timestamp, @log, @message | filter level = "ERROR" | sort @timestamp desc | limit 50',
      },
    ];
    this.dashboard = new SystemDashboard(this, 'dashboard', { name: props.prefix, widgets });
  }
}
