// Sends a resource's logs and metrics to a Log Analytics workspace.
import { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js';
import { PropProblems } from '../../core/validation.js';

export interface DiagnosticSettingProps {
  /** The resource whose logs are sent (for a SQL server's audit: `<server id>/databases/master`). */
  readonly targetResourceId: string;
  readonly workspaceId: string;
  /** @default 'to-log-analytics' */
  readonly name?: string;
  /**
   * Log categories by name (`SQLSecurityAuditEvents`) or category groups (`allLogs`, `audit`).
   * @default { categoryGroups: ['allLogs'] }
   */
  readonly logs?: { readonly categories?: readonly string[]; readonly categoryGroups?: readonly ('allLogs' | 'audit')[] };
  /** @default ['AllMetrics']; [] for resources that publish no platform metrics */
  readonly metrics?: readonly string[];
}

export class DiagnosticSetting extends Construct {
  public readonly setting: MonitorDiagnosticSetting;

  constructor(scope: Construct, id: string, props: DiagnosticSettingProps) {
    super(scope, id);
    const categories = props.logs?.categories ?? [];
    const groups = props.logs?.categoryGroups ?? (props.logs === undefined ? ['allLogs'] : []);
    const p = new PropProblems(this, 'DiagnosticSetting');
    p.matches('name', props.name, /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,259}$/, '1-260 letters, digits, spaces, _ . or -');
    p.check(categories.length + groups.length > 0, 'logs must name at least one category or category group (got none)');
    for (const group of groups) p.oneOf('logs.categoryGroups', group, ['allLogs', 'audit'] as const);
    p.throwIfAny();

    this.setting = new MonitorDiagnosticSetting(this, 'setting', {
      name: props.name ?? 'to-log-analytics',
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.workspaceId,
      enabledLog: [...categories.map((category) => ({ category })), ...groups.map((categoryGroup) => ({ categoryGroup }))],
      enabledMetric: (props.metrics ?? ['AllMetrics']).map((category) => ({ category })),
    });
  }
}
