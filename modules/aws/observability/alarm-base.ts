// What every alarm shares: it notifies one SNS topic on ALARM and on OK (so on-call sees
// recoveries), has a stable name, and its evaluation window is validated before AWS rejects it.
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { isUnresolved, PropProblems } from '../../core/validation.js';

export const TREAT_MISSING_DATA = ['missing', 'ignore', 'breaching', 'notBreaching'] as const;
export type TreatMissingData = (typeof TREAT_MISSING_DATA)[number];
export const COMPARISON_OPERATORS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export const STATISTICS = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** Options every alarm takes. */
export interface AlarmOptions {
  /** SNS topic ARN notified on ALARM and on OK. */
  readonly alarmTopicArn: string;
  /** Existing SNS topics (same region) notified as well, e.g. an organisation's on-call topic. @default none */
  readonly alsoNotifyArns?: readonly string[];
  /** @default the construct path with "/" replaced by "-" */
  readonly alarmName?: string;
  /** @default a sentence saying what the alarm watches */
  readonly description?: string;
  /** Seconds per datapoint: a multiple of 60 (AWS service metrics are per minute). @default 60 */
  readonly periodSeconds?: number;
  /** Datapoints evaluated. @default depends on the alarm (documented on each) */
  readonly evaluationPeriods?: number;
  /**
   * Breaching datapoints (of `evaluationPeriods`) that raise the alarm.
   * @default 3 of 5 for the rate and latency alarms (while evaluationPeriods is not overridden), else evaluationPeriods
   */
  readonly datapointsToAlarm?: number;
  /** @default depends on the alarm: 'notBreaching' where no data means no traffic */
  readonly treatMissingData?: TreatMissingData;
}

export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Record<string, string>;
}

/** What a specific alarm contributes; the options fill in the rest. */
export interface AlarmSpec {
  readonly description: string;
  readonly comparisonOperator: ComparisonOperator;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** Used only while `evaluationPeriods` is not overridden. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  /** A single metric with a statistic (`Sum`) or a percentile (`p99`)... */
  readonly metric?: MetricSpec & { readonly statistic: string };
  /** ...or a metric-math expression over metrics keyed by id (lowercase ids, e.g. `errors`). */
  readonly math?: {
    readonly expression: string;
    readonly label: string;
    readonly metrics: Record<string, MetricSpec & { readonly stat: string }>;
  };
}

const SNS_ARN = /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(\.fifo)?$/;

/** Base of every alarm construct: validates the options plus the subclass's own props, then creates the alarm. */
export abstract class AlarmConstruct extends Construct {
  readonly alarm: CloudwatchMetricAlarm;
  readonly arn: string;
  readonly alarmName: string;

