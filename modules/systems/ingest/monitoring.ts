// What on-call watches for ingest: messages that gave up (DLQ depth), a consumer falling behind
// (age of the oldest message), failing functions, and the API answering 5xx; one dashboard.
import { Construct } from 'constructs';
import type { LambdaFunction } from '../../aws/api/lambda-function.js';
import type { QueueWithDlq } from '../../aws/messaging/queue.js';
import { Alarms } from '../../aws/observability/alarms.js';
import { apiGatewayWidgets, lambdaWidgets, SystemDashboard, type DashboardWidget } from '../../aws/observability/dashboard.js';

export interface IngestMonitoringProps {
  readonly prefix: string;
  readonly alarmTopicArn: string;
  /** Existing SNS topics every alarm notifies as well (the environment's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
  readonly queue: QueueWithDlq;
  /** Functions by role (`receiver`, `consumer`, `authorizer`). */
  readonly functions: Record<string, LambdaFunction>;
  readonly apiName: string;
  readonly stageName: string;
  /** Oldest-message age that means the consumer is stuck. */
  readonly maxQueueAgeSeconds: number;
}

export class IngestMonitoring extends Construct {
  public readonly alarms: Alarms;
  public readonly dashboard: SystemDashboard;

  constructor(scope: Construct, id: string, props: IngestMonitoringProps) {
    super(scope, id);
    const { queue } = props;
    this.alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms.deadLetterQueue('dlq-depth', { queueName: queue.deadLetterName });
    this.alarms.queueAge('queue-age', { queueName: queue.name, maxAgeSeconds: props.maxQueueAgeSeconds });
    for (const [role, fn] of Object.entries(props.functions)) this.alarms.lambdaErrors(`${role}-errors`, { functionName: fn.name });
    const api = { kind: 'restApi' as const, apiName: props.apiName, stage: props.stageName };
    this.alarms.apiGateway5xx('api-5xx', { api });

    const sqs = (metricName: string, queueName: string, label: string) => ({
      namespace: 'AWS/SQS',
      metricName,
      dimensions: { QueueName: queueName },
      label,
    });
    const widgets: DashboardWidget[] = [
      { type: 'text', markdown: `# ${props.prefix}\nOn-premise source → API Gateway → SQS (+ DLQ) → consumer Lambda` },
      { type: 'alarm', title: 'Alarms', alarmArns: this.alarms.alarmArns },
      ...apiGatewayWidgets({ name: props.apiName, stage: props.stageName }),
      {
        type: 'metric',
        title: 'Queue depth',
        stat: 'Maximum',
        metrics: [
          sqs('ApproximateNumberOfMessagesVisible', queue.name, 'work queue'),
          sqs('ApproximateNumberOfMessagesVisible', queue.deadLetterName, 'dead-letter queue'),
        ],
      },
      {
        type: 'metric',
        title: 'Oldest message (s)',
        stat: 'Maximum',
        metrics: [sqs('ApproximateAgeOfOldestMessage', queue.name, 'work queue')],
      },
      ...lambdaWidgets(props.functions),
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
