// Alarms on the work behind the request path: queues, containers, databases and functions.
import type { Construct } from 'constructs';
import { AlarmConstruct, checkDimension, type AlarmOptions } from './alarm-base.js';

export interface QueueAgeAlarmProps extends AlarmOptions {
  readonly queueName: string;
  /** Age of the oldest message above which consumers are considered stuck. @default 300 */
  readonly maxAgeSeconds?: number;
}

/** SQS ApproximateAgeOfOldestMessage above `maxAgeSeconds`; 3 consecutive minutes by default. */
export class QueueAgeAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: QueueAgeAlarmProps) {
    super(scope, id, 'QueueAgeAlarm', props, (p) => {
      checkDimension(p, 'queueName', props.queueName, 'queueName');
      p.range('maxAgeSeconds', props.maxAgeSeconds, 1, 1_209_600);
      const maxAge = props.maxAgeSeconds ?? 300;
      return {
        description: `Oldest message in SQS queue ${props.queueName} older than ${maxAge} s`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: maxAge,
        evaluationPeriods: 3,
        treatMissingData: 'notBreaching',
        metric: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensions: { QueueName: props.queueName },
          statistic: 'Maximum',
        },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------
export interface DeadLetterQueueAlarmProps extends AlarmOptions {
  /** Name of the dead-letter queue. */
  readonly queueName: string;
}

/** Any message in a dead-letter queue (visible messages > 0 in one minute). */
export class DeadLetterQueueAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: DeadLetterQueueAlarmProps) {
    super(scope, id, 'DeadLetterQueueAlarm', props, (p) => {
      checkDimension(p, 'queueName', props.queueName, 'queueName');
      return {
        description: `Messages in dead-letter queue ${props.queueName}`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metric: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: props.queueName },
          statistic: 'Maximum',
        },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------
export interface EcsCpuAlarmProps extends AlarmOptions {
  readonly clusterName: string;
  readonly serviceName: string;
  /** Average CPU utilisation of the service's tasks, in percent. @default 80 */
  readonly thresholdPercent?: number;
}

/** ECS service average CPU above a percentage for 5 consecutive minutes by default. */
export class EcsCpuAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: EcsCpuAlarmProps) {
    super(scope, id, 'EcsCpuAlarm', props, (p) => {
      checkDimension(p, 'clusterName', props.clusterName, 'ecsName');
      checkDimension(p, 'serviceName', props.serviceName, 'ecsName');
      p.range('thresholdPercent', props.thresholdPercent, 1, 100, false);
      const threshold = props.thresholdPercent ?? 80;
      return {
        description: `ECS service ${props.clusterName}/${props.serviceName} CPU above ${threshold}%`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        evaluationPeriods: 5,
        treatMissingData: 'missing',
        metric: {
          namespace: 'AWS/ECS',
          metricName: 'CPUUtilization',
          dimensions: { ClusterName: props.clusterName, ServiceName: props.serviceName },
          statistic: 'Average',
        },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------
export type DatabaseRef = { readonly kind: 'instance' | 'cluster'; readonly identifier: string };

export interface RdsConnectionsAlarmProps extends AlarmOptions {
  readonly database: DatabaseRef;
  /** Connections above which the alarm fires (set below the engine's max_connections for the instance class). */
  readonly maxConnections: number;
}

/** RDS DatabaseConnections (maximum) above `maxConnections`; 3 consecutive minutes by default. */
export class RdsConnectionsAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: RdsConnectionsAlarmProps) {
    super(scope, id, 'RdsConnectionsAlarm', props, (p) => {
      p.oneOf('database.kind', props.database.kind, ['instance', 'cluster'] as const);
      checkDimension(p, 'database.identifier', props.database.identifier, 'dbIdentifier');
      p.range('maxConnections', props.maxConnections, 1, 100_000);
      const dimension = props.database.kind === 'cluster' ? 'DBClusterIdentifier' : 'DBInstanceIdentifier';
      return {
        description: `RDS ${props.database.kind} ${props.database.identifier} connections above ${props.maxConnections}`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: props.maxConnections,
        evaluationPeriods: 3,
        treatMissingData: 'missing',
        metric: {
          namespace: 'AWS/RDS',
          metricName: 'DatabaseConnections',
          dimensions: { [dimension]: props.database.identifier },
          statistic: 'Maximum',
        },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------
export interface LambdaErrorsAlarmProps extends AlarmOptions {
  readonly functionName: string;
  /** Errors per period tolerated before alarming. @default 0 (any error) */
  readonly maxErrors?: number;
}

/** Lambda Errors (sum per period) above `maxErrors`; a single minute by default. */
export class LambdaErrorsAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: LambdaErrorsAlarmProps) {
    super(scope, id, 'LambdaErrorsAlarm', props, (p) => {
      checkDimension(p, 'functionName', props.functionName, 'functionName');
      p.range('maxErrors', props.maxErrors, 0, 1_000_000);
      const maxErrors = props.maxErrors ?? 0;
      return {
        description: `Lambda ${props.functionName} errors above ${maxErrors} per period`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: maxErrors,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: props.functionName }, statistic: 'Sum' },
      };
    });
  }
}