  /** `describe` validates the subclass's props into `problems` and returns the alarm it wants. */
  protected constructor(
    scope: Construct,
    id: string,
    className: string,
    options: AlarmOptions,
    describe: (problems: PropProblems) => AlarmSpec,
  ) {
    super(scope, id);
    const problems = new PropProblems(this, className);
    const spec = describe(problems);
    const name = options.alarmName ?? this.node.path.replace(/\//g, '-');
    const period = options.periodSeconds ?? 60;
    const evaluationPeriods = options.evaluationPeriods ?? spec.evaluationPeriods;
    const datapointsToAlarm =
      options.datapointsToAlarm ??
      (options.evaluationPeriods === undefined ? (spec.datapointsToAlarm ?? evaluationPeriods) : evaluationPeriods);
    problems
      .matches('alarmTopicArn', options.alarmTopicArn, SNS_ARN, 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)')
      .check(
        (options.alsoNotifyArns ?? []).every((arn) => isUnresolved(arn) || SNS_ARN.test(arn)),
        `alsoNotifyArns must be SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>) (got ${JSON.stringify(options.alsoNotifyArns)})`,
      )
      .matches(
        'alarmName',
        name,
        /^[^\p{Cc}]{1,255}$/u,
        '1-255 printable characters (the default comes from the construct path: pass alarmName when it is too long)',
      )
      .check(
        period % 60 === 0 && period >= 60 && period <= 86400,
        `periodSeconds must be a multiple of 60 between 60 and 86400 (got ${period})`,
        period,
      )
      .range('evaluationPeriods', evaluationPeriods, 1, 100)
      .check(
        Number.isInteger(datapointsToAlarm) && datapointsToAlarm >= 1 && datapointsToAlarm <= evaluationPeriods,
        `datapointsToAlarm must be an integer between 1 and evaluationPeriods (${evaluationPeriods}) (got ${datapointsToAlarm})`,
        [datapointsToAlarm, evaluationPeriods],
      )
      .oneOf('treatMissingData', options.treatMissingData, TREAT_MISSING_DATA)
      .check(
        period * evaluationPeriods <= (period >= 3600 ? 7 * 86400 : 86400),
        `periodSeconds × evaluationPeriods must cover at most 1 day (7 days for periods of an hour or more) (got ${period} × ${evaluationPeriods} = ${period * evaluationPeriods} s)`,
        [period, evaluationPeriods],
      );
    problems.throwIfAny();

    this.alarm = new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: name,
      alarmDescription: options.description ?? spec.description,
      comparisonOperator: spec.comparisonOperator,
      threshold: spec.threshold,
      evaluationPeriods,
      datapointsToAlarm,
      treatMissingData: options.treatMissingData ?? spec.treatMissingData,
      alarmActions: [options.alarmTopicArn, ...(options.alsoNotifyArns ?? [])],
      okActions: [options.alarmTopicArn, ...(options.alsoNotifyArns ?? [])],
      ...metricConfig(spec, period),
    });
    this.arn = this.alarm.arn;
    this.alarmName = this.alarm.alarmName;
  }
}

function metricConfig(spec: AlarmSpec, period: number) {
  if (spec.metric) {
    const { namespace, metricName, dimensions, statistic } = spec.metric;
    const percentile = /^p\d/.test(statistic);
    return {
      namespace,
      metricName,
      dimensions,
      period,
      statistic: percentile ? undefined : statistic,
      extendedStatistic: percentile ? statistic : undefined,
    };
  }
  const math = spec.math!;
  return {
    metricQuery: [
      { id: 'result', expression: math.expression, label: math.label, returnData: true },
      ...Object.entries(math.metrics).map(([id, m]) => ({
        id,
        returnData: false,
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, stat: m.stat, period },
      })),
    ],
  };
}

/** Dimension values are names, not ARNs or URLs: the shapes each kind accepts. */
const DIMENSION_NAMES = {
  loadBalancerArnSuffix: {
    pattern: /^app\/[\w-]{1,32}\/[0-9a-f]{1,32}$/,
    what: 'an ALB ARN suffix like "app/my-alb/50dc6c495c0c9188" (the load balancer\'s arn_suffix)',
  },
  restApiName: { pattern: /^.{1,1024}$/, what: '1-1024 characters' },
  httpApiId: { pattern: /^[a-z0-9]{10}$/, what: 'a 10-character API id' },
  stage: { pattern: /^[\w$-]{1,128}$/, what: '1-128 letters, digits, _-$' },
  functionName: { pattern: /^[\w-]{1,64}$/, what: 'a Lambda function name (1-64 letters, digits, _-; not an ARN)' },
  queueName: { pattern: /^[\w-]{1,80}(\.fifo)?$/, what: 'an SQS queue name (not a URL or ARN)' },
  ecsName: { pattern: /^[\w-]{1,255}$/, what: '1-255 letters, digits, _-' },
  dbIdentifier: {
    pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
    what: 'an RDS identifier (letter first, then letters, digits, hyphens; max 63)',
  },
} as const;

export function checkDimension(problems: PropProblems, prop: string, value: string, kind: keyof typeof DIMENSION_NAMES): void {
  problems.matches(prop, value, DIMENSION_NAMES[kind].pattern, DIMENSION_NAMES[kind].what);
}
