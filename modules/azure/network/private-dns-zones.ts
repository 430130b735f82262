// The privatelink.* DNS zones private endpoints register in, created on first use and linked to the VNets.
import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone/index.js';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js';
import { PropProblems } from '../../core/validation.js';

/** The private DNS zone of each private-link sub-resource (Azure public cloud). */
export const PRIVATE_DNS_ZONE_NAMES = {
  sqlServer: 'privatelink.database.windows.net',
  redisCache: 'privatelink.redis.cache.windows.net',
  namespace: 'privatelink.servicebus.windows.net',
  vault: 'privatelink.vaultcore.azure.net',
  blob: 'privatelink.blob.core.windows.net',
  queue: 'privatelink.queue.core.windows.net',
  table: 'privatelink.table.core.windows.net',
  file: 'privatelink.file.core.windows.net',
  sites: 'privatelink.azurewebsites.net',
} as const;
export type PrivateLinkSubresource = keyof typeof PRIVATE_DNS_ZONE_NAMES;
export const PRIVATE_LINK_SUBRESOURCES = Object.keys(PRIVATE_DNS_ZONE_NAMES) as PrivateLinkSubresource[];

/** What a construct needs to register its private endpoint in DNS. */
export interface PrivateDnsZoneSource {
  zoneId(subresource: PrivateLinkSubresource): string;
}

export interface PrivateDnsZonesProps {
  /** Resource group for the zones (private DNS zones are global: no location). */
  readonly resourceGroupName: string;
  /** VNets that resolve the zones, keyed by a name (the link's name). */
  readonly virtualNetworkIds: Readonly<Record<string, string>>;
}

export class PrivateDnsZones extends Construct implements PrivateDnsZoneSource {
  /** Zones created so far, by sub-resource. */
  public readonly zones = new Map<PrivateLinkSubresource, PrivateDnsZone>();
  private readonly props: PrivateDnsZonesProps;

  constructor(scope: Construct, id: string, props: PrivateDnsZonesProps) {
    super(scope, id);
    const p = new PropProblems(this, 'PrivateDnsZones');
    p.check(Object.keys(props.virtualNetworkIds).length > 0, 'virtualNetworkIds must name at least one VNet to link (got {})');
    for (const name of Object.keys(props.virtualNetworkIds)) {
      p.matches(`virtualNetworkIds.${name}`, name, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'a link name of 1-80 letters, digits, _ . or -');
    }
    p.throwIfAny();
    this.props = props;
  }

  /** The zone for `subresource`, created (and linked to every VNet, without auto-registration) on first use. */
  public zoneId(subresource: PrivateLinkSubresource): string {
    const zoneName = PRIVATE_DNS_ZONE_NAMES[subresource];
    if (zoneName === undefined) {
      throw new Error(
        `PrivateDnsZones ${this.node.path}: subresource must be one of ${PRIVATE_LINK_SUBRESOURCES.join(', ')} (got ${JSON.stringify(subresource)})`,
      );
    }
    let zone = this.zones.get(subresource);
    if (zone === undefined) {
      zone = new PrivateDnsZone(this, subresource, { name: zoneName, resourceGroupName: this.props.resourceGroupName });
      for (const [linkName, vnetId] of Object.entries(this.props.virtualNetworkIds)) {
        new PrivateDnsZoneVirtualNetworkLink(this, `${subresource}-${linkName}`, {
          name: linkName,
          resourceGroupName: this.props.resourceGroupName,
          privateDnsZoneName: zone.name,
          virtualNetworkId: vnetId,
          registrationEnabled: false,
        });
      }
      this.zones.set(subresource, zone);
    }
    return zone.id;
  }
}
