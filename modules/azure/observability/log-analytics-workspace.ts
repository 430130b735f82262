// A Log Analytics workspace: the one place Azure logs, metrics and audit events go.
import { Construct } from 'constructs';
import { LogAnalyticsWorkspace as AzureLogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';

export interface LogAnalyticsWorkspaceProps extends Placement {
  readonly name: string;
  /** Interactive retention, 30-730 days (Log Analytics' range for the PerGB2018 tier). @default 30 */
  readonly retentionInDays?: number;
  /** Daily ingestion cap in GB; ingestion stops for the day when reached. @default no cap */
  readonly dailyQuotaGb?: number;
  /** Allow shared-key (workspace key) ingestion and queries. @default false: Entra ID only */
  readonly allowLocalAuthentication?: boolean;
}

export class LogAnalyticsWorkspace extends Construct {
  public readonly workspace: AzureLogAnalyticsWorkspace;
  /** Resource id: what diagnostic settings and Application Insights point at. */
  public readonly id: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: LogAnalyticsWorkspaceProps) {
    super(scope, id);
    const p = new PropProblems(this, 'LogAnalyticsWorkspace');
    checkPlacement(p, props);
    checkName(p, 'name', props.name, 'generic');
    p.range('retentionInDays', props.retentionInDays, 30, 730);
    p.range('dailyQuotaGb', props.dailyQuotaGb, 0.023, 10000, false);
    p.throwIfAny();

    this.workspace = new AzureLogAnalyticsWorkspace(this, 'workspace', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionInDays ?? 30,
      dailyQuotaGb: props.dailyQuotaGb,
      localAuthenticationEnabled: props.allowLocalAuthentication ?? false,
    });
    this.id = this.workspace.id;
    this.name = this.workspace.name;
  }
}

/** The nearest retention Log Analytics accepts (30-730 days) for a retention chosen for another log store. */
export function workspaceRetention(days: number): number {
  return Math.min(730, Math.max(30, days));
}
