import type { Construct } from 'constructs';
import { Testing } from 'cdktf';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js';
import { errorOf, onlyResource, PLACEMENT, policyFailures, resourcesOf, stack, synth } from '../../../test/modules/azure-synth.js';
import { ActionGroup } from './action-group.js';
import { ApplicationInsights } from './application-insights.js';
import { DiagnosticSetting } from './diagnostic-setting.js';
import { LogAnalyticsWorkspace, workspaceRetention } from './log-analytics-workspace.js';
import { MetricAlerts, type MetricAlertSpec } from './metric-alerts.js';

const CPU: MetricAlertSpec = {
  scope: 'db-id',
  metricNamespace: 'Microsoft.Sql/servers/databases',
  metricName: 'cpu_percent',
  aggregation: 'Average',
  operator: 'GreaterThan',
  threshold: 80,
};
/** Metric alerts of the `commerce` prefix in resource group `rg`. */
const commerceAlerts = (scope: Construct, actionGroupIds: string[], alerts: Record<string, MetricAlertSpec>) =>
  new MetricAlerts(scope, 'alerts', { resourceGroupName: 'rg', namePrefix: 'commerce', actionGroupIds, alerts });

describe('LogAnalyticsWorkspace and ApplicationInsights', () => {
  test('GIVEN defaults WHEN synthesized THEN a PerGB2018 workspace keeps 30 days and accepts Entra ID only', () => {
    expect(
      onlyResource(
        synth((scope) => new LogAnalyticsWorkspace(scope, 'logs', { ...PLACEMENT, name: 'commerce-logs' })),
        'azurerm_log_analytics_workspace',
      ),
    ).toMatchObject({
      name: 'commerce-logs',
      sku: 'PerGB2018',
      retention_in_days: 30,
      local_authentication_enabled: false,
    });
  });

  test('GIVEN retention and a cap WHEN synthesized THEN they are set; out-of-range values are refused', () => {
    const s = synth(
      (scope) => new LogAnalyticsWorkspace(scope, 'logs', { ...PLACEMENT, name: 'commerce-logs', retentionInDays: 365, dailyQuotaGb: 5 }),
    );
    expect(onlyResource(s, 'azurerm_log_analytics_workspace')).toMatchObject({ retention_in_days: 365, daily_quota_gb: 5 });
    expect(errorOf(() => new LogAnalyticsWorkspace(stack(), 'logs', { ...PLACEMENT, name: 'l!', retentionInDays: 7 }))).toBe(
      'LogAnalyticsWorkspace test/logs: name must be 2-64 letters, digits or hyphens, starting and ending with a letter or digit (got "l!"); retentionInDays must be an integer between 30 and 730 (got 7)',
    );
  });

  test('GIVEN retentions chosen for other log stores WHEN mapped THEN they are clamped to 30-730 days', () => {
    expect([1, 30, 90, 365, 731, 3653].map(workspaceRetention)).toEqual([30, 30, 90, 365, 730, 730]);
  });

  test('GIVEN a workspace WHEN App Insights is added THEN it is workspace-based with local authentication off', () => {
    let insights: ApplicationInsights | undefined;
    const s = synth((scope) => {
      const logs = new LogAnalyticsWorkspace(scope, 'logs', { ...PLACEMENT, name: 'commerce-logs' });
      insights = new ApplicationInsights(scope, 'insights', { ...PLACEMENT, name: 'commerce-insights', workspaceId: logs.id });
    });
    expect(onlyResource(s, 'azurerm_application_insights')).toMatchObject({
      application_type: 'web',
      local_authentication_disabled: true,
      workspace_id: expect.stringMatching(/^\$\{azurerm_log_analytics_workspace\.logs_workspace_[0-9A-F]{8}\.id\}$/),
    });
    expect(insights!.requiresEntraAuthentication).toBe(true);
    const local = synth(
      (scope) =>
        new ApplicationInsights(scope, 'insights', {
          ...PLACEMENT,
          name: 'x-insights',
          workspaceId: 'w',
          allowLocalAuthentication: true,
          samplingPercentage: 50,
        }),
    );
    expect(onlyResource(local, 'azurerm_application_insights')).toMatchObject({
      local_authentication_disabled: false,
      sampling_percentage: 50,
    });
    expect(
      errorOf(
        () =>
          new ApplicationInsights(stack(), 'i', {
            ...PLACEMENT,
            name: 'ok-name',
            workspaceId: 'w',
            applicationType: 'ios' as never,
            samplingPercentage: 101,
          }),
      ),
    ).toBe(
      'ApplicationInsights test/i: applicationType must be one of "web", "other", "java", "Node.JS" (got "ios"); samplingPercentage must be between 0 and 100 (got 101)',
    );
  });
});

