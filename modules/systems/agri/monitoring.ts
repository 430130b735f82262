// What on-call watches for agri: each tier's load balancer answering 5xx or losing healthy
// targets, slow dashboards, busy tasks, database pressure and (hybrid) the farm's VPN being down;
// one dashboard with the same signals and the tiers' error logs.
import { Construct } from 'constructs';
import type { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';
import type { PostgresEngine } from '../../aws/data/postgres-database.js';
import { databaseAlarms, databaseWidget } from '../database.js';
import { Alarms } from '../../aws/observability/alarms.js';
import { SystemDashboard, type DashboardWidget, type WidgetMetric } from '../../aws/observability/dashboard.js';
// The same RDS max_connections estimate as payments (one formula, tested there).

export interface AgriMonitoringProps {
  readonly prefix: string;
  readonly alarmTopicArn: string;
  /** Existing SNS topics every alarm notifies as well (the environment's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
  readonly clusterName: string;
  /** Per tier: its ECS service name, log group and load balancer. */
  readonly tiers: Record<string, { readonly service: string; readonly logGroup: string; readonly alb: ApplicationLoadBalancer }>;
  /** The tier users reach (its p99 latency pages). */
  readonly userFacingTier: string;
  readonly userLatencyP99Ms: number;
  readonly database: { readonly engine: PostgresEngine; readonly identifier: string; readonly instanceClass: string };
  /** The farm VPN connection id, when there is one. */
  readonly vpnConnectionId?: string;
}

export class AgriMonitoring extends Construct {
  public readonly alarms: Alarms;
  public readonly dashboard: SystemDashboard;

  constructor(scope: Construct, id: string, props: AgriMonitoringProps) {
    super(scope, id);
    const alarms = new Alarms(this, 'alarms', { alarmTopicArn: props.alarmTopicArn, alsoNotifyArns: props.alsoNotifyArns });
    this.alarms = alarms;
    for (const [tier, { service, alb }] of Object.entries(props.tiers)) {
      alarms.loadBalancer5xx(`${tier}-5xx`, { loadBalancerArnSuffix: alb.arnSuffix });
      alarms.metric(`${tier}-unhealthy-targets`, {
        description: `${tier} tasks failing the load balancer health check`,
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensions: { LoadBalancer: alb.arnSuffix, TargetGroup: alb.targetGroups[tier]!.arnSuffix },
        statistic: 'Maximum',
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 3,
        treatMissingData: 'notBreaching',
      });
      alarms.ecsCpu(`${tier}-cpu`, { clusterName: props.clusterName, serviceName: service });
    }
    const userFacing = props.tiers[props.userFacingTier]!.alb;
    alarms.latencyP99('user-latency', {
      source: { kind: 'alb', loadBalancerArnSuffix: userFacing.arnSuffix },
      thresholdMilliseconds: props.userLatencyP99Ms,
    });

    databaseAlarms(alarms, props.database);
    if (props.vpnConnectionId !== undefined) {
      alarms.metric('farm-vpn-down', {
        description: 'No tunnel of the farm VPN is up: the farm cannot sync with the cloud',
        namespace: 'AWS/VPN',
        metricName: 'TunnelState',
        dimensions: { VpnId: props.vpnConnectionId },
        statistic: 'Maximum',
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        periodSeconds: 300,
        // Farms have intermittent connectivity by design: page after 30 minutes, not at the first drop.
        evaluationPeriods: 6,
        treatMissingData: 'breaching',
      });
    }

    this.dashboard = new SystemDashboard(this, 'dashboard', {
      name: props.prefix,
      widgets: dashboardWidgets(props, alarms.alarmArns),
    });
  }
}

function dashboardWidgets(props: AgriMonitoringProps, alarmArns: string[]): DashboardWidget[] {
  const tiers = Object.entries(props.tiers);
  const perAlb = (metricName: string): WidgetMetric[] =>
    tiers.map(([tier, { alb }]) => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions: { LoadBalancer: alb.arnSuffix },
      label: tier,
    }));
  const perService = (metricName: string): WidgetMetric[] =>
    tiers.map(([tier, { service }]) => ({
      namespace: 'AWS/ECS',
      metricName,
      dimensions: { ClusterName: props.clusterName, ServiceName: service },
      label: tier,
    }));
  const widgets: DashboardWidget[] = [
    { type: 'text', markdown: `# ${props.prefix}\nUsers → ALB → FE (Dash) → ALB → BE (FastAPI) → ALB → ML; BE → PostgreSQL` },
    { type: 'alarm', title: 'Alarms', alarmArns },
    { type: 'metric', title: 'Requests per tier', stat: 'Sum', metrics: perAlb('RequestCount') },
    { type: 'metric', title: 'Response time p99 (s)', stat: 'p99', metrics: perAlb('TargetResponseTime') },
    { type: 'metric', title: 'Task CPU (%)', stat: 'Average', metrics: perService('CPUUtilization') },
    { type: 'metric', title: 'Task memory (%)', stat: 'Average', metrics: perService('MemoryUtilization') },
    databaseWidget(props.database),
  ];
  if (props.vpnConnectionId !== undefined) {
    widgets.push({
      type: 'metric',
      title: 'Farm VPN tunnels up',
      stat: 'Maximum',
      metrics: [{ namespace: 'AWS/VPN', metricName: 'TunnelState', dimensions: { VpnId: props.vpnConnectionId } }],
    });
  }
  widgets.push({
    type: 'log',
    title: 'Tier errors',
    logGroupNames: tiers.map(([, { logGroup }]) => logGroup),
    query: 'fields @timestamp, @log, @message | filter @message like /(?i)(error|exception)/ | sort @timestamp desc | limit 50',
  });
  return widgets;
}
