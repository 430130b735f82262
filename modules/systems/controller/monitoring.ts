// The controller's alarms: when it is down, nothing merges to an environment gets applied, so "no
// healthy task" wakes someone, as do webhook errors and a saturated task.
import { Construct } from 'constructs';
import { Alarms } from '../../aws/observability/alarms.js';
import type { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';

export interface ControllerAlarmsProps {
  readonly alarmTopicArn: string;
  /** Existing SNS topics (same region) every alarm notifies as well. @default none */
  readonly alsoNotifyArns?: readonly string[];
  readonly loadBalancer: ApplicationLoadBalancer;
  /** The load balancer's target group of the tasks. */
  readonly targetGroup: string;
  readonly clusterName: string;
  readonly serviceName: string;
}

export class ControllerAlarms extends Construct {
  public readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: ControllerAlarmsProps) {
    super(scope, id);
    const alb = props.loadBalancer;
    const alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms = alarms;
    alarms.metric('no-healthy-task', {
      description: 'No controller task passes /healthz: webhooks are lost and merges are not applied',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: alb.targetGroups[props.targetGroup]!.arnSuffix },
      statistic: 'Minimum',
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      evaluationPeriods: 3,
      // No data means no target reported healthy.
      treatMissingData: 'breaching',
    });
    alarms.loadBalancer5xx('webhook-5xx', { loadBalancerArnSuffix: alb.arnSuffix });
    alarms.ecsCpu('cpu', { clusterName: props.clusterName, serviceName: props.serviceName });
  }
}
