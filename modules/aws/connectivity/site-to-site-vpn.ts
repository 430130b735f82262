// An IPsec site-to-site VPN from an on-premises device to a VPC (through a new virtual private
// gateway) or to a transit gateway: IKEv2 only, AES-256 / SHA-2 / ECDH groups, tunnel logs in
// CloudWatch, pre-shared keys kept in Secrets Manager rather than in Terraform state.
import { Construct } from 'constructs';
import { CustomerGateway } from '@cdktf/provider-aws/lib/customer-gateway/index.js';
import { VpnGateway } from '@cdktf/provider-aws/lib/vpn-gateway/index.js';
import { VpnConnection, type VpnConnectionConfig } from '@cdktf/provider-aws/lib/vpn-connection/index.js';
import { VpnConnectionRoute } from '@cdktf/provider-aws/lib/vpn-connection-route/index.js';
import { VpnGatewayRoutePropagation } from '@cdktf/provider-aws/lib/vpn-gateway-route-propagation/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route/index.js';
import { LogGroup } from '../observability/log-group.js';
import type { SiteToSiteVpnProps, VpnRouting } from './site-to-site-vpn-props.js';
import { validateVpnProps } from './site-to-site-vpn-validation.js';

export type { SiteToSiteVpnProps, VpnRouting } from './site-to-site-vpn-props.js';

/** Proposals offered on both tunnels; legacy algorithms (AES128, SHA1, MODP groups) are left out. */
export const TUNNEL_CRYPTO = {
  ikeVersions: ['ikev2'],
  phase1EncryptionAlgorithms: ['AES256', 'AES256-GCM-16'],
  phase1IntegrityAlgorithms: ['SHA2-256', 'SHA2-384', 'SHA2-512'],
  phase1DhGroupNumbers: [19, 20, 21],
  phase2EncryptionAlgorithms: ['AES256', 'AES256-GCM-16'],
  phase2IntegrityAlgorithms: ['SHA2-256', 'SHA2-384', 'SHA2-512'],
  phase2DhGroupNumbers: [19, 20, 21],
} as const;

export class SiteToSiteVpn extends Construct {
  public readonly customerGateway: CustomerGateway;
  public readonly vpnConnection: VpnConnection;
  public readonly vpnConnectionId: string;
  /** Set when the VPN terminates on a new virtual private gateway (`vpcId`). */
  public readonly vpnGateway?: VpnGateway;
  public readonly tunnelLogGroup: LogGroup;
  public readonly onPremisesCidrs: string[];
  /** Outside addresses of the two AWS tunnel endpoints, for the on-premises device configuration. */
  public readonly tunnelAddresses: [string, string];

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    const name = props.name ?? id;
    const routing = props.routing ?? 'bgp';
    const bgpAsn = props.customerGatewayBgpAsn ?? 65000;
    const routeTables = props.routeTables ?? {};
    validateVpnProps(this, { ...props, routing, customerGatewayBgpAsn: bgpAsn, name, routeTables });
    this.onPremisesCidrs = [...props.onPremisesCidrs];

    this.customerGateway = new CustomerGateway(this, 'customer-gateway', {
      ipAddress: props.customerGatewayIp,
      type: 'ipsec.1',
      ...(bgpAsn > 2147483647 ? { bgpAsnExtended: String(bgpAsn) } : { bgpAsn: String(bgpAsn) }),
      tags: { Name: name },
    });
    if (props.vpcId !== undefined) {
      this.vpnGateway = new VpnGateway(this, 'vpn-gateway', {
        vpcId: props.vpcId,
        amazonSideAsn: String(props.amazonSideAsn ?? 64512),
        tags: { Name: name },
      });
    }
    this.tunnelLogGroup = new LogGroup(this, 'tunnel-logs', {
      name: `/aws/vpn/${name}`,
      retentionInDays: props.tunnelLogRetentionDays ?? 365,
    });
    this.vpnConnection = new VpnConnection(this, 'connection', {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.id,
      vpnGatewayId: this.vpnGateway?.id,
      transitGatewayId: props.transitGatewayId,
      staticRoutesOnly: routing === 'static',
      presharedKeyStorage: props.presharedKeyStorage ?? 'SecretsManager',
      ...tunnelOptions(1, this.tunnelLogGroup.arn),
      ...tunnelOptions(2, this.tunnelLogGroup.arn),
      tags: { Name: name },
    });
    this.vpnConnectionId = this.vpnConnection.id;
    this.tunnelAddresses = [this.vpnConnection.tunnel1Address, this.vpnConnection.tunnel2Address];

    this.addOnPremisesRoutes(props, routing, routeTables);
  }

  private addOnPremisesRoutes(props: SiteToSiteVpnProps, routing: VpnRouting, routeTables: Record<string, string>): void {
    const staticCidrs = routing === 'static' ? props.onPremisesCidrs : [];
    for (const cidr of staticCidrs) {
      if (this.vpnGateway) {
        new VpnConnectionRoute(this, `vpn-route-${cidrKey(cidr)}`, { vpnConnectionId: this.vpnConnection.id, destinationCidrBlock: cidr });
      } else {
        new Ec2TransitGatewayRoute(this, `transit-gateway-route-${cidrKey(cidr)}`, {
          destinationCidrBlock: cidr,
          transitGatewayAttachmentId: this.vpnConnection.transitGatewayAttachmentId,
          transitGatewayRouteTableId: props.transitGatewayRouteTableId!,
        });
      }
    }
    for (const [tableName, routeTableId] of Object.entries(routeTables)) {
      if (this.vpnGateway && props.routePropagation !== false) {
        new VpnGatewayRoutePropagation(this, `propagation-${tableName}`, { vpnGatewayId: this.vpnGateway.id, routeTableId });
        continue;
      }
      for (const cidr of props.onPremisesCidrs) {
        new Route(this, `route-${tableName}-${cidrKey(cidr)}`, {
          routeTableId,
          destinationCidrBlock: cidr,
          ...(this.vpnGateway ? { gatewayId: this.vpnGateway.id } : { transitGatewayId: props.transitGatewayId }),
        });
      }
    }
  }
}

/** '192.168.0.0/16' → '192-168-0-0-16' (construct ids must not contain '/'). */
function cidrKey(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}

function tunnelOptions(tunnel: 1 | 2, logGroupArn: string): Partial<VpnConnectionConfig> {
  const options = {
    IkeVersions: [...TUNNEL_CRYPTO.ikeVersions],
    Phase1EncryptionAlgorithms: [...TUNNEL_CRYPTO.phase1EncryptionAlgorithms],
    Phase1IntegrityAlgorithms: [...TUNNEL_CRYPTO.phase1IntegrityAlgorithms],
    Phase1DhGroupNumbers: [...TUNNEL_CRYPTO.phase1DhGroupNumbers],
    Phase2EncryptionAlgorithms: [...TUNNEL_CRYPTO.phase2EncryptionAlgorithms],
    Phase2IntegrityAlgorithms: [...TUNNEL_CRYPTO.phase2IntegrityAlgorithms],
    Phase2DhGroupNumbers: [...TUNNEL_CRYPTO.phase2DhGroupNumbers],
    // A dead peer restarts the tunnel instead of leaving it down until on-premises re-initiates.
    DpdTimeoutAction: 'restart',
    LogOptions: { cloudwatchLogOptions: { logEnabled: true, logGroupArn, logOutputFormat: 'json' } },
  };
  return Object.fromEntries(
    Object.entries(options).map(([key, value]) => [`tunnel${tunnel}${key}`, value]),
  ) as Partial<VpnConnectionConfig>;
}
