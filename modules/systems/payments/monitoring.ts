// What on-call watches for one payments region: the APIs answering 5xx or slowly, targets behind
// the NLBs failing health checks, payments stuck in or dropped from queues (age, DLQ depth), busy
// services, database and cache pressure, and NAT port exhaustion (the processor's only way out);
// one dashboard with the same signals and the services' error logs. A few plain metric alarms (Route 53
// health checks cannot watch metric-math alarms) say whether the region's public API can serve at all:
// the DNS failover between regions follows them.
import { Construct } from 'constructs';
import type { AlarmConstruct } from '../../aws/observability/alarm-base.js';
import { Alarms } from '../../aws/observability/alarms.js';
import { apiGatewayWidgets, SystemDashboard, type DashboardWidget, type WidgetMetric } from '../../aws/observability/dashboard.js';
import type { QueueWithDlq } from '../../aws/messaging/queue.js';
import type { PostgresEngine } from '../../aws/data/postgres-database.js';
import { databaseAlarms, databaseWidget } from '../database.js';

export interface PaymentsMonitoringProps {
  readonly prefix: string;
  readonly alarmTopicArn: string;
  /** Existing SNS topics every alarm notifies as well (the environment's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
  readonly apiName: string;
  /** The private API of the internal API service (same stage name). */
  readonly internalApiName: string;
  readonly apiStage: string;
  /** p99 API latency that pages, in milliseconds. */
  readonly apiLatencyP99Ms: number;
  readonly clusterName: string;
  /** ECS service names by role (`web`, `external-api`, ...). */
  readonly services: Record<string, string>;
  /** Service log groups by role, for the error-log widget. */
  readonly logGroups: Record<string, string>;
  /** By role: the `arn_suffix` of the service's target group and of the NLB it is behind. */
  readonly targetGroups: Record<string, { readonly loadBalancer: string; readonly targetGroup: string }>;
  /** The roles the public API serves: a region where any of them has no healthy task cannot serve. */
  readonly publicRoles: readonly string[];
  readonly queues: Record<string, QueueWithDlq>;
  /** Queue role → oldest-message age (s) that means its consumer is not keeping up. */
  readonly maxQueueAgeSeconds: Record<string, number>;
  readonly database: { readonly engine: PostgresEngine; readonly identifier: string; readonly instanceClass: string };
  readonly cacheReplicationGroupId: string;
  /** NAT gateway ids by AZ. */
  readonly natGateways: Record<string, string>;
}

export class PaymentsMonitoring extends Construct {
  public readonly alarms: Alarms;
  public readonly dashboard: SystemDashboard;
  /** Plain metric alarms; the region's public API is healthy while none of them is in ALARM. */
  public readonly regionHealthAlarms: AlarmConstruct[] = [];

