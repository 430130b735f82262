// The props of Vpc and the defaults both the construct and its checks use.
import type { GatewayEndpointService } from './vpc-endpoints.js';

export type NatGatewayMode = 'single' | 'perAz' | 'none';

export interface VpcProps {
  /** IPv4 CIDR of the VPC, /16 to /23 with the default subnet size (e.g. `10.0.0.0/16`). */
  readonly cidr: string;
  /** AZ names of one region, e.g. `['eu-west-1a', 'eu-west-1b']`; subnets are keyed by these names. */
  readonly availabilityZones: readonly string[];
  /** `perAz` survives the loss of an AZ; `single` saves cost; `none` leaves private subnets without internet egress. @default 'perAz' */
  readonly natGateways?: NatGatewayMode;
  /** Retention of the flow-log group (a CloudWatch Logs retention value). @default 365 */
  readonly flowLogRetentionDays?: number;
  /** @default the CloudWatch Logs service key */
  readonly flowLogKmsKeyArn?: string;
  /** Gateway endpoints, routed from the private and isolated subnets. @default ['s3', 'dynamodb'] */
  readonly gatewayEndpoints?: readonly GatewayEndpointService[];
  /** Interface endpoint service short names (e.g. `execute-api`, `ecr.api`, `ecr.dkr`, `logs`). @default none (each costs per hour per AZ) */
  readonly interfaceEndpoints?: readonly string[];
  /** Prefix of resource names and `Name` tags. @default the construct id */
  readonly name?: string;
  /**
   * Bits added to the VPC prefix for every subnet. The subnet of tier T in the AZ with letter L
   * gets slot T×8 + index(L) (public 0-7, private 8-15, isolated 16-23), so adding or removing an
   * AZ never renumbers another subnet. @default 5 (a /16 VPC gets /21 subnets)
   */
  readonly subnetNewBits?: number;
  /** Networks outside the VPC (on-premises over VPN, peered VPCs) that private subnets accept traffic from. @default none */
  readonly privateNetworkCidrs?: readonly string[];
}

/** Gateway endpoints cost nothing, so every VPC gets them unless told otherwise. */
export const DEFAULT_GATEWAY_ENDPOINTS: GatewayEndpointService[] = ['s3', 'dynamodb'];

/** The props with the defaults the checks depend on filled in. */
export type ResolvedVpcProps = VpcProps & Required<Pick<VpcProps, 'natGateways' | 'subnetNewBits' | 'name'>>;
