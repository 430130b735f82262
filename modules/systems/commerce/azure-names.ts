// Names of the commerce system's Azure resources. Several are global DNS names, so they carry a
// suffix derived from the tenant, the prefix and the location: stable across deploys, distinct per site.
import { createHash } from 'node:crypto';

export interface CommerceAzureNames {
  readonly resourceGroup: string;
  readonly network: string;
  readonly workspace: string;
  readonly insights: string;
  readonly keyVault: string;
  readonly functionStorage: string;
  readonly backupStorage: string;
  readonly functionPlan: string;
  readonly sqlServer: string;
  readonly serviceBus: string;
  readonly redis: string;
  readonly frontDoor: string;
  readonly vpnGateway: string;
  readonly actionGroup: string;
  functionApp(service: string): string;
}

/** A 6-character lowercase hex suffix: the same inputs always give the same suffix. */
export function nameSuffix(tenantId: string, prefix: string, location: string): string {
  return createHash('sha256').update(`${tenantId}|${prefix}|${location}`).digest('hex').slice(0, 6);
}

export function commerceAzureNames(prefix: string, suffix: string): CommerceAzureNames {
  // Storage accounts and vaults allow 24 characters; storage allows no hyphens.
  const compact = prefix.replace(/[^a-z0-9]/g, '').slice(0, 14);
  return {
    resourceGroup: `${prefix}-rg`,
    network: `${prefix}-vnet`,
    workspace: `${prefix}-logs`,
    insights: `${prefix}-insights`,
    keyVault: `kv${compact}${suffix}`,
    functionStorage: `st${compact}fn${suffix}`,
    backupStorage: `st${compact}bk${suffix}`,
    functionPlan: `${prefix}-functions-plan`,
    sqlServer: `${prefix}-sql-${suffix}`,
    serviceBus: `${prefix}-bus-${suffix}`,
    redis: `${prefix}-redis-${suffix}`,
    frontDoor: `${prefix}-fd`,
    vpnGateway: `${prefix}-vpn`,
    actionGroup: `${prefix}-alerts`,
    functionApp: (service) => `${prefix}-${service}-${suffix}`,
  };
}
