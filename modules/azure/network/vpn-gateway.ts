// A route-based VPN gateway with one IPsec (IKEv2) connection per remote tunnel, e.g. AWS's two tunnels.
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { LocalNetworkGateway } from '@cdktf/provider-azurerm/lib/local-network-gateway/index.js';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip/index.js';
import { VirtualNetworkGateway } from '@cdktf/provider-azurerm/lib/virtual-network-gateway/index.js';
import {
  VirtualNetworkGatewayConnection,
  type VirtualNetworkGatewayConnectionIpsecPolicy,
} from '@cdktf/provider-azurerm/lib/virtual-network-gateway-connection/index.js';
import { isUnresolved, PropProblems } from '../../core/validation.js';
import { isIpv4, parseCidr } from '../../core/cidr.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';

export const VPN_GATEWAY_SKUS = [
  'VpnGw1AZ',
  'VpnGw2AZ',
  'VpnGw3AZ',
  'VpnGw4AZ',
  'VpnGw5AZ',
  'VpnGw1',
  'VpnGw2',
  'VpnGw3',
  'VpnGw4',
  'VpnGw5',
] as const;
export type VpnGatewaySku = (typeof VPN_GATEWAY_SKUS)[number];

/** Algorithms that are not broken (no DES/3DES, MD5/SHA1, DH groups 1/2). */
export const IPSEC_ALGORITHMS = {
  ikeEncryption: ['AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES256'],
  ikeIntegrity: ['SHA256', 'SHA384', 'GCMAES128', 'GCMAES256'],
  dhGroup: ['DHGroup14', 'DHGroup24', 'DHGroup2048', 'ECP256', 'ECP384'],
  ipsecEncryption: ['AES128', 'AES192', 'AES256', 'GCMAES128', 'GCMAES192', 'GCMAES256'],
  ipsecIntegrity: ['SHA256', 'GCMAES128', 'GCMAES192', 'GCMAES256'],
  pfsGroup: ['PFS14', 'PFS2048', 'PFS24', 'ECP256', 'ECP384', 'PFSMM'],
} as const;

export interface IpsecPolicy {
  readonly ikeEncryption: (typeof IPSEC_ALGORITHMS.ikeEncryption)[number];
  readonly ikeIntegrity: (typeof IPSEC_ALGORITHMS.ikeIntegrity)[number];
  readonly dhGroup: (typeof IPSEC_ALGORITHMS.dhGroup)[number];
  readonly ipsecEncryption: (typeof IPSEC_ALGORITHMS.ipsecEncryption)[number];
  readonly ipsecIntegrity: (typeof IPSEC_ALGORITHMS.ipsecIntegrity)[number];
  readonly pfsGroup: (typeof IPSEC_ALGORITHMS.pfsGroup)[number];
  /** Phase 2 SA lifetime, 300-172799 seconds. */
  readonly saLifetimeSeconds: number;
}

/**
 * Matches the AWS side as modules/aws/connectivity/SiteToSiteVpn builds it (IKEv2, AES-256, SHA-256,
 * DH/PFS group 19 = ECP256, 1 h phase 2): that construct offers only groups 19-21, so group 14 would
 * never negotiate.
 */
export const AWS_COMPATIBLE_IPSEC_POLICY: IpsecPolicy = {
  ikeEncryption: 'AES256',
  ikeIntegrity: 'SHA256',
  dhGroup: 'ECP256',
  ipsecEncryption: 'AES256',
  ipsecIntegrity: 'SHA256',
  pfsGroup: 'ECP256',
  saLifetimeSeconds: 3600,
};

export interface VpnTunnel {
  /** Public IPv4 address of the remote end (e.g. an AWS tunnel's outside address). */
  readonly address: string;
  /**
   * Pre-shared key: a reference (a sensitive `TerraformVariable`, a Key Vault secret data source),
   * never a literal. It is stored in Terraform state, like every shared key.
   */
  readonly sharedKey: string;
}

export interface VpnGatewayProps extends Placement {
  readonly name: string;
  /** Id of the VNet's `GatewaySubnet` (/27 or larger). */
  readonly gatewaySubnetId: string;
  /** Remote tunnels keyed by name (`tunnel1`, `tunnel2`): one local network gateway and connection each. */
  readonly tunnels: Readonly<Record<string, VpnTunnel>>;
  /** CIDRs of the remote network, routed over every tunnel. */
  readonly remoteAddressSpace: readonly string[];
  /** @default 'VpnGw1AZ' (zone-redundant; the non-AZ SKUs are being retired by Microsoft) */
  readonly sku?: VpnGatewaySku;
  /** Zones of the gateway's public IP (AZ SKUs only). @default ['1', '2', '3'] for AZ SKUs */
  readonly zones?: readonly string[];
  /** @default AWS_COMPATIBLE_IPSEC_POLICY */
  readonly ipsecPolicy?: IpsecPolicy;
}

export class VpnGateway extends Construct {
  public readonly gateway: VirtualNetworkGateway;
  public readonly publicIp: PublicIp;
  /** The gateway's public address: the remote side's customer gateway. */
  public readonly publicIpAddress: string;
  /** Connections by tunnel name. */
  public readonly connections: Readonly<Record<string, VirtualNetworkGatewayConnection>>;

