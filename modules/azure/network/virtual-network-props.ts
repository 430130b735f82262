// The props of VirtualNetwork: the address space and subnets keyed by name, with what a subnet may be given.
import type { Placement } from '../core/placement.js';
import type { InboundRule } from './nsg-rules.js';

/** Services that may own a subnet: App Service / Elastic Premium / Consumption, or Flex Consumption. */
export const SUBNET_DELEGATIONS = ['Microsoft.Web/serverFarms', 'Microsoft.App/environments'] as const;
export type SubnetDelegation = (typeof SUBNET_DELEGATIONS)[number];

export const SERVICE_ENDPOINTS = [
  'Microsoft.AzureActiveDirectory',
  'Microsoft.AzureCosmosDB',
  'Microsoft.CognitiveServices',
  'Microsoft.ContainerRegistry',
  'Microsoft.EventHub',
  'Microsoft.KeyVault',
  'Microsoft.ServiceBus',
  'Microsoft.Sql',
  'Microsoft.Storage',
  'Microsoft.Storage.Global',
  'Microsoft.Web',
] as const;
export type ServiceEndpoint = (typeof SERVICE_ENDPOINTS)[number];

export const GATEWAY_SUBNET = 'GatewaySubnet';

export interface SubnetProps {
  /** A canonical IPv4 CIDR inside the address space; `GatewaySubnet` needs /27 or larger. */
  readonly cidr: string;
  /** Hand the subnet to a service for VNet integration. @default not delegated */
  readonly delegation?: SubnetDelegation;
  /** @default none */
  readonly serviceEndpoints?: readonly ServiceEndpoint[];
  /** Inbound allow rules keyed by rule name. @default none: only the VNet and Azure Load Balancer reach the subnet */
  readonly inboundRules?: Readonly<Record<string, InboundRule>>;
  /** Route the subnet's internet-bound traffic through the VNet's NAT gateway. @default false: no outbound internet */
  readonly natGateway?: boolean;
}

export interface VirtualNetworkProps extends Placement {
  readonly name: string;
  /** Canonical IPv4 CIDRs. */
  readonly addressSpace: readonly string[];
  /** Subnets keyed by name. `GatewaySubnet` is the VPN gateway's and gets no NSG (Azure refuses one). */
  readonly subnets: Readonly<Record<string, SubnetProps>>;
  /** @default Azure-provided DNS */
  readonly dnsServers?: readonly string[];
}
