// The public API's name, `api.<domain>`, in Route 53. With a DR region it is a failover pair: the
// primary region's record answers while its health check passes, the DR region's record takes over
// when it fails. A region's health check is Route 53 watching that region's failover alarms (no task
// of a public service passes the NLB health check, or most API requests fail with 5xx): every public
// route needs a Cognito token, so a Route 53 HTTPS check from outside would only ever see 401s.
// Without a DR region the name is a plain alias.
import { Construct } from 'constructs';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { PropProblems } from '../../core/validation.js';

export interface PaymentsApiDnsProps {
  readonly hostedZoneId: string;
  /** `api.<domain>`. */
  readonly apiDomain: string;
  /** The API custom domain's regional endpoint. */
  readonly target: { readonly name: string; readonly zoneId: string };
  /** `PRIMARY` / `SECONDARY` with a DR region; none without one (a plain alias). */
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  /** This stack's region (of the alarms, and the record's set identifier). */
  readonly region: string;
  /** Names of the alarms in this region that mean its API cannot serve (any one of them fails over). */
  readonly healthAlarmNames: readonly string[];
}

export class PaymentsApiDns extends Construct {
  public readonly record: Route53Record;
  /** The region's health check (failover only): healthy while every alarm check is. */
  public readonly healthCheck?: Route53HealthCheck;
  /** One check per failover alarm, by alarm name (failover only). */
  public readonly alarmHealthChecks: Record<string, Route53HealthCheck> = {};

  constructor(scope: Construct, id: string, props: PaymentsApiDnsProps) {
    super(scope, id);
    new PropProblems(this, 'PaymentsApiDns')
      .oneOf('failover', props.failover, ['PRIMARY', 'SECONDARY'])
      .check(
        props.failover === undefined || props.healthAlarmNames.length > 0,
        `healthAlarmNames must name at least one alarm with failover ${JSON.stringify(props.failover)} (got none)`,
      )
      .throwIfAny();
    const alias = { name: props.target.name, zoneId: props.target.zoneId, evaluateTargetHealth: true };
    if (props.failover === undefined) {
      this.record = new Route53Record(this, 'record', { zoneId: props.hostedZoneId, name: props.apiDomain, type: 'A', alias });
      return;
    }
    props.healthAlarmNames.forEach((alarmName, i) => {
      this.alarmHealthChecks[alarmName] = new Route53HealthCheck(this, `alarm-check-${i}`, {
        type: 'CLOUDWATCH_METRIC',
        cloudwatchAlarmName: alarmName,
        cloudwatchAlarmRegion: props.region,
        // A region whose alarms have no data yet (just deployed, no traffic) keeps its last state.
        insufficientDataHealthStatus: 'LastKnownStatus',
        tags: { Name: `${props.apiDomain} ${props.region} ${alarmName}` },
      });
    });
    const children = Object.values(this.alarmHealthChecks);
    this.healthCheck = new Route53HealthCheck(this, 'health-check', {
      type: 'CALCULATED',
      childHealthThreshold: children.length,
      childHealthchecks: children.map((check) => check.id),
      tags: { Name: `${props.apiDomain} ${props.region}` },
    });
    this.record = new Route53Record(this, 'record', {
      zoneId: props.hostedZoneId,
      name: props.apiDomain,
      type: 'A',
      setIdentifier: `${props.failover.toLowerCase()}-${props.region}`,
      failoverRoutingPolicy: { type: props.failover },
      healthCheckId: this.healthCheck.id,
      alias,
    });
  }
}
