import type { Construct } from 'constructs';
import { DeadLetterQueueAlarm, EcsCpuAlarm, LambdaErrorsAlarm, LoadBalancer5xxAlarm, QueueAgeAlarm } from './alarms.js';
import { synth, resourcesOf, type TfJson } from '../../../test/modules/synth-json.js';

const alarms = (json: TfJson) => resourcesOf(json, 'aws_cloudwatch_metric_alarm');
const one = (build: (scope: Construct) => void) => alarms(synth(build))[0];
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';
const ALB = 'app/orders/50dc6c495c0c9188';
const notify = { alarm_actions: [TOPIC], ok_actions: [TOPIC] };

describe('alarm options shared by every alarm', () => {
  test('GIVEN an alarm WHEN synthesized THEN ALARM and OK notify the topic, the name follows the construct path and no insufficient-data action is set', () => {
    const alarm = one((s) => new DeadLetterQueueAlarm(s, 'orders-dlq', { alarmTopicArn: TOPIC, queueName: 'orders-dlq' }));
    expect(alarm).toMatchObject({
      ...notify,
      alarm_name: 'stack-orders-dlq',
      alarm_description: 'Messages in dead-letter queue orders-dlq',
    });
    expect(alarm.insufficient_data_actions).toBeUndefined();
  });

  test('GIVEN every option WHEN synthesized THEN name, description, period, evaluation and missing-data handling are overridden', () => {
    const alarm = one(
      (s) =>
        new EcsCpuAlarm(s, 'cpu', {
          alarmTopicArn: TOPIC,
          clusterName: 'main',
          serviceName: 'api',
          alarmName: 'api-cpu',
          description: 'API CPU hot',
          periodSeconds: 300,
          evaluationPeriods: 4,
          datapointsToAlarm: 2,
          treatMissingData: 'breaching',
        }),
    );
    expect(alarm).toMatchObject({
      alarm_name: 'api-cpu',
      alarm_description: 'API CPU hot',
      period: 300,
      evaluation_periods: 4,
      datapoints_to_alarm: 2,
      treat_missing_data: 'breaching',
    });
  });

  test('GIVEN a rate alarm with only evaluationPeriods overridden WHEN synthesized THEN every period must breach', () => {
    const alarm = one(
      (s) => new LoadBalancer5xxAlarm(s, 'alb', { alarmTopicArn: TOPIC, loadBalancerArnSuffix: ALB, evaluationPeriods: 2 }),
    );
    expect(alarm).toMatchObject({ evaluation_periods: 2, datapoints_to_alarm: 2 });
  });

  test('GIVEN bad shared options WHEN constructed THEN one error lists each with its value and what is allowed', () => {
    expect(() =>
      synth(
        (s) =>
          new LambdaErrorsAlarm(s, 'errors', {
            alarmTopicArn: 'alarms',
            functionName: 'resize',
            alarmName: '',
            periodSeconds: 90,
            evaluationPeriods: 0,
            datapointsToAlarm: 2,
            treatMissingData: 'zero' as never,
          }),
      ),
    ).toThrow(
      'LambdaErrorsAlarm stack/errors: alarmTopicArn must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>) (got "alarms"); ' +
        'alarmName must be 1-255 printable characters (the default comes from the construct path: pass alarmName when it is too long) (got ""); ' +
        'periodSeconds must be a multiple of 60 between 60 and 86400 (got 90); ' +
        'evaluationPeriods must be an integer between 1 and 100 (got 0); ' +
        'datapointsToAlarm must be an integer between 1 and evaluationPeriods (0) (got 2); ' +
        'treatMissingData must be one of "missing", "ignore", "breaching", "notBreaching" (got "zero")',
    );
  });

  test('GIVEN an evaluation window over a day WHEN constructed THEN the limit and the product are named', () => {
    expect(() =>
      synth((s) => new QueueAgeAlarm(s, 'age', { alarmTopicArn: TOPIC, queueName: 'q', periodSeconds: 1800, evaluationPeriods: 60 })),
    ).toThrow(
      'QueueAgeAlarm stack/age: periodSeconds × evaluationPeriods must cover at most 1 day (7 days for periods of an hour or more) (got 1800 × 60 = 108000 s)',
    );
  });
});
