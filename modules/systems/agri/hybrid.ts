// The hybrid deployment (seed section 3): farms with intermittent connectivity run their own
// docker-compose copy. A site-to-site VPN links the farm's network to the VPC (its sync service
// exchanges data with the cloud back end), and Route 53 failover sends users to the farm while its
// HTTPS health check passes, to the cloud's internet-facing ALB when it does not. Without hybrid,
// the domain is a plain alias to the ALB.
import { Construct } from 'constructs';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import type { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';
import { FailoverRecord } from '../../aws/connectivity/failover-record.js';
import { SiteToSiteVpn } from '../../aws/connectivity/site-to-site-vpn.js';

export interface FarmLink {
  readonly customerGatewayIp: string;
  readonly bgpAsn: number;
  readonly onPremCidr: string;
}

export interface AgriEntryProps {
  readonly prefix: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly publicLoadBalancer: ApplicationLoadBalancer;
  /** The farm's deployment as failover primary. @default none: the domain aliases the ALB */
  readonly failover?: { readonly farmAppIps: readonly string[]; readonly healthCheckPath: string };
  /** A VPN from the farm. @default none */
  readonly vpn?: FarmLink & { readonly vpcId: string; readonly routeTables: Record<string, string>; readonly logRetentionDays: number };
}

export class AgriEntry extends Construct {
  public readonly vpn?: SiteToSiteVpn;
  public readonly failover?: FailoverRecord;
  public readonly alias?: Route53Record;

  constructor(scope: Construct, id: string, props: AgriEntryProps) {
    super(scope, id);
    if (props.vpn) {
      this.vpn = new SiteToSiteVpn(this, 'farm-vpn', {
        name: `${props.prefix}-farm`,
        vpcId: props.vpn.vpcId,
        customerGatewayIp: props.vpn.customerGatewayIp,
        customerGatewayBgpAsn: props.vpn.bgpAsn,
        onPremisesCidrs: [props.vpn.onPremCidr],
        routeTables: props.vpn.routeTables,
        tunnelLogRetentionDays: props.vpn.logRetentionDays,
      });
    }
    const alb = props.publicLoadBalancer;
    if (props.failover) {
      this.failover = new FailoverRecord(this, 'failover', {
        zoneId: props.hostedZoneId,
        recordName: props.domain,
        primary: { ipAddresses: props.failover.farmAppIps },
        secondary: alb,
        healthCheck: { resourcePath: props.failover.healthCheckPath },
      });
    } else {
      this.alias = new Route53Record(this, 'alias', {
        zoneId: props.hostedZoneId,
        name: props.domain,
        type: 'A',
        alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
      });
    }
  }
}
