// Alarms on the request path: 5xx rates of load balancers and APIs, and p99 latency.
import type { Construct } from 'constructs';
import type { PropProblems } from '../../core/validation.js';
import { AlarmConstruct, checkDimension, type AlarmOptions, type MetricSpec } from './alarm-base.js';

export interface LoadBalancer5xxAlarmProps extends AlarmOptions {
  /** The ALB's `arn_suffix` (`app/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  /** Percentage of requests answered 5xx (by the ALB or its targets). @default 5 */
  readonly thresholdPercent?: number;
}

/** ALB 5xx rate (ELB- and target-generated) above a percentage; 3 of 5 minutes by default. */
export class LoadBalancer5xxAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: LoadBalancer5xxAlarmProps) {
    super(scope, id, 'LoadBalancer5xxAlarm', props, (p) => {
      checkDimension(p, 'loadBalancerArnSuffix', props.loadBalancerArnSuffix, 'loadBalancerArnSuffix');
      p.range('thresholdPercent', props.thresholdPercent, 0, 100, false);
      const lb = (metricName: string) => ({
        namespace: 'AWS/ApplicationELB',
        metricName,
        dimensions: { LoadBalancer: props.loadBalancerArnSuffix },
        stat: 'Sum',
      });
      return errorRate(`ALB ${props.loadBalancerArnSuffix} 5xx`, props.thresholdPercent ?? 5, {
        elb5xx: lb('HTTPCode_ELB_5XX_Count'),
        target5xx: lb('HTTPCode_Target_5XX_Count'),
        requests: lb('RequestCount'),
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
export type ApiGatewayRef =
  | { readonly kind: 'restApi'; readonly apiName: string; readonly stage: string }
  | { readonly kind: 'httpApi'; readonly apiId: string; readonly stage: string };

export interface ApiGateway5xxAlarmProps extends AlarmOptions {
  readonly api: ApiGatewayRef;
  /** Percentage of requests answered 5xx. @default 5 */
  readonly thresholdPercent?: number;
}

/** API Gateway (REST or HTTP API) 5xx rate above a percentage; 3 of 5 minutes by default. */
export class ApiGateway5xxAlarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: ApiGateway5xxAlarmProps) {
    super(scope, id, 'ApiGateway5xxAlarm', props, (p) => {
      const { dimensions, label } = apiDimensions(p, props.api);
      p.range('thresholdPercent', props.thresholdPercent, 0, 100, false);
      const rest = props.api.kind === 'restApi';
      const api = (metricName: string) => ({ namespace: 'AWS/ApiGateway', metricName, dimensions, stat: 'Sum' });
      return errorRate(`${label} 5xx`, props.thresholdPercent ?? 5, {
        errors: api(rest ? '5XXError' : '5xx'),
        requests: api('Count'),
      });
    });
  }
}

function apiDimensions(p: PropProblems, api: ApiGatewayRef): { dimensions: Record<string, string>; label: string } {
  p.oneOf('api.kind', api.kind, ['restApi', 'httpApi'] as const);
  checkDimension(p, 'api.stage', api.stage, 'stage');
  if (api.kind === 'httpApi') {
    checkDimension(p, 'api.apiId', api.apiId, 'httpApiId');
    return { dimensions: { ApiId: api.apiId, Stage: api.stage }, label: `HTTP API ${api.apiId}/${api.stage}` };
  }
  checkDimension(p, 'api.apiName', api.apiName, 'restApiName');
  return { dimensions: { ApiName: api.apiName, Stage: api.stage }, label: `REST API ${api.apiName}/${api.stage}` };
}

/** 100 × (sum of every metric but `requests`) / requests; 0 when there were no requests. */
function errorRate(what: string, thresholdPercent: number, metrics: Record<string, MetricSpec & { stat: string }>) {
  const errors = Object.keys(metrics)
    .filter((id) => id !== 'requests')
    .map((id) => `FILL(${id}, 0)`)
    .join(' + ');
  return {
    description: `${what} rate above ${thresholdPercent}% of requests`,
    comparisonOperator: 'GreaterThanThreshold' as const,
    threshold: thresholdPercent,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: 'notBreaching' as const,
    math: { expression: `IF(requests > 0, 100 * (${errors}) / requests, 0)`, label: `${what} %`, metrics },
  };
}

// ---------------------------------------------------------------------------------------------
export type LatencySource =
  | { readonly kind: 'alb'; readonly loadBalancerArnSuffix: string }
  | ApiGatewayRef
  | { readonly kind: 'lambda'; readonly functionName: string };

export interface LatencyP99AlarmProps extends AlarmOptions {
  readonly source: LatencySource;
  /** p99 latency above which the alarm fires, in milliseconds. */
  readonly thresholdMilliseconds: number;
}

/** p99 latency of an ALB (target response time), an API (REST or HTTP) or a Lambda function; 3 of 5 minutes by default. */
export class LatencyP99Alarm extends AlarmConstruct {
  constructor(scope: Construct, id: string, props: LatencyP99AlarmProps) {
    super(scope, id, 'LatencyP99Alarm', props, (p) => {
      p.range('thresholdMilliseconds', props.thresholdMilliseconds, 1, 900_000, false);
      const source = props.source;
      let metric: MetricSpec;
      let threshold = props.thresholdMilliseconds;
      let label: string;
      if (source.kind === 'alb') {
        checkDimension(p, 'source.loadBalancerArnSuffix', source.loadBalancerArnSuffix, 'loadBalancerArnSuffix');
        // TargetResponseTime is in seconds; the others in milliseconds.
        metric = {
          namespace: 'AWS/ApplicationELB',
          metricName: 'TargetResponseTime',
          dimensions: { LoadBalancer: source.loadBalancerArnSuffix },
        };
        threshold = props.thresholdMilliseconds / 1000;
        label = `ALB ${source.loadBalancerArnSuffix}`;
      } else if (source.kind === 'lambda') {
        checkDimension(p, 'source.functionName', source.functionName, 'functionName');
        metric = { namespace: 'AWS/Lambda', metricName: 'Duration', dimensions: { FunctionName: source.functionName } };
        label = `Lambda ${source.functionName}`;
      } else if (source.kind === 'restApi' || source.kind === 'httpApi') {
        const api = apiDimensions(p, source);
        metric = { namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensions: api.dimensions };
        label = api.label;
      } else {
        p.oneOf('source.kind', (source as { kind: string }).kind, ['alb', 'restApi', 'httpApi', 'lambda']);
        metric = { namespace: 'unknown', metricName: 'unknown' };
        label = 'unknown';
      }
      return {
        description: `${label} p99 latency above ${props.thresholdMilliseconds} ms`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
        metric: { ...metric, statistic: 'p99' },
      };
    });
  }
}
