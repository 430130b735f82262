import type { Construct } from 'constructs';
import { DeadLetterQueueAlarm, EcsCpuAlarm, LambdaErrorsAlarm, QueueAgeAlarm, RdsConnectionsAlarm } from './workload-alarms.js';
import { synth, resourcesOf, type TfJson } from '../../../test/modules/synth-json.js';

const alarms = (json: TfJson) => resourcesOf(json, 'aws_cloudwatch_metric_alarm');
const one = (build: (scope: Construct) => void) => alarms(synth(build))[0];
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';
const notify = { alarm_actions: [TOPIC], ok_actions: [TOPIC] };

describe('QueueAgeAlarm', () => {
  test('GIVEN a queue WHEN synthesized THEN the oldest message above 5 minutes for 3 minutes alarms', () => {
    expect(one((s) => new QueueAgeAlarm(s, 'age', { alarmTopicArn: TOPIC, queueName: 'orders' }))).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: 'orders' },
      statistic: 'Maximum',
      threshold: 300,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      ...notify,
    });
  });

  test('GIVEN a maximum age WHEN synthesized THEN it is the threshold', () => {
    expect(one((s) => new QueueAgeAlarm(s, 'age', { alarmTopicArn: TOPIC, queueName: 'orders.fifo', maxAgeSeconds: 60 })).threshold).toBe(
      60,
    );
  });

  test('GIVEN a queue URL and a negative age WHEN constructed THEN one error lists both', () => {
    expect(() =>
      synth((s) => new QueueAgeAlarm(s, 'age', { alarmTopicArn: TOPIC, queueName: 'https://sqs/orders', maxAgeSeconds: -1 })),
    ).toThrow(
      'QueueAgeAlarm stack/age: queueName must be an SQS queue name (not a URL or ARN) (got "https://sqs/orders"); maxAgeSeconds must be an integer between 1 and 1209600 (got -1)',
    );
  });
});

describe('DeadLetterQueueAlarm', () => {
  test('GIVEN a dead-letter queue WHEN synthesized THEN one visible message in one minute alarms and silence is fine', () => {
    expect(one((s) => new DeadLetterQueueAlarm(s, 'dlq', { alarmTopicArn: TOPIC, queueName: 'orders-dlq' }))).toMatchObject({
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'orders-dlq' },
      statistic: 'Maximum',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
    });
  });

  test('GIVEN an ARN for the queue name WHEN constructed THEN it is refused', () => {
    expect(() =>
      synth((s) => new DeadLetterQueueAlarm(s, 'dlq', { alarmTopicArn: TOPIC, queueName: 'arn:aws:sqs:eu-west-1:123456789012:dlq' })),
    ).toThrow(
      'DeadLetterQueueAlarm stack/dlq: queueName must be an SQS queue name (not a URL or ARN) (got "arn:aws:sqs:eu-west-1:123456789012:dlq")',
    );
  });
});

describe('EcsCpuAlarm', () => {
  test('GIVEN a service WHEN synthesized THEN average CPU above 80% for 5 minutes alarms', () => {
    expect(one((s) => new EcsCpuAlarm(s, 'cpu', { alarmTopicArn: TOPIC, clusterName: 'main', serviceName: 'api' }))).toMatchObject({
      namespace: 'AWS/ECS',
      metric_name: 'CPUUtilization',
      dimensions: { ClusterName: 'main', ServiceName: 'api' },
      statistic: 'Average',
      threshold: 80,
      evaluation_periods: 5,
      datapoints_to_alarm: 5,
      treat_missing_data: 'missing',
    });
  });

  test('GIVEN a threshold WHEN synthesized THEN it is used; GIVEN bad names THEN one error lists them', () => {
    expect(
      one((s) => new EcsCpuAlarm(s, 'cpu', { alarmTopicArn: TOPIC, clusterName: 'main', serviceName: 'api', thresholdPercent: 60 }))
        .threshold,
    ).toBe(60);
    expect(() =>
      synth((s) => new EcsCpuAlarm(s, 'cpu', { alarmTopicArn: TOPIC, clusterName: 'a b', serviceName: '', thresholdPercent: 101 })),
    ).toThrow(
      'EcsCpuAlarm stack/cpu: clusterName must be 1-255 letters, digits, _- (got "a b"); serviceName must be 1-255 letters, digits, _- (got ""); thresholdPercent must be between 1 and 100 (got 101)',
    );
  });
});

describe('RdsConnectionsAlarm', () => {
  test('GIVEN an instance WHEN synthesized THEN maximum connections by DBInstanceIdentifier for 3 minutes alarms', () => {
    expect(
      one(
        (s) =>
          new RdsConnectionsAlarm(s, 'db', {
            alarmTopicArn: TOPIC,
            database: { kind: 'instance', identifier: 'orders-db' },
            maxConnections: 400,
          }),
      ),
    ).toMatchObject({
      namespace: 'AWS/RDS',
      metric_name: 'DatabaseConnections',
      dimensions: { DBInstanceIdentifier: 'orders-db' },
      statistic: 'Maximum',
      threshold: 400,
      evaluation_periods: 3,
      treat_missing_data: 'missing',
    });
  });

  test('GIVEN a cluster WHEN synthesized THEN the DBClusterIdentifier dimension is used', () => {
    const alarm = one(
      (s) =>
        new RdsConnectionsAlarm(s, 'db', {
          alarmTopicArn: TOPIC,
          database: { kind: 'cluster', identifier: 'orders' },
          maxConnections: 900,
        }),
    );
    expect(alarm.dimensions).toEqual({ DBClusterIdentifier: 'orders' });
  });

  test('GIVEN a bad kind, identifier and limit WHEN constructed THEN one error lists them', () => {
    expect(() =>
      synth(
        (s) =>
          new RdsConnectionsAlarm(s, 'db', {
            alarmTopicArn: TOPIC,
            database: { kind: 'proxy' as never, identifier: '1db' },
            maxConnections: 0,
          }),
      ),
    ).toThrow(
      'RdsConnectionsAlarm stack/db: database.kind must be one of "instance", "cluster" (got "proxy"); ' +
        'database.identifier must be an RDS identifier (letter first, then letters, digits, hyphens; max 63) (got "1db"); ' +
        'maxConnections must be an integer between 1 and 100000 (got 0)',
    );
  });
});

describe('LambdaErrorsAlarm', () => {
  test('GIVEN a function WHEN synthesized THEN any error in a minute alarms and silence is fine', () => {
    expect(one((s) => new LambdaErrorsAlarm(s, 'errors', { alarmTopicArn: TOPIC, functionName: 'resize' }))).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: 'resize' },
      statistic: 'Sum',
      threshold: 0,
      evaluation_periods: 1,
      treat_missing_data: 'notBreaching',
      ...notify,
    });
  });

  test('GIVEN a tolerance WHEN synthesized THEN it is the threshold; GIVEN an ARN THEN it is refused', () => {
    expect(one((s) => new LambdaErrorsAlarm(s, 'errors', { alarmTopicArn: TOPIC, functionName: 'resize', maxErrors: 5 })).threshold).toBe(
      5,
    );
    expect(() =>
      synth(
        (s) =>
          new LambdaErrorsAlarm(s, 'errors', {
            alarmTopicArn: TOPIC,
            functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:resize',
          }),
      ),
    ).toThrow(/functionName must be a Lambda function name \(1-64 letters, digits, _-; not an ARN\) \(got "arn:aws:lambda:/);
  });
});
