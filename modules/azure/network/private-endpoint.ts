// A private endpoint for one sub-resource of an Azure service, registered in its privatelink DNS zone.
import { Construct } from 'constructs';
import { PrivateEndpoint as AzurePrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';
import { PRIVATE_LINK_SUBRESOURCES, type PrivateDnsZoneSource, type PrivateLinkSubresource } from './private-dns-zones.js';

/** How a data or compute construct gets its private endpoint. */
export interface PrivateLinkOptions {
  /** Subnet that holds the endpoint's network interface. */
  readonly subnetId: string;
  /** Where the endpoint's A record goes (usually a `PrivateDnsZones`). */
  readonly dnsZones: PrivateDnsZoneSource;
}

export interface PrivateEndpointProps extends Placement, PrivateLinkOptions {
  /** Name of the endpoint (its NIC is `<name>-nic`). */
  readonly name: string;
  /** The resource to reach privately. */
  readonly targetResourceId: string;
  readonly subresource: PrivateLinkSubresource;
}

export class PrivateEndpoint extends Construct {
  public readonly endpoint: AzurePrivateEndpoint;
  public readonly id: string;

  constructor(scope: Construct, id: string, props: PrivateEndpointProps) {
    super(scope, id);
    const p = new PropProblems(this, 'PrivateEndpoint');
    checkPlacement(p, props);
    checkName(p, 'name', props.name, 'generic');
    p.oneOf('subresource', props.subresource, PRIVATE_LINK_SUBRESOURCES);
    p.throwIfAny();

    this.endpoint = new AzurePrivateEndpoint(this, 'endpoint', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: `${props.name}-connection`,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [props.dnsZones.zoneId(props.subresource)] },
    });
    this.id = this.endpoint.id;
  }
}
