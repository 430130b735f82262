import type { Construct } from 'constructs';
import { Alarms, MetricAlarm } from './alarms.js';
import { synth, resourcesOf, type TfJson } from '../../../test/modules/synth-json.js';

const alarms = (json: TfJson) => resourcesOf(json, 'aws_cloudwatch_metric_alarm');
const one = (build: (scope: Construct) => void) => alarms(synth(build))[0];
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';
const ALB = 'app/orders/50dc6c495c0c9188';
const notify = { alarm_actions: [TOPIC], ok_actions: [TOPIC] };

describe('MetricAlarm', () => {
  test('GIVEN a metric and a statistic WHEN synthesized THEN the alarm watches it with missing data kept as missing', () => {
    const alarm = one(
      (s) =>
        new MetricAlarm(s, 'm', {
          alarmTopicArn: TOPIC,
          namespace: 'Custom/Orders',
          metricName: 'Failed',
          dimensions: { Shop: 'eu' },
          statistic: 'Sum',
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          threshold: 3,
        }),
    );
    expect(alarm).toMatchObject({
      ...notify,
      namespace: 'Custom/Orders',
      metric_name: 'Failed',
      dimensions: { Shop: 'eu' },
      statistic: 'Sum',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 3,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      period: 60,
      treat_missing_data: 'missing',
    });
    expect(alarm.extended_statistic).toBeUndefined();
  });

  test('GIVEN a percentile WHEN synthesized THEN it is an extended statistic', () => {
    const alarm = one(
      (s) =>
        new MetricAlarm(s, 'm', {
          alarmTopicArn: TOPIC,
          namespace: 'N',
          metricName: 'M',
          statistic: 'p99.9',
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 1,
        }),
    );
    expect(alarm.extended_statistic).toBe('p99.9');
    expect(alarm.statistic).toBeUndefined();
  });

  test('GIVEN a bad statistic, operator and namespace WHEN constructed THEN one error lists them with the allowed values', () => {
    expect(() =>
      synth(
        (s) =>
          new MetricAlarm(s, 'm', {
            alarmTopicArn: TOPIC,
            namespace: ':bad',
            metricName: 'M',
            statistic: 'Median',
            comparisonOperator: 'Above' as never,
            threshold: 1,
          }),
      ),
    ).toThrow(
      'MetricAlarm stack/m: namespace must be 1-255 characters not starting with ":" (got ":bad"); ' +
        'comparisonOperator must be one of "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold" (got "Above"); ' +
        'statistic must be one of Average, Sum, Minimum, Maximum, SampleCount or a percentile like p99 (got "Median")',
    );
  });
});

describe('Alarms factory', () => {
  test('GIVEN a topic once WHEN alarms are created THEN each notifies it and is listed by id', () => {
    let factory: Alarms | undefined;
    const json = synth((s) => {
      factory = new Alarms(s, 'alarms', { alarmTopicArn: TOPIC });
      factory.loadBalancer5xx('alb-5xx', { loadBalancerArnSuffix: ALB });
      factory.apiGateway5xx('api-5xx', { api: { kind: 'restApi', apiName: 'orders', stage: 'prod' } });
      factory.latencyP99('api-latency', { source: { kind: 'restApi', apiName: 'orders', stage: 'prod' }, thresholdMilliseconds: 500 });
      factory.queueAge('queue-age', { queueName: 'orders' });
      factory.deadLetterQueue('dlq', { queueName: 'orders-dlq' });
      factory.ecsCpu('cpu', { clusterName: 'main', serviceName: 'api' });
      factory.rdsConnections('db', { database: { kind: 'instance', identifier: 'orders-db' }, maxConnections: 100 });
      factory.lambdaErrors('fn', { functionName: 'resize' });
      factory.metric('custom', {
        namespace: 'N',
        metricName: 'M',
        statistic: 'Sum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 1,
      });
    });
    const all = alarms(json);
    expect(all).toHaveLength(9);
    for (const alarm of all) expect(alarm).toMatchObject(notify);
    expect(all.map((a) => a.alarm_name).sort()).toEqual(
      ['alb-5xx', 'api-5xx', 'api-latency', 'queue-age', 'dlq', 'cpu', 'db', 'fn', 'custom'].map((id) => `stack-alarms-${id}`).sort(),
    );
    expect([...factory!.created.keys()]).toEqual(['alb-5xx', 'api-5xx', 'api-latency', 'queue-age', 'dlq', 'cpu', 'db', 'fn', 'custom']);
    expect(factory!.alarmArns).toHaveLength(9);
  });

  test('GIVEN an existing topic to notify as well WHEN alarms are created THEN each notifies both topics on ALARM and OK', () => {
    const ONCALL = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const json = synth((s) => {
      const factory = new Alarms(s, 'alarms', { alarmTopicArn: TOPIC, alsoNotifyArns: [ONCALL] });
      factory.queueAge('queue-age', { queueName: 'orders' });
      factory.lambdaErrors('fn', { functionName: 'resize' });
    });
    for (const alarm of alarms(json)) expect(alarm).toMatchObject({ alarm_actions: [TOPIC, ONCALL], ok_actions: [TOPIC, ONCALL] });
  });

  test('GIVEN something other than a topic ARN to notify as well WHEN an alarm is created THEN the error names the prop and the allowed form', () => {
    expect(() =>
      synth((s) =>
        new Alarms(s, 'alarms', { alarmTopicArn: TOPIC, alsoNotifyArns: ['oncall'] }).queueAge('queue-age', { queueName: 'orders' }),
      ),
    ).toThrow('alsoNotifyArns must be SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>) (got ["oncall"])');
  });
});
