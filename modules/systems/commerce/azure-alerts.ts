// The commerce system's Azure alerts: database CPU, dead letters, function errors, cache memory.
import type { MetricAlertSpec } from '../../azure/observability/metric-alerts.js';

interface Resource {
  readonly id: string;
}

/** What the alerts watch: the system's databases, Service Bus namespace, function apps and cache. */
export interface AlertedResources {
  readonly sql: { readonly databases: Readonly<Record<string, Resource>> };
  readonly serviceBus: Resource;
  readonly functions: Readonly<Record<string, Resource>>;
  readonly redis: Resource;
}

export function commerceAlerts(system: AlertedResources): Record<string, MetricAlertSpec> {
  const alerts: Record<string, MetricAlertSpec> = {};
  for (const [name, db] of Object.entries(system.sql.databases)) {
    alerts[`sql-${name.toLowerCase()}-cpu`] = {
      scope: db.id,
      metricNamespace: 'Microsoft.Sql/servers/databases',
      metricName: 'cpu_percent',
      aggregation: 'Average',
      operator: 'GreaterThan',
      threshold: 80,
      windowSize: 'PT15M',
      description: `Database ${name} has used more than 80% CPU for 15 minutes`,
    };
  }
  alerts['service-bus-dead-letters'] = {
    scope: system.serviceBus.id,
    metricNamespace: 'Microsoft.ServiceBus/namespaces',
    metricName: 'DeadletteredMessages',
    aggregation: 'Maximum',
    operator: 'GreaterThan',
    threshold: 0,
    severity: 1,
    description: 'A message was dead-lettered: an inter-service message was not processed',
  };
  for (const [name, app] of Object.entries(system.functions)) {
    alerts[`${name}-http-5xx`] = {
      scope: app.id,
      metricNamespace: 'Microsoft.Web/sites',
      metricName: 'Http5xx',
      aggregation: 'Total',
      operator: 'GreaterThan',
      threshold: 5,
      description: `${name} answered more than 5 server errors in 5 minutes`,
    };
  }
  alerts['redis-memory'] = {
    scope: system.redis.id,
    metricNamespace: 'Microsoft.Cache/redis',
    metricName: 'usedmemorypercentage',
    aggregation: 'Maximum',
    operator: 'GreaterThan',
    threshold: 80,
    description: 'Redis has used more than 80% of its memory',
  };
  return alerts;
}
