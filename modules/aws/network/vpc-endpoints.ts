// Gateway endpoints (free; S3/DynamoDB traffic stays on the AWS network) on the private and
// isolated route tables, and interface endpoints with private DNS behind a security group
// that accepts HTTPS from the VPC only.
import { Construct } from 'constructs';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { SecurityGroup } from './security-group.js';

export type GatewayEndpointService = 's3' | 'dynamodb';

export interface VpcEndpointsProps {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly region: string;
  readonly name: string;
  readonly gatewayEndpoints: readonly GatewayEndpointService[];
  readonly gatewayRouteTableIds: readonly string[];
  readonly interfaceEndpoints: readonly string[];
  /** One subnet per AZ (the private subnets). */
  readonly interfaceSubnetIds: readonly string[];
}

export class VpcEndpoints extends Construct {
  public readonly securityGroup: SecurityGroup;
  public readonly gatewayEndpointIds: Record<string, string> = {};
  public readonly interfaceEndpointIds: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'security-group', {
      vpcId: props.vpcId,
      description: `Interface endpoints of ${props.name}: HTTPS from the VPC only`,
      ingress: [{ name: 'https-from-vpc', description: 'HTTPS from inside the VPC', fromPort: 443, cidrIpv4: props.vpcCidr }],
      tags: { Name: `${props.name}-endpoints` },
    });
    for (const service of props.gatewayEndpoints) {
      this.gatewayEndpointIds[service] = new VpcEndpoint(this, `gateway-${service}`, {
        vpcId: props.vpcId,
        vpcEndpointType: 'Gateway',
        serviceName: `com.amazonaws.${props.region}.${service}`,
        routeTableIds: [...props.gatewayRouteTableIds],
        tags: { Name: `${props.name}-${service}` },
      }).id;
    }
    for (const service of props.interfaceEndpoints) {
      this.interfaceEndpointIds[service] = new VpcEndpoint(this, `interface-${service}`, {
        vpcId: props.vpcId,
        vpcEndpointType: 'Interface',
        serviceName: `com.amazonaws.${props.region}.${service}`,
        privateDnsEnabled: true,
        subnetIds: [...props.interfaceSubnetIds],
        securityGroupIds: [this.securityGroup.securityGroupId],
        tags: { Name: `${props.name}-${service}` },
      }).id;
    }
  }
}
