// The props of FrontDoor: the sku, origins keyed by name, custom domains, the WAF and logs.
import type { FrontDoorWafOptions } from './front-door-waf.js';

export const FRONT_DOOR_SKUS = ['Premium_AzureFrontDoor', 'Standard_AzureFrontDoor'] as const;
export type FrontDoorSku = (typeof FRONT_DOOR_SKUS)[number];
export const PRIVATE_LINK_TARGET_TYPES = ['sites', 'blob', 'blob_secondary', 'web', 'web_secondary'] as const;

export interface FrontDoorOrigin {
  /** Host name Front Door connects to and sends as the Host header (e.g. `<app>.azurewebsites.net`). */
  readonly hostName: string;
  /**
   * Reach the origin over Private Link (Premium only), so the origin can refuse public traffic.
   * The origin's owner must approve the connection once. @default over the internet
   */
  readonly privateLink?: {
    readonly targetId: string;
    readonly location: string;
    readonly targetType: (typeof PRIVATE_LINK_TARGET_TYPES)[number];
  };
  /** 1 (first) to 5. @default 1 */
  readonly priority?: number;
  /** 1-1000. @default 500 */
  readonly weight?: number;
}

export interface FrontDoorProps {
  /** Front Door is global: only a resource group, no location. */
  readonly resourceGroupName: string;
  /** Profile name; the endpoint, origin group and route derive theirs from it. */
  readonly name: string;
  /** @default 'Premium_AzureFrontDoor' (managed WAF rules and Private Link origins need it) */
  readonly sku?: FrontDoorSku;
  /** Origins keyed by name. */
  readonly origins: Readonly<Record<string, FrontDoorOrigin>>;
  /** Path the origins answer 200 on. @default '/' */
  readonly healthProbePath?: string;
  /** @default ['/*'] */
  readonly patternsToMatch?: readonly string[];
  /** Custom domains keyed by name, served with a managed certificate and TLS 1.2+. @default none (the azurefd.net host only) */
  readonly customDomains?: Readonly<Record<string, string>>;
  /** @default managed rule sets (Premium) and 1000 requests per client IP per minute */
  readonly waf?: FrontDoorWafOptions;
  /** Access, health-probe and WAF logs go here. @default not sent */
  readonly logWorkspaceId?: string;
}