  constructor(scope: Construct, id: string, props: PaymentsMonitoringProps) {
    super(scope, id);
    const alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms = alarms;
    for (const [name, apiName] of [
      ['api', props.apiName],
      ['internal-api', props.internalApiName],
    ]) {
      const api = { kind: 'restApi' as const, apiName, stage: props.apiStage };
      alarms.apiGateway5xx(`${name}-5xx`, { api });
      alarms.latencyP99(`${name}-latency`, { source: api, thresholdMilliseconds: props.apiLatencyP99Ms });
    }

    for (const [role, { loadBalancer, targetGroup }] of Object.entries(props.targetGroups)) {
      const dimensions = { LoadBalancer: loadBalancer, TargetGroup: targetGroup };
      const hostCount = { namespace: 'AWS/NetworkELB', dimensions, evaluationPeriods: 3 };
      alarms.metric(`${role}-unhealthy-targets`, {
        ...hostCount,
        description: `${role} tasks failing the NLB health check`,
        metricName: 'UnHealthyHostCount',
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
      });
      if (!props.publicRoles.includes(role)) continue;
      this.regionHealthAlarms.push(
        alarms.metric(`${role}-no-healthy-targets`, {
          ...hostCount,
          description: `no ${role} task passes the NLB health check: this region's API cannot serve ${role} (DNS fails over)`,
          metricName: 'HealthyHostCount',
          statistic: 'Minimum',
          comparisonOperator: 'LessThanThreshold',
          threshold: 1,
          treatMissingData: 'breaching',
        }),
      );
    }
    this.regionHealthAlarms.push(
      alarms.metric('api-failing', {
        description: `more than half of the requests to ${props.apiName} fail with 5xx for 3 minutes (DNS fails over)`,
        namespace: 'AWS/ApiGateway',
        metricName: '5XXError',
        dimensions: { ApiName: props.apiName, Stage: props.apiStage },
        // 5XXError is 1 per failed request and 0 otherwise: its average is the failure rate.
        statistic: 'Average',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0.5,
        evaluationPeriods: 3,
        treatMissingData: 'notBreaching',
      }),
    );
    for (const [role, service] of Object.entries(props.services)) {
      alarms.ecsCpu(`${role}-cpu`, { clusterName: props.clusterName, serviceName: service });
    }
    for (const [role, queue] of Object.entries(props.queues)) {
      alarms.deadLetterQueue(`${role}-dlq`, { queueName: queue.deadLetterName });
      alarms.queueAge(`${role}-age`, { queueName: queue.name, maxAgeSeconds: props.maxQueueAgeSeconds[role] });
    }

    databaseAlarms(alarms, props.database);
    alarms.metric('cache-cpu', {
      description: 'Redis engine CPU above 80% for 10 minutes',
      namespace: 'AWS/ElastiCache',
      metricName: 'EngineCPUUtilization',
      dimensions: { ReplicationGroupId: props.cacheReplicationGroupId },
      statistic: 'Maximum',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 80,
      periodSeconds: 300,
      evaluationPeriods: 2,
    });
    for (const [az, natGatewayId] of Object.entries(props.natGateways)) {
      alarms.metric(`nat-${az}-port-allocation`, {
        description: `NAT gateway in ${az} cannot open connections (the processor's calls to the payment processor fail)`,
        namespace: 'AWS/NATGateway',
        metricName: 'ErrorPortAllocation',
        dimensions: { NatGatewayId: natGatewayId },
        statistic: 'Sum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
      });
    }

    this.dashboard = new SystemDashboard(this, 'dashboard', {
      name: props.prefix,
      widgets: dashboardWidgets(props, alarms.alarmArns),
    });
  }
}

function dashboardWidgets(props: PaymentsMonitoringProps, alarmArns: string[]): DashboardWidget[] {
  const perService = (metricName: string): WidgetMetric[] =>
    Object.entries(props.services).map(([role, service]) => ({
      namespace: 'AWS/ECS',
      metricName,
      dimensions: { ClusterName: props.clusterName, ServiceName: service },
      label: role,
    }));
  const perQueue = (metricName: string, dlq: boolean): WidgetMetric[] =>
    Object.entries(props.queues).map(([role, queue]) => ({
      namespace: 'AWS/SQS',
      metricName,
      dimensions: { QueueName: dlq ? queue.deadLetterName : queue.name },
      label: dlq ? `${role} DLQ` : role,
    }));
  return [
    {
      type: 'text',
      markdown: `# ${props.prefix}\npublic API → VPC link → NLB (TLS) → ECS web, external API; private API → VPC link → NLB (TLS) → internal API; SQS → processor → NAT → payment processor`,
    },
    { type: 'alarm', title: 'Alarms', alarmArns },
    ...apiGatewayWidgets({ name: props.apiName, stage: props.apiStage }),
    ...apiGatewayWidgets({ name: props.internalApiName, stage: props.apiStage }).map((w) =>
      'title' in w ? { ...w, title: `Internal ${w.title}` } : w,
    ),
    { type: 'metric', title: 'Service CPU (%)', stat: 'Average', metrics: perService('CPUUtilization') },
    { type: 'metric', title: 'Service memory (%)', stat: 'Average', metrics: perService('MemoryUtilization') },
    { type: 'metric', title: 'Queue depth', stat: 'Maximum', metrics: perQueue('ApproximateNumberOfMessagesVisible', false) },
    { type: 'metric', title: 'Dead-letter queues', stat: 'Maximum', metrics: perQueue('ApproximateNumberOfMessagesVisible', true) },
    databaseWidget(props.database),
    {
      type: 'metric',
      title: 'Cache',
      stat: 'Average',
      metrics: ['EngineCPUUtilization', 'CacheHitRate', 'CurrConnections'].map((metricName) => ({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensions: { ReplicationGroupId: props.cacheReplicationGroupId },
      })),
    },
    {
      type: 'log',
      title: 'Service errors',
      logGroupNames: Object.values(props.logGroups),
      query: 'fields @timestamp, @log, @message | filter @message like /(?i)(error|exception)/ | sort @timestamp desc | limit 50',
    },
  ];
}