describe('DiagnosticSetting', () => {
  test('GIVEN defaults WHEN synthesized THEN all logs and all metrics go to the workspace', () => {
    expect(
      onlyResource(
        synth((scope) => new DiagnosticSetting(scope, 'diag', { targetResourceId: 'kv-id', workspaceId: 'w' })),
        'azurerm_monitor_diagnostic_setting',
      ),
    ).toEqual({
      name: 'to-log-analytics',
      target_resource_id: 'kv-id',
      log_analytics_workspace_id: 'w',
      enabled_log: [{ category_group: 'allLogs' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  test('GIVEN named categories and no metrics WHEN synthesized THEN only those are sent; an empty selection is refused', () => {
    const s = synth(
      (scope) =>
        new DiagnosticSetting(scope, 'diag', {
          targetResourceId: 't',
          workspaceId: 'w',
          logs: { categories: ['SQLSecurityAuditEvents'], categoryGroups: ['audit'] },
          metrics: [],
        }),
    );
    expect(onlyResource(s, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      enabled_log: [{ category: 'SQLSecurityAuditEvents' }, { category_group: 'audit' }],
      enabled_metric: [],
    });
    expect(
      errorOf(
        () =>
          new DiagnosticSetting(stack(), 'd', {
            targetResourceId: 't',
            workspaceId: 'w',
            logs: { categoryGroups: ['everything' as never] },
          }),
      ),
    ).toBe('DiagnosticSetting test/d: logs.categoryGroups must be one of "allLogs", "audit" (got "everything")');
    expect(errorOf(() => new DiagnosticSetting(stack(), 'd', { targetResourceId: 't', workspaceId: 'w', logs: {} }))).toContain(
      'logs must name at least one category or category group (got none)',
    );
  });
});

describe('ActionGroup and MetricAlerts', () => {
  test('GIVEN receivers WHEN synthesized THEN e-mail and webhook receivers are keyed by name with the common schema', () => {
    const s = synth(
      (scope) =>
        new ActionGroup(scope, 'ag', {
          resourceGroupName: 'rg',
          name: 'commerce-alerts',
          shortName: 'commerce',
          emails: { oncall: 'oncall@example.com' },
          webhooks: { chat: 'https://chat.example.com/hook' },
        }),
    );
    expect(onlyResource(s, 'azurerm_monitor_action_group')).toMatchObject({
      short_name: 'commerce',
      email_receiver: [{ name: 'oncall', email_address: 'oncall@example.com', use_common_alert_schema: true }],
      webhook_receiver: [{ name: 'chat', service_uri: 'https://chat.example.com/hook', use_common_alert_schema: true }],
    });
  });

  test('GIVEN bad receivers WHEN constructed THEN every problem is listed', () => {
    expect(
      errorOf(
        () =>
          new ActionGroup(stack(), 'ag', {
            resourceGroupName: 'rg',
            name: 'commerce-alerts',
            shortName: 'much-too-long-name',
            emails: { a: 'nope' },
            webhooks: { b: 'http://clear.example.com' },
          }),
      ),
    ).toBe(
      'ActionGroup test/ag: shortName must be 1-12 characters (got "much-too-long-name"); emails.a must be an e-mail address (got "nope"); webhooks.b must be an https:// URL (alerts must not travel in clear text) (got "http://clear.example.com")',
    );
    expect(errorOf(() => new ActionGroup(stack(), 'ag', { resourceGroupName: 'rg', name: 'commerce-alerts', shortName: 'c' }))).toContain(
      'emails or webhooks must name at least one receiver (got none): an action group without receivers silences alerts',
    );
  });

  test('GIVEN a named alert WHEN synthesized THEN it watches the metric and notifies the action group', () => {
    const out = Testing.synthScope((scope) => commerceAlerts(scope, ['ag-id'], { 'sql-cpu': CPU }));
    expect(out).toHaveResourceWithProperties(MonitorMetricAlert, {
      name: 'commerce-sql-cpu',
      scopes: ['db-id'],
      severity: 2,
      window_size: 'PT5M',
      frequency: 'PT1M',
      auto_mitigate: true,
      criteria: [
        {
          metric_namespace: 'Microsoft.Sql/servers/databases',
          metric_name: 'cpu_percent',
          aggregation: 'Average',
          operator: 'GreaterThan',
          threshold: 80,
        },
      ],
      action: [{ action_group_id: 'ag-id' }],
    });
    expect(Object.keys(resourcesOf(JSON.parse(out), 'azurerm_monitor_metric_alert'))).toHaveLength(1);
  });

  test('GIVEN two action groups WHEN synthesized THEN every alert notifies both; GIVEN none THEN construction fails saying so', () => {
    const out = Testing.synthScope((scope) => commerceAlerts(scope, ['own', 'oncall'], { cpu: CPU }));
    expect(out).toHaveResourceWithProperties(MonitorMetricAlert, { action: [{ action_group_id: 'own' }, { action_group_id: 'oncall' }] });
    expect(errorOf(() => commerceAlerts(stack(), [], { cpu: CPU }))).toBe(
      'MetricAlerts test/alerts: actionGroupIds must name at least one action group (got none)',
    );
  });

  test('GIVEN bad alert specs WHEN constructed THEN every problem names the alert', () => {
    expect(
      errorOf(
        () =>
          new MetricAlerts(stack(), 'alerts', {
            resourceGroupName: 'rg',
            namePrefix: 'commerce',
            actionGroupIds: ['ag'],
            alerts: {
              'Bad Name': {
                ...CPU,
                aggregation: 'Median' as never,
                operator: 'Above' as never,
                severity: 5,
                windowSize: 'PT2M' as never,
                frequency: 'PT5M',
              },
              slow: { ...CPU, windowSize: 'PT1M', frequency: 'PT5M' },
            },
          }),
      ),
    ).toBe(
      'MetricAlerts test/alerts: alerts.Bad Name name must be 1-63 lowercase letters, digits or hyphens (got "Bad Name"); alerts.Bad Name.aggregation must be one of "Average", "Count", "Minimum", "Maximum", "Total" (got "Median"); alerts.Bad Name.operator must be one of "GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "Equals" (got "Above"); alerts.Bad Name.severity must be an integer between 0 and 4 (got 5); alerts.Bad Name.windowSize must be one of "PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D" (got "PT2M"); alerts.slow.frequency must not be longer than windowSize (got frequency PT5M, windowSize PT1M)',
    );
  });

  test('GIVEN the observability resources WHEN the policy gate runs THEN nothing fails', () => {
    const s = synth((scope) => {
      const logs = new LogAnalyticsWorkspace(scope, 'logs', { ...PLACEMENT, name: 'commerce-logs' });
      new ApplicationInsights(scope, 'insights', { ...PLACEMENT, name: 'commerce-insights', workspaceId: logs.id });
      new DiagnosticSetting(scope, 'diag', { targetResourceId: 't', workspaceId: logs.id });
      const ag = new ActionGroup(scope, 'ag', {
        resourceGroupName: 'rg',
        name: 'commerce-alerts',
        shortName: 'c',
        emails: { a: 'a@example.com' },
      });
      new MetricAlerts(scope, 'alerts', { resourceGroupName: 'rg', namePrefix: 'commerce', actionGroupIds: [ag.id], alerts: { cpu: CPU } });
    });
    expect(policyFailures(s)).toEqual([]);
  });
});
