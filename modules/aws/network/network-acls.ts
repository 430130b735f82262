// Stateless subnet-level guard rails under the security groups:
//   public   — HTTP/HTTPS and ephemeral return traffic from anywhere, anything from the VPC;
//   private  — anything from the VPC (and declared private networks), ephemeral return traffic;
//   isolated — VPC-internal traffic only, in and out.
// Ephemeral ranges skip 3389 so that no rule opens RDP to 0.0.0.0/0 (checkov CKV_AWS_231).
import { Construct } from 'constructs';
import { NetworkAcl, type NetworkAclEgress, type NetworkAclIngress } from '@cdktf/provider-aws/lib/network-acl/index.js';

type AclRule = NetworkAclIngress & NetworkAclEgress;

export interface SubnetNetworkAclsProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly name: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly isolatedSubnetIds: readonly string[];
  /** Networks outside the VPC (e.g. on-premises over VPN) that private subnets accept traffic from. */
  readonly privateNetworkCidrs: readonly string[];
}

const ANYWHERE = '0.0.0.0/0';

function allFrom(ruleNo: number, cidrBlock: string): AclRule {
  return { ruleNo, action: 'allow', protocol: '-1', fromPort: 0, toPort: 0, cidrBlock };
}

function tcp(ruleNo: number, fromPort: number, toPort: number, cidrBlock: string): AclRule {
  return { ruleNo, action: 'allow', protocol: 'tcp', fromPort, toPort, cidrBlock };
}

/** Return traffic for connections opened from inside (or via the NAT gateway), minus 3389. */
function ephemeralFromAnywhere(firstRuleNo: number): AclRule[] {
  return (['tcp', 'udp'] as const).flatMap((protocol, i) => [
    { ruleNo: firstRuleNo + i * 20, action: 'allow', protocol, fromPort: 1024, toPort: 3388, cidrBlock: ANYWHERE },
    { ruleNo: firstRuleNo + i * 20 + 10, action: 'allow', protocol, fromPort: 3390, toPort: 65535, cidrBlock: ANYWHERE },
  ]);
}

export class SubnetNetworkAcls extends Construct {
  public readonly publicAcl: NetworkAcl;
  public readonly privateAcl: NetworkAcl;
  public readonly isolatedAcl: NetworkAcl;

  constructor(scope: Construct, id: string, props: SubnetNetworkAclsProps) {
    super(scope, id);
    this.publicAcl = new NetworkAcl(this, 'public', {
      vpcId: props.vpcId,
      subnetIds: [...props.publicSubnetIds],
      ingress: [allFrom(100, props.vpcCidr), tcp(110, 80, 80, ANYWHERE), tcp(120, 443, 443, ANYWHERE), ...ephemeralFromAnywhere(200)],
      egress: [allFrom(100, ANYWHERE)],
      tags: { Name: `${props.name}-public` },
    });
    this.privateAcl = new NetworkAcl(this, 'private', {
      vpcId: props.vpcId,
      subnetIds: [...props.privateSubnetIds],
      ingress: [
        allFrom(100, props.vpcCidr),
        ...props.privateNetworkCidrs.map((cidr, i) => allFrom(110 + i * 10, cidr)),
        ...ephemeralFromAnywhere(1000),
      ],
      egress: [allFrom(100, ANYWHERE)],
      tags: { Name: `${props.name}-private` },
    });
    this.isolatedAcl = new NetworkAcl(this, 'isolated', {
      vpcId: props.vpcId,
      subnetIds: [...props.isolatedSubnetIds],
      ingress: [allFrom(100, props.vpcCidr)],
      egress: [allFrom(100, props.vpcCidr)],
      tags: { Name: `${props.name}-isolated` },
    });
  }
}
