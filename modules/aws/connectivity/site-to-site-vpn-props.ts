// The props of SiteToSiteVpn: the on-premises device and networks, where the VPN ends on AWS, routing.
export type VpnRouting = 'bgp' | 'static';

export interface SiteToSiteVpnProps {
  /** Public IPv4 address of the on-premises VPN device. */
  readonly customerGatewayIp: string;
  /** BGP ASN of the on-premises device (AWS asks for one even with static routing). @default 65000 */
  readonly customerGatewayBgpAsn?: number;
  /** Networks on premises, e.g. `['192.168.0.0/16']`. Pass the same list to `Vpc.privateNetworkCidrs` so the NACLs admit them. */
  readonly onPremisesCidrs: readonly string[];
  /** `bgp` fails over between the two tunnels by itself; `static` needs no BGP on the device. @default 'bgp' */
  readonly routing?: VpnRouting;
  /** Attach to this VPC through a new virtual private gateway. Give exactly one of `vpcId` and `transitGatewayId`. */
  readonly vpcId?: string;
  /** AWS-side ASN of the new virtual private gateway (64512-65534 or 4200000000-4294967294). @default 64512 */
  readonly amazonSideAsn?: number;
  /** Terminate the VPN on this transit gateway instead of a virtual private gateway. */
  readonly transitGatewayId?: string;
  /** Transit gateway route table that receives the static routes; required for `static` routing on a transit gateway. */
  readonly transitGatewayRouteTableId?: string;
  /** VPC route tables that must reach on-premises, keyed by a stable name (e.g. `Vpc.privateRouteTableIdsByAz`). @default none */
  readonly routeTables?: Record<string, string>;
  /**
   * Virtual private gateway only: propagate VPN routes into `routeTables` (true) or write static routes
   * to the gateway (false). With a transit gateway the route tables always get static routes to it.
   * @default true
   */
  readonly routePropagation?: boolean;
  /** Retention of the tunnel-activity log group. @default 365 */
  readonly tunnelLogRetentionDays?: number;
  /** `SecretsManager` keeps the generated pre-shared keys out of Terraform state. @default 'SecretsManager' */
  readonly presharedKeyStorage?: 'SecretsManager' | 'Standard';
  /** Prefix of `Name` tags and the log group name. @default the construct id */
  readonly name?: string;
}

/** The props with the defaults the checks depend on filled in. */
export type ResolvedSiteToSiteVpnProps = SiteToSiteVpnProps &
  Required<Pick<SiteToSiteVpnProps, 'routing' | 'customerGatewayBgpAsn' | 'name' | 'routeTables'>>;