  constructor(scope: Construct, id: string, props: VpnGatewayProps) {
    super(scope, id);
    const sku = props.sku ?? 'VpnGw1AZ';
    const zoneRedundant = sku.endsWith('AZ');
    const policy = props.ipsecPolicy ?? AWS_COMPATIBLE_IPSEC_POLICY;
    validate(this, props, sku, zoneRedundant, policy);
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.publicIp = new PublicIp(this, 'public-ip', {
      ...placement,
      name: `${props.name}-ip`,
      allocationMethod: 'Static',
      sku: 'Standard',
      zones: zoneRedundant ? [...(props.zones ?? ['1', '2', '3'])] : undefined,
    });
    this.publicIpAddress = this.publicIp.ipAddress;
    this.gateway = new VirtualNetworkGateway(this, 'gateway', {
      ...placement,
      name: props.name,
      type: 'Vpn',
      vpnType: 'RouteBased',
      sku,
      generation: /^VpnGw1/.test(sku) ? 'Generation1' : 'Generation2',
      activeActive: false,
      enableBgp: false,
      ipConfiguration: [
        { name: 'default', publicIpAddressId: this.publicIp.id, subnetId: props.gatewaySubnetId, privateIpAddressAllocation: 'Dynamic' },
      ],
    });

    const connections: Record<string, VirtualNetworkGatewayConnection> = {};
    const ipsecPolicy: VirtualNetworkGatewayConnectionIpsecPolicy = {
      ikeEncryption: policy.ikeEncryption,
      ikeIntegrity: policy.ikeIntegrity,
      dhGroup: policy.dhGroup,
      ipsecEncryption: policy.ipsecEncryption,
      ipsecIntegrity: policy.ipsecIntegrity,
      pfsGroup: policy.pfsGroup,
      saLifetime: policy.saLifetimeSeconds,
    };
    for (const [tunnelName, tunnel] of Object.entries(props.tunnels)) {
      const local = new LocalNetworkGateway(this, `remote-${tunnelName}`, {
        ...placement,
        name: `${props.name}-${tunnelName}`,
        gatewayAddress: tunnel.address,
        addressSpace: [...props.remoteAddressSpace],
      });
      connections[tunnelName] = new VirtualNetworkGatewayConnection(this, `connection-${tunnelName}`, {
        ...placement,
        name: `${props.name}-${tunnelName}`,
        type: 'IPsec',
        connectionProtocol: 'IKEv2',
        virtualNetworkGatewayId: this.gateway.id,
        localNetworkGatewayId: local.id,
        sharedKey: tunnel.sharedKey,
        usePolicyBasedTrafficSelectors: false,
        ipsecPolicy,
      });
    }
    this.connections = connections;
  }
}

function validate(scope: Construct, props: VpnGatewayProps, sku: string, zoneRedundant: boolean, policy: IpsecPolicy): void {
  const p = new PropProblems(scope, 'VpnGateway');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'generic');
  p.oneOf('sku', sku, VPN_GATEWAY_SKUS);
  p.check(zoneRedundant || props.zones === undefined, `zones needs a zone-redundant (…AZ) sku (got sku ${JSON.stringify(sku)})`);
  for (const zone of props.zones ?? []) p.oneOf('zones', zone, ['1', '2', '3']);
  const tunnels = Object.entries(props.tunnels);
  p.check(tunnels.length > 0, 'tunnels must name at least one remote tunnel (got {})');
  for (const [name, tunnel] of tunnels) {
    p.matches(`tunnels.${name}`, name, /^[a-z0-9][a-z0-9-]{0,30}$/, 'a tunnel name of 1-31 lowercase letters, digits or hyphens');
    p.check(
      isIpv4(tunnel.address),
      `tunnels.${name}.address must be a public IPv4 address (got ${JSON.stringify(tunnel.address)})`,
      tunnel.address,
    );
    p.check(
      Token.isUnresolved(tunnel.sharedKey),
      `tunnels.${name}.sharedKey must be a reference (a sensitive TerraformVariable or a Key Vault secret), never a literal (got a literal of ${tunnel.sharedKey.length} characters)`,
    );
  }
  p.check(props.remoteAddressSpace.length > 0, 'remoteAddressSpace must list at least one CIDR (got [])');
  for (const cidr of props.remoteAddressSpace) {
    p.check(
      !isUnresolved(cidr) && parseCidr(cidr) !== undefined,
      `remoteAddressSpace must hold canonical IPv4 CIDRs (got ${JSON.stringify(cidr)})`,
      cidr,
    );
  }
  for (const [field, allowed] of Object.entries(IPSEC_ALGORITHMS)) {
    p.oneOf(`ipsecPolicy.${field}`, policy[field as keyof typeof IPSEC_ALGORITHMS], allowed as readonly string[]);
  }
  p.range('ipsecPolicy.saLifetimeSeconds', policy.saLifetimeSeconds, 300, 172799);
  p.throwIfAny();
}
