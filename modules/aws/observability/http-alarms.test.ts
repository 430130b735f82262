import type { Construct } from 'constructs';
import { ApiGateway5xxAlarm, LatencyP99Alarm, LoadBalancer5xxAlarm } from './http-alarms.js';
import { synth, resourcesOf, type TfJson } from '../../../test/modules/synth-json.js';

const alarms = (json: TfJson) => resourcesOf(json, 'aws_cloudwatch_metric_alarm');
const one = (build: (scope: Construct) => void) => alarms(synth(build))[0];
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:alarms';
const ALB = 'app/orders/50dc6c495c0c9188';
const notify = { alarm_actions: [TOPIC], ok_actions: [TOPIC] };

describe('LoadBalancer5xxAlarm', () => {
  test('GIVEN an ALB WHEN synthesized THEN the ELB and target 5xx share of requests above 5% in 3 of 5 minutes alarms', () => {
    const alarm = one((s) => new LoadBalancer5xxAlarm(s, 'alb', { alarmTopicArn: TOPIC, loadBalancerArnSuffix: ALB }));
    expect(alarm).toMatchObject({
      ...notify,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 5,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
    });
    expect(alarm.metric_name).toBeUndefined();
    const byId = Object.fromEntries(alarm.metric_query.map((q: { id: string }) => [q.id, q]));
    expect(byId.result).toEqual({
      id: 'result',
      expression: 'IF(requests > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
      label: `ALB ${ALB} 5xx %`,
      return_data: true,
    });
    const metric = (name: string) => ({
      namespace: 'AWS/ApplicationELB',
      metric_name: name,
      dimensions: { LoadBalancer: ALB },
      stat: 'Sum',
      period: 60,
    });
    expect(byId.elb5xx).toEqual({ id: 'elb5xx', return_data: false, metric: metric('HTTPCode_ELB_5XX_Count') });
    expect(byId.target5xx.metric).toEqual(metric('HTTPCode_Target_5XX_Count'));
    expect(byId.requests.metric).toEqual(metric('RequestCount'));
  });

  test('GIVEN a threshold WHEN synthesized THEN it is the percentage', () => {
    expect(
      one((s) => new LoadBalancer5xxAlarm(s, 'alb', { alarmTopicArn: TOPIC, loadBalancerArnSuffix: ALB, thresholdPercent: 1.5 })).threshold,
    ).toBe(1.5);
  });

  test('GIVEN a full ARN and a percentage over 100 WHEN constructed THEN one error explains both', () => {
    expect(() =>
      synth(
        (s) =>
          new LoadBalancer5xxAlarm(s, 'alb', {
            alarmTopicArn: TOPIC,
            loadBalancerArnSuffix: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/${ALB}`,
            thresholdPercent: 150,
          }),
      ),
    ).toThrow(
      `LoadBalancer5xxAlarm stack/alb: loadBalancerArnSuffix must be an ALB ARN suffix like "app/my-alb/50dc6c495c0c9188" (the load balancer's arn_suffix) (got "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/${ALB}"); ` +
        'thresholdPercent must be between 0 and 100 (got 150)',
    );
  });
});

describe('ApiGateway5xxAlarm', () => {
  const queries = (alarm: { metric_query: { id: string; metric?: unknown }[] }) =>
    Object.fromEntries(alarm.metric_query.map((q) => [q.id, q.metric]));

  test('GIVEN a REST API WHEN synthesized THEN 5XXError over Count by ApiName and Stage is the rate', () => {
    const alarm = one(
      (s) => new ApiGateway5xxAlarm(s, 'api', { alarmTopicArn: TOPIC, api: { kind: 'restApi', apiName: 'orders', stage: 'prod' } }),
    );
    const m = queries(alarm);
    expect(m.errors).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: '5XXError',
      dimensions: { ApiName: 'orders', Stage: 'prod' },
      stat: 'Sum',
    });
    expect(m.requests).toMatchObject({ metric_name: 'Count', dimensions: { ApiName: 'orders', Stage: 'prod' } });
    expect(alarm.metric_query.find((q: { id: string }) => q.id === 'result').expression).toBe(
      'IF(requests > 0, 100 * (FILL(errors, 0)) / requests, 0)',
    );
    expect(alarm).toMatchObject({
      threshold: 5,
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      ...notify,
    });
  });

  test('GIVEN an HTTP API WHEN synthesized THEN 5xx over Count by ApiId and Stage is the rate', () => {
    const alarm = one(
      (s) =>
        new ApiGateway5xxAlarm(s, 'api', {
          alarmTopicArn: TOPIC,
          api: { kind: 'httpApi', apiId: 'a1b2c3d4e5', stage: '$default' },
          thresholdPercent: 2,
        }),
    );
    const m = queries(alarm);
    expect(m.errors).toMatchObject({ metric_name: '5xx', dimensions: { ApiId: 'a1b2c3d4e5', Stage: '$default' } });
    expect(alarm.threshold).toBe(2);
  });

  test('GIVEN a bad API id, stage and kind WHEN constructed THEN one error lists them', () => {
    expect(() =>
      synth((s) => new ApiGateway5xxAlarm(s, 'api', { alarmTopicArn: TOPIC, api: { kind: 'httpApi', apiId: 'orders', stage: 'a b' } })),
    ).toThrow(
      'ApiGateway5xxAlarm stack/api: api.stage must be 1-128 letters, digits, _-$ (got "a b"); api.apiId must be a 10-character API id (got "orders")',
    );
    expect(() =>
      synth(
        (s) => new ApiGateway5xxAlarm(s, 'api', { alarmTopicArn: TOPIC, api: { kind: 'websocket', apiName: 'x', stage: 'prod' } as never }),
      ),
    ).toThrow('api.kind must be one of "restApi", "httpApi" (got "websocket")');
  });
});

describe('LatencyP99Alarm', () => {
  test('GIVEN an ALB WHEN synthesized THEN p99 TargetResponseTime is compared in seconds', () => {
    const alarm = one(
      (s) =>
        new LatencyP99Alarm(s, 'lat', {
          alarmTopicArn: TOPIC,
          source: { kind: 'alb', loadBalancerArnSuffix: ALB },
          thresholdMilliseconds: 750,
        }),
    );
    expect(alarm).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metric_name: 'TargetResponseTime',
      dimensions: { LoadBalancer: ALB },
      extended_statistic: 'p99',
      threshold: 0.75,
      comparison_operator: 'GreaterThanThreshold',
      evaluation_periods: 5,
      datapoints_to_alarm: 3,
      treat_missing_data: 'notBreaching',
      alarm_description: `ALB ${ALB} p99 latency above 750 ms`,
      ...notify,
    });
  });

  test('GIVEN an API or a Lambda function WHEN synthesized THEN p99 Latency or Duration is compared in milliseconds', () => {
    const json = synth((s) => {
      new LatencyP99Alarm(s, 'a-rest', {
        alarmTopicArn: TOPIC,
        source: { kind: 'restApi', apiName: 'orders', stage: 'prod' },
        thresholdMilliseconds: 500,
      });
      new LatencyP99Alarm(s, 'b-http', {
        alarmTopicArn: TOPIC,
        source: { kind: 'httpApi', apiId: 'a1b2c3d4e5', stage: 'prod' },
        thresholdMilliseconds: 400,
      });
      new LatencyP99Alarm(s, 'c-fn', {
        alarmTopicArn: TOPIC,
        source: { kind: 'lambda', functionName: 'resize' },
        thresholdMilliseconds: 3000,
      });
    });
    const [rest, http, fn] = alarms(json);
    expect(rest).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiName: 'orders', Stage: 'prod' },
      threshold: 500,
    });
    expect(http).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: 'Latency',
      dimensions: { ApiId: 'a1b2c3d4e5', Stage: 'prod' },
      threshold: 400,
    });
    expect(fn).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Duration',
      dimensions: { FunctionName: 'resize' },
      threshold: 3000,
      extended_statistic: 'p99',
    });
  });

  test('GIVEN an unknown source and no sensible threshold WHEN constructed THEN one error lists both', () => {
    expect(() =>
      synth((s) => new LatencyP99Alarm(s, 'lat', { alarmTopicArn: TOPIC, source: { kind: 'nlb' } as never, thresholdMilliseconds: 0 })),
    ).toThrow(
      'LatencyP99Alarm stack/lat: thresholdMilliseconds must be between 1 and 900000 (got 0); source.kind must be one of "alb", "restApi", "httpApi", "lambda" (got "nlb")',
    );
  });
});
