// Workspace-based Application Insights with Entra ID-only ingestion.
import { Construct } from 'constructs';
import { ApplicationInsights as AzureApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';

export interface ApplicationInsightsProps extends Placement {
  readonly name: string;
  /** The Log Analytics workspace that stores the telemetry (classic, workspace-less resources are retired). */
  readonly workspaceId: string;
  /** @default 'web' */
  readonly applicationType?: 'web' | 'other' | 'java' | 'Node.JS';
  /** Percentage of telemetry kept. @default 100 */
  readonly samplingPercentage?: number;
  /**
   * Accept telemetry sent with the instrumentation key alone. @default false: senders authenticate with
   * Entra ID (role Monitoring Metrics Publisher), so a leaked connection string cannot inject telemetry
   */
  readonly allowLocalAuthentication?: boolean;
}

export class ApplicationInsights extends Construct {
  public readonly component: AzureApplicationInsights;
  public readonly id: string;
  /** Not a secret (it names the resource, it grants nothing when local auth is off) but kept out of logs anyway. */
  public readonly connectionString: string;
  /** True when senders must authenticate with Entra ID (`APPLICATIONINSIGHTS_AUTHENTICATION_STRING`). */
  public readonly requiresEntraAuthentication: boolean;

  constructor(scope: Construct, id: string, props: ApplicationInsightsProps) {
    super(scope, id);
    const p = new PropProblems(this, 'ApplicationInsights');
    checkPlacement(p, props);
    checkName(p, 'name', props.name, 'generic');
    p.oneOf('applicationType', props.applicationType, ['web', 'other', 'java', 'Node.JS'] as const);
    p.range('samplingPercentage', props.samplingPercentage, 0, 100, false);
    p.throwIfAny();

    this.requiresEntraAuthentication = props.allowLocalAuthentication !== true;
    this.component = new AzureApplicationInsights(this, 'component', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      workspaceId: props.workspaceId,
      applicationType: props.applicationType ?? 'web',
      samplingPercentage: props.samplingPercentage,
      localAuthenticationDisabled: this.requiresEntraAuthentication,
    });
    this.id = this.component.id;
    this.connectionString = this.component.connectionString;
  }
}
