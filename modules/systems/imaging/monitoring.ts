// CloudWatch for imaging (seed 001 "Monitoring and Alerting"): alarms on the front end, the
// private API, the functions and the request queue; a dashboard; and saved Logs Insights queries
// for performance work ("CloudWatch insights will be used for performance monitoring").
import { Construct } from 'constructs';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition/index.js';
import type { LambdaFunction } from '../../aws/api/lambda-function.js';
import type { QueueWithDlq } from '../../aws/messaging/queue.js';
import { Alarms } from '../../aws/observability/alarms.js';
import {
  apiGatewayWidgets,
  lambdaWidgets,
  SystemDashboard,
  type DashboardWidget,
  type WidgetMetric,
} from '../../aws/observability/dashboard.js';

export interface ImagingMonitoringProps {
  readonly prefix: string;
  readonly alarmTopicArn: string;
  /** Existing SNS topics every alarm notifies as well (the environment's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
  readonly requests: QueueWithDlq;
  /** Name of the queue catching failed asynchronous invocations. */
  readonly asyncFailuresQueueName: string;
  readonly functions: Record<string, LambdaFunction>;
  readonly api: { readonly name: string; readonly stage: string; readonly accessLogGroupName: string };
  readonly loadBalancerArnSuffix: string;
  readonly ecs: { readonly clusterName: string; readonly serviceName: string; readonly logGroupName: string };
}

export class ImagingMonitoring extends Construct {
  public readonly alarms: Alarms;
  public readonly dashboard: SystemDashboard;

  constructor(scope: Construct, id: string, props: ImagingMonitoringProps) {
    super(scope, id);
    const { requests } = props;
    const restApi = { kind: 'restApi' as const, apiName: props.api.name, stage: props.api.stage };
    const alb = { kind: 'alb' as const, loadBalancerArnSuffix: props.loadBalancerArnSuffix };
    this.alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms.deadLetterQueue('requests-dlq-depth', { queueName: requests.deadLetterName });
    this.alarms.deadLetterQueue('async-failures-depth', { queueName: props.asyncFailuresQueueName });
    this.alarms.queueAge('requests-age', { queueName: requests.name, maxAgeSeconds: 2 * requests.visibilityTimeoutSeconds });
    for (const [role, fn] of Object.entries(props.functions)) this.alarms.lambdaErrors(`${role}-errors`, { functionName: fn.name });
    this.alarms.apiGateway5xx('api-5xx', { api: restApi });
    this.alarms.loadBalancer5xx('frontend-5xx', { loadBalancerArnSuffix: props.loadBalancerArnSuffix });
    this.alarms.latencyP99('frontend-latency', { source: alb, thresholdMilliseconds: 2000 });
    this.alarms.ecsCpu('frontend-cpu', { clusterName: props.ecs.clusterName, serviceName: props.ecs.serviceName });

    const metric = (namespace: string, metricName: string, dimensions: Record<string, string>, label?: string): WidgetMetric => ({
      namespace,
      metricName,
      dimensions,
      label,
    });
    const albMetric = (name: string) => metric('AWS/ApplicationELB', name, { LoadBalancer: props.loadBalancerArnSuffix });
    const ecsMetric = (name: string) =>
      metric('AWS/ECS', name, { ClusterName: props.ecs.clusterName, ServiceName: props.ecs.serviceName }, name);
    const widgets: DashboardWidget[] = [
      {
        type: 'text',
        markdown: `# ${props.prefix}\nCloudFront → S3 images · ALB → Fargate front end → private API → Lambda · SQS FIFO → renderer`,
      },
      { type: 'alarm', title: 'Alarms', alarmArns: this.alarms.alarmArns },
      {
        type: 'metric',
        title: 'Front end requests and 5xx',
        stat: 'Sum',
        metrics: [albMetric('RequestCount'), albMetric('HTTPCode_ELB_5XX_Count'), albMetric('HTTPCode_Target_5XX_Count')],
      },
      { type: 'metric', title: 'Front end response time p99 (s)', stat: 'p99', metrics: [albMetric('TargetResponseTime')] },
      { type: 'metric', title: 'Front end tasks (%)', metrics: [ecsMetric('CPUUtilization'), ecsMetric('MemoryUtilization')] },
      ...apiGatewayWidgets(props.api),
      {
        type: 'metric',
        title: 'Image requests',
        stat: 'Maximum',
        metrics: [
          metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: requests.name }, 'waiting'),
          metric('AWS/SQS', 'ApproximateAgeOfOldestMessage', { QueueName: requests.name }, 'oldest (s)'),
          metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible', { QueueName: requests.deadLetterName }, 'dead letters'),
        ],
      },
      ...lambdaWidgets(props.functions),
      {
        type: 'log',
        title: 'Slowest API requests',
        logGroupNames: [props.api.accessLogGroupName],
        query: 'fields @timestamp, httpMethod, resourcePath, status, responseLatency | sort responseLatency desc | limit 20',
      },
    ];
    this.dashboard = new SystemDashboard(this, 'dashboard', { name: props.prefix, widgets });

    new CloudwatchQueryDefinition(this, 'query-api-latency', {
      name: `${props.prefix}/api-latency-by-route`,
      logGroupNames: [props.api.accessLogGroupName],
      queryString:
        'stats avg(responseLatency) as avg_ms, pct(responseLatency, 99) as p99_ms, count(*) as requests by resourcePath, httpMethod | sort p99_ms desc',
    });
    new CloudwatchQueryDefinition(this, 'query-render-duration', {
      name: `${props.prefix}/render-duration`,
      logGroupNames: [props.functions.processor!.logGroup.name],
      queryString:
        // JSON log format: the platform report is a record of type platform.report.
        'filter type = "platform.report" | stats avg(record.metrics.durationMs) as avg_ms, pct(record.metrics.durationMs, 99) as p99_ms, max(record.metrics.maxMemoryUsedMB) as max_mb by bin(1h)',
    });
    new CloudwatchQueryDefinition(this, 'query-frontend-errors', {
      name: `${props.prefix}/frontend-errors`,
      logGroupNames: [props.ecs.logGroupName],
      queryString: 'fields @timestamp, @message | filter @message like /(?i)error/ | sort @timestamp desc | limit 100',
    });
  }
}
