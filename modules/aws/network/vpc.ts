// A VPC over N availability zones with public, private (egress through NAT) and isolated subnets,
// flow logs, a rule-less default security group, NACLs per tier and VPC endpoints.
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Vpc as AwsVpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { VpcFlowLog } from './flow-log.js';
import { VpcEndpoints } from './vpc-endpoints.js';
import { SubnetNetworkAcls } from './network-acls.js';
import { DEFAULT_GATEWAY_ENDPOINTS, type VpcProps } from './vpc-props.js';
import { validateVpcProps } from './vpc-validation.js';
import { cidrSubnet } from '../../core/cidr-subnet.js';

export type { NatGatewayMode, VpcProps } from './vpc-props.js';

export type SubnetTier = 'public' | 'private' | 'isolated';

const TIER_SLOT: Record<SubnetTier, number> = { public: 0, private: 8, isolated: 16 };

export class Vpc extends Construct {
  public readonly vpc: AwsVpc;
  public readonly vpcId: string;
  public readonly cidr: string;
  public readonly region: string;
  public readonly name: string;
  public readonly availabilityZones: string[];
  public readonly publicSubnets: Record<string, Subnet> = {};
  public readonly privateSubnets: Record<string, Subnet> = {};
  public readonly isolatedSubnets: Record<string, Subnet> = {};
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];
  public readonly internetGatewayId: string;
  /** NAT gateway ids keyed by the AZ they live in. */
  public readonly natGatewayIds: Record<string, string> = {};
  /** The NAT gateways' public (Elastic) IPs keyed by AZ: what third parties allow-list for egress. */
  public readonly natPublicIps: Record<string, string> = {};
  public readonly publicRouteTableId: string;
  /** Private route tables, one per AZ, in `availabilityZones` order. */
  public readonly privateRouteTableIds: string[];
  /** Isolated route tables, one per AZ, in `availabilityZones` order. */
  public readonly isolatedRouteTableIds: string[];
  /** Private route table ids keyed by AZ name (stable keys for routes added by neighbours, e.g. a VPN). */
  public readonly privateRouteTableIdsByAz: Record<string, string> = {};
  /** Isolated route table ids keyed by AZ name. */
  public readonly isolatedRouteTableIdsByAz: Record<string, string> = {};
  public readonly defaultSecurityGroup: DefaultSecurityGroup;
  public readonly flowLog: VpcFlowLog;
  public readonly networkAcls: SubnetNetworkAcls;
  public readonly endpoints: VpcEndpoints;
  public readonly endpointSecurityGroupId: string;
  public readonly gatewayEndpointIds: Record<string, string>;
  public readonly interfaceEndpointIds: Record<string, string>;

  constructor(scope: Construct, id: string, props: VpcProps) {
    super(scope, id);
    const natGateways = props.natGateways ?? 'perAz';
    const newBits = props.subnetNewBits ?? 5;
    this.name = props.name ?? id;
    validateVpcProps(this, { ...props, natGateways, subnetNewBits: newBits, name: this.name });

    this.cidr = props.cidr;
    this.availabilityZones = [...props.availabilityZones];
    this.region = this.availabilityZones[0].slice(0, -1);
    this.vpc = new AwsVpc(this, 'vpc', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: this.name },
    });
    this.vpcId = this.vpc.id;
    // Adopting the default group removes every rule AWS put in it: nothing can use it by accident.
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, 'default-security-group', {
      vpcId: this.vpcId,
      tags: { Name: `${this.name}-default-do-not-use` },
    });

    for (const az of this.availabilityZones) {
      this.publicSubnets[az] = this.createSubnet('public', az, newBits);
      this.privateSubnets[az] = this.createSubnet('private', az, newBits);
      this.isolatedSubnets[az] = this.createSubnet('isolated', az, newBits);
    }
    const ids = (subnets: Record<string, Subnet>) => this.availabilityZones.map((az) => subnets[az].id);
    this.publicSubnetIds = ids(this.publicSubnets);
    this.privateSubnetIds = ids(this.privateSubnets);
    this.isolatedSubnetIds = ids(this.isolatedSubnets);

    const internetGateway = new InternetGateway(this, 'internet-gateway', { vpcId: this.vpcId, tags: { Name: this.name } });
    this.internetGatewayId = internetGateway.id;
    this.publicRouteTableId = this.createRouteTable('public-route-table', `${this.name}-public`, this.publicSubnets, {
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });
    const natAzs = natGateways === 'perAz' ? this.availabilityZones : natGateways === 'single' ? [this.availabilityZones[0]] : [];
    for (const az of natAzs) this.natGatewayIds[az] = this.createNatGateway(az, internetGateway);

    for (const az of this.availabilityZones) {
      const natGatewayId = this.natGatewayIds[az] ?? this.natGatewayIds[natAzs[0]];
      const internetRoute = natGatewayId === undefined ? undefined : { destinationCidrBlock: '0.0.0.0/0', natGatewayId };
      const subnetsOf = (subnets: Record<string, Subnet>) => ({ [az]: subnets[az] });
      this.privateRouteTableIdsByAz[az] = this.createRouteTable(
        `private-route-table-${az}`,
        `${this.name}-private-${az}`,
        subnetsOf(this.privateSubnets),
        internetRoute,
      );
      this.isolatedRouteTableIdsByAz[az] = this.createRouteTable(
        `isolated-route-table-${az}`,
        `${this.name}-isolated-${az}`,
        subnetsOf(this.isolatedSubnets),
      );
    }
    this.privateRouteTableIds = this.availabilityZones.map((az) => this.privateRouteTableIdsByAz[az]);
    this.isolatedRouteTableIds = this.availabilityZones.map((az) => this.isolatedRouteTableIdsByAz[az]);

    this.flowLog = new VpcFlowLog(this, 'flow-log', {
      vpcId: this.vpcId,
      logGroupName: `/aws/vpc/flow-logs/${this.name}`,
      retentionInDays: props.flowLogRetentionDays ?? 365,
      kmsKeyArn: props.flowLogKmsKeyArn,
    });
    this.networkAcls = new SubnetNetworkAcls(this, 'network-acls', {
      vpcId: this.vpcId,
      vpcCidr: props.cidr,
      name: this.name,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      privateNetworkCidrs: props.privateNetworkCidrs ?? [],
    });
    this.endpoints = new VpcEndpoints(this, 'endpoints', {
      vpcId: this.vpcId,
      vpcCidr: props.cidr,
      region: this.region,
      name: this.name,
      gatewayEndpoints: props.gatewayEndpoints ?? DEFAULT_GATEWAY_ENDPOINTS,
      gatewayRouteTableIds: [...this.privateRouteTableIds, ...this.isolatedRouteTableIds],
      interfaceEndpoints: props.interfaceEndpoints ?? [],
      interfaceSubnetIds: this.privateSubnetIds,
    });
    this.endpointSecurityGroupId = this.endpoints.securityGroup.securityGroupId;
    this.gatewayEndpointIds = this.endpoints.gatewayEndpointIds;
    this.interfaceEndpointIds = this.endpoints.interfaceEndpointIds;
  }

  private createSubnet(tier: SubnetTier, az: string, newBits: number): Subnet {
    return new Subnet(this, `${tier}-${az}`, {
      vpcId: this.vpcId,
      availabilityZone: az,
      cidrBlock: cidrSubnet(this.cidr, newBits, TIER_SLOT[tier] + azLetterIndex(az)),
      mapPublicIpOnLaunch: false,
      tags: { Name: `${this.name}-${tier}-${az}`, Tier: tier },
    });
  }

  /** A route table for `subnets` (keyed by AZ), with an optional 0.0.0.0/0 route; returns its id. */
  private createRouteTable(
    id: string,
    name: string,
    subnets: Record<string, Subnet>,
    defaultRoute?: { destinationCidrBlock: string; gatewayId?: string; natGatewayId?: string },
  ): string {
    const table = new RouteTable(this, id, { vpcId: this.vpcId, tags: { Name: name } });
    if (defaultRoute) new Route(this, `${id}-default-route`, { routeTableId: table.id, ...defaultRoute });
    for (const [az, subnet] of Object.entries(subnets)) {
      new RouteTableAssociation(this, `${id}-${az}`, { subnetId: subnet.id, routeTableId: table.id });
    }
    return table.id;
  }

  private createNatGateway(az: string, internetGateway: InternetGateway): string {
    const eip = new Eip(this, `nat-eip-${az}`, { domain: 'vpc', tags: { Name: `${this.name}-nat-${az}` } });
    this.natPublicIps[az] = eip.publicIp;
    return new NatGateway(this, `nat-${az}`, {
      allocationId: eip.allocationId,
      subnetId: this.publicSubnets[az].id,
      tags: { Name: `${this.name}-${az}` },
      dependsOn: [internetGateway],
    }).id;
  }

  /** Subnet ids of one tier, in `availabilityZones` order. */
  subnetIds(tier: SubnetTier): string[] {
    return tier === 'public' ? this.publicSubnetIds : tier === 'private' ? this.privateSubnetIds : this.isolatedSubnetIds;
  }
}

/** 'eu-west-1a' → 0, 'eu-west-1c' → 2. */
export function azLetterIndex(az: string): number {
  return Token.isUnresolved(az) ? 0 : az.charCodeAt(az.length - 1) - 'a'.charCodeAt(0);
}
