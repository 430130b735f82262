// Static-threshold metric alerts keyed by name, all sent to the same action groups.
import { Construct } from 'constructs';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js';
import { PropProblems } from '../../core/validation.js';

export const METRIC_OPERATORS = ['GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual', 'Equals'] as const;
export const METRIC_AGGREGATIONS = ['Average', 'Count', 'Minimum', 'Maximum', 'Total'] as const;
/** ISO 8601 durations Azure Monitor accepts for the evaluation window. */
export const ALERT_WINDOWS = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D'] as const;
export const ALERT_FREQUENCIES = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'] as const;

export interface MetricAlertSpec {
  /** The resource the metric belongs to. */
  readonly scope: string;
  /** e.g. `Microsoft.Sql/servers/databases`. */
  readonly metricNamespace: string;
  /** e.g. `cpu_percent`. */
  readonly metricName: string;
  readonly aggregation: (typeof METRIC_AGGREGATIONS)[number];
  readonly operator: (typeof METRIC_OPERATORS)[number];
  readonly threshold: number;
  /** 0 (critical) to 4 (verbose). @default 2 */
  readonly severity?: number;
  /** @default 'PT5M' */
  readonly windowSize?: (typeof ALERT_WINDOWS)[number];
  /** @default 'PT1M' */
  readonly frequency?: (typeof ALERT_FREQUENCIES)[number];
  /** @default the alert name */
  readonly description?: string;
}

export interface MetricAlertsProps {
  readonly resourceGroupName: string;
  /** Prefix of every alert's name: `<namePrefix>-<alert>`. */
  readonly namePrefix: string;
  /** The action groups every alert notifies (at least one: an alert nobody receives is silence). */
  readonly actionGroupIds: readonly string[];
  /** Alerts keyed by name. */
  readonly alerts: Readonly<Record<string, MetricAlertSpec>>;
}

export class MetricAlerts extends Construct {
  /** Alerts by name. */
  public readonly alerts: Readonly<Record<string, MonitorMetricAlert>>;

  constructor(scope: Construct, id: string, props: MetricAlertsProps) {
    super(scope, id);
    const p = new PropProblems(this, 'MetricAlerts');
    p.matches('namePrefix', props.namePrefix, /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/, '1-100 letters, digits or hyphens');
    p.check(props.actionGroupIds.length > 0, 'actionGroupIds must name at least one action group (got none)');
    for (const [name, alert] of Object.entries(props.alerts)) {
      const at = `alerts.${name}`;
      p.matches(`${at} name`, name, /^[a-z0-9][a-z0-9-]{0,62}$/, '1-63 lowercase letters, digits or hyphens');
      p.oneOf(`${at}.aggregation`, alert.aggregation, METRIC_AGGREGATIONS);
      p.oneOf(`${at}.operator`, alert.operator, METRIC_OPERATORS);
      p.range(`${at}.severity`, alert.severity, 0, 4);
      p.oneOf(`${at}.windowSize`, alert.windowSize, ALERT_WINDOWS);
      p.oneOf(`${at}.frequency`, alert.frequency, ALERT_FREQUENCIES);
      const window = ALERT_WINDOWS.indexOf(alert.windowSize ?? 'PT5M');
      const frequency = ALERT_WINDOWS.indexOf(alert.frequency ?? 'PT1M');
      p.check(
        window < 0 || frequency < 0 || frequency <= window,
        `${at}.frequency must not be longer than windowSize (got frequency ${alert.frequency ?? 'PT1M'}, windowSize ${alert.windowSize ?? 'PT5M'})`,
      );
    }
    p.throwIfAny();

    const alerts: Record<string, MonitorMetricAlert> = {};
    for (const [name, alert] of Object.entries(props.alerts)) {
      alerts[name] = new MonitorMetricAlert(this, name, {
        name: `${props.namePrefix}-${name}`,
        resourceGroupName: props.resourceGroupName,
        scopes: [alert.scope],
        description: alert.description ?? name,
        severity: alert.severity ?? 2,
        windowSize: alert.windowSize ?? 'PT5M',
        frequency: alert.frequency ?? 'PT1M',
        autoMitigate: true,
        criteria: [
          {
            metricNamespace: alert.metricNamespace,
            metricName: alert.metricName,
            aggregation: alert.aggregation,
            operator: alert.operator,
            threshold: alert.threshold,
          },
        ],
        action: props.actionGroupIds.map((actionGroupId) => ({ actionGroupId })),
      });
    }
    this.alerts = alerts;
  }
}
