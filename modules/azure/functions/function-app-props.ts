// The props of FunctionApp: its plan, runtime, host storage, network, telemetry and settings.
import type { NetworkAccessProps } from '../core/network-access.js';
import type { Placement } from '../core/placement.js';
import type { FunctionCode } from './function-app-package.js';
import type { FunctionPlan, FunctionPlanSku } from './function-plan.js';
import type { FunctionRuntime } from './runtimes.js';

export interface FunctionAppProps extends Placement, Pick<NetworkAccessProps, 'privateLink' | 'allowPublicNetworkAccess'> {
  /** 2-60 lowercase letters, digits or hyphens, globally unique (`<name>.azurewebsites.net`). */
  readonly name: string;
  /** A plan to share with other apps (Elastic Premium). @default a plan of its own, `<name>-plan`, of `sku` */
  readonly plan?: FunctionPlan;
  /** Sku of the app's own plan; unset when `plan` is given. @default 'EP1' */
  readonly sku?: FunctionPlanSku;
  /** @default { name: 'node', version: '22' } */
  readonly runtime?: { readonly name: FunctionRuntime; readonly version: string };
  /** The host's storage account, reached with the app's identity (the account may disable shared keys). */
  readonly storageAccount: { readonly id: string; readonly name: string; readonly primaryBlobEndpoint: string };
  /**
   * Outbound VNet integration: a subnet delegated to Microsoft.Web/serverFarms (EP) or
   * Microsoft.App/environments (FC1). All outbound traffic is routed through it.
   * Required unless `withoutVnetIntegration` is set.
   */
  readonly subnetId?: string;
  /** Run without VNet integration (the app then reaches private endpoints of nothing). Needed by sku Y1. @default false */
  readonly withoutVnetIntegration?: boolean;
  /** Telemetry; with Entra-only ingestion the app gets Monitoring Metrics Publisher on the component. @default none */
  readonly applicationInsights?: { readonly id: string; readonly connectionString: string; readonly requiresEntraAuthentication: boolean };
  /** The vault that `@Microsoft.KeyVault(...)` settings read; the app gets Key Vault Secrets User on it. @default none */
  readonly keyVault?: { readonly id: string };
  /** Settings (environment variables). Secrets must be Key Vault references, never literals. @default none */
  readonly appSettings?: Readonly<Record<string, string>>;
  /** Path the platform probes; unhealthy instances are replaced. @default none */
  readonly healthCheckPath?: string;
  /**
   * The app's functions by name (Node.js v3 programming model: a bundled entry exporting `run`, and
   * its bindings), packaged at synth into a zip inside the stack directory and deployed: Elastic
   * Premium and Consumption apps run from a blob of the host storage account read with the app's
   * identity (`WEBSITE_RUN_FROM_PACKAGE`), Flex Consumption apps get it through `zip_deploy_file`.
   * Needs runtime `node`. @default none: the app is deployed empty
   */
  readonly functions?: Readonly<Record<string, FunctionCode>>;
  /** Flex Consumption: most instances, 1-1000. @default 100 */
  readonly maximumInstanceCount?: number;
}
