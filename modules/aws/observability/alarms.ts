// Typed alarms for the failure signals every system watches, and a factory naming the topic once.
// Each notifies `alarmTopicArn` on ALARM and OK; thresholds default to values worth waking someone
// for and can be overridden.
import { Construct } from 'constructs';
import { AlarmConstruct, COMPARISON_OPERATORS, STATISTICS, type AlarmOptions, type ComparisonOperator } from './alarm-base.js';
import {
  ApiGateway5xxAlarm,
  LatencyP99Alarm,
  LoadBalancer5xxAlarm,
  type ApiGateway5xxAlarmProps,
  type LatencyP99AlarmProps,
  type LoadBalancer5xxAlarmProps,
} from './http-alarms.js';
import {
  DeadLetterQueueAlarm,
  EcsCpuAlarm,
  LambdaErrorsAlarm,
  QueueAgeAlarm,
  RdsConnectionsAlarm,
  type DeadLetterQueueAlarmProps,
  type EcsCpuAlarmProps,
  type LambdaErrorsAlarmProps,
  type QueueAgeAlarmProps,
  type RdsConnectionsAlarmProps,
} from './workload-alarms.js';

export * from './http-alarms.js';
export * from './workload-alarms.js';

/** Any single CloudWatch metric against a threshold. */
export interface MetricAlarmProps extends AlarmOptions {
  readonly namespace: string;
  readonly metricName: string;
  /** @default none */
  readonly dimensions?: Record<string, string>;
  /** One of STATISTICS or a percentile like `p99`, `p99.9`. */
  readonly statistic: string;
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
}

/** A generic alarm (defaults: 1 evaluation period, missing data kept as missing). */
export class MetricAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: MetricAlarmProps) {
    super(scope, id, 'MetricAlarm', props, (p) => {
      p.matches('namespace', props.namespace, /^[^:].{0,254}$/, '1-255 characters not starting with ":"')
        .matches('metricName', props.metricName, /^.{1,255}$/, '1-255 characters')
        .oneOf('comparisonOperator', props.comparisonOperator, COMPARISON_OPERATORS)
        .check(
          (STATISTICS as readonly string[]).includes(props.statistic) || /^p(\d{1,2}(\.\d{1,10})?|100)$/.test(props.statistic),
          `statistic must be one of ${STATISTICS.join(', ')} or a percentile like p99 (got ${JSON.stringify(props.statistic)})`,
          props.statistic,
        );
      return {
        description: `${props.namespace} ${props.metricName} ${props.statistic} ${props.comparisonOperator} ${props.threshold}`,
        comparisonOperator: props.comparisonOperator,
        threshold: props.threshold,
        evaluationPeriods: 1,
        treatMissingData: 'missing',
        metric: { namespace: props.namespace, metricName: props.metricName, dimensions: props.dimensions, statistic: props.statistic },
      };
    });
  }
}

type Without<P> = Omit<P, 'alarmTopicArn' | 'alsoNotifyArns'>;

/** Where every alarm of an `Alarms` goes. */
export interface AlarmsProps {
  readonly alarmTopicArn: string;
  /** Existing SNS topics (same region) every alarm notifies as well. @default none */
  readonly alsoNotifyArns?: readonly string[];
}

/** Creates alarms that all notify one topic, so callers name the topic once. */
export class Alarms extends Construct {
  readonly alarmTopicArn: string;
  readonly alsoNotifyArns: readonly string[];
  /** Every alarm created, by construct id. */
  readonly created = new Map<string, AlarmConstruct>();

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.alarmTopicArn = props.alarmTopicArn;
    this.alsoNotifyArns = props.alsoNotifyArns ?? [];
  }

  metric(id: string, props: Without<MetricAlarmProps>) {
    return this.keep(id, new MetricAlarm(this, id, this.with(props)));
  }
  loadBalancer5xx(id: string, props: Without<LoadBalancer5xxAlarmProps>) {
    return this.keep(id, new LoadBalancer5xxAlarm(this, id, this.with(props)));
  }
  apiGateway5xx(id: string, props: Without<ApiGateway5xxAlarmProps>) {
    return this.keep(id, new ApiGateway5xxAlarm(this, id, this.with(props)));
  }
  latencyP99(id: string, props: Without<LatencyP99AlarmProps>) {
    return this.keep(id, new LatencyP99Alarm(this, id, this.with(props)));
  }
  queueAge(id: string, props: Without<QueueAgeAlarmProps>) {
    return this.keep(id, new QueueAgeAlarm(this, id, this.with(props)));
  }
  deadLetterQueue(id: string, props: Without<DeadLetterQueueAlarmProps>) {
    return this.keep(id, new DeadLetterQueueAlarm(this, id, this.with(props)));
  }
  ecsCpu(id: string, props: Without<EcsCpuAlarmProps>) {
    return this.keep(id, new EcsCpuAlarm(this, id, this.with(props)));
  }
  rdsConnections(id: string, props: Without<RdsConnectionsAlarmProps>) {
    return this.keep(id, new RdsConnectionsAlarm(this, id, this.with(props)));
  }
  lambdaErrors(id: string, props: Without<LambdaErrorsAlarmProps>) {
    return this.keep(id, new LambdaErrorsAlarm(this, id, this.with(props)));
  }

  /** Every created alarm's ARN, e.g. for a dashboard alarm widget. */
  get alarmArns(): string[] {
    return [...this.created.values()].map((a) => a.arn);
  }

  private with<P>(props: P): P & Required<AlarmsProps> {
    return { ...props, alarmTopicArn: this.alarmTopicArn, alsoNotifyArns: this.alsoNotifyArns };
  }

  private keep<A extends AlarmConstruct>(id: string, alarm: A): A {
    this.created.set(id, alarm);
    return alarm;
  }
}
