// A virtual network whose subnets are keyed by name, each behind its own NSG that denies the internet.
import { Construct } from 'constructs';
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway/index.js';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association/index.js';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group/index.js';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule/index.js';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association/index.js';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association/index.js';
import { VirtualNetwork as AzureVirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network/index.js';
import { PropProblems } from '../../core/validation.js';
import type { InboundRule } from './nsg-rules.js';
import { GATEWAY_SUBNET, type VirtualNetworkProps } from './virtual-network-props.js';
import { ruleProblems, validateVirtualNetwork } from './virtual-network-validation.js';

export { GATEWAY_SUBNET, SERVICE_ENDPOINTS, SUBNET_DELEGATIONS } from './virtual-network-props.js';
export type { ServiceEndpoint, SubnetDelegation, SubnetProps, VirtualNetworkProps } from './virtual-network-props.js';

export const INTERNET_DENY_PRIORITY = 4096;

export class VirtualNetwork extends Construct {
  public readonly network: AzureVirtualNetwork;
  public readonly id: string;
  public readonly name: string;
  public readonly addressSpace: readonly string[];
  /** Subnet ids by subnet name. */
  public readonly subnetIds: Readonly<Record<string, string>>;
  /** NSG resources by subnet name (every subnet but `GatewaySubnet`). */
  public readonly securityGroups: Readonly<Record<string, NetworkSecurityGroup>>;
  /** The NAT gateway's public IP, when a subnet asked for one (allow-list it at third parties). */
  public readonly natPublicIp?: PublicIp;
  private readonly props: VirtualNetworkProps;
  private readonly rulePriorities = new Map<string, Map<number, string>>();

  constructor(scope: Construct, id: string, props: VirtualNetworkProps) {
    super(scope, id);
    validateVirtualNetwork(this, props);
    this.props = props;
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location };

    this.network = new AzureVirtualNetwork(this, 'vnet', {
      ...placement,
      name: props.name,
      addressSpace: [...props.addressSpace],
      dnsServers: props.dnsServers === undefined ? undefined : [...props.dnsServers],
    });
    this.id = this.network.id;
    this.name = this.network.name;
    this.addressSpace = props.addressSpace;

    const natSubnets = Object.entries(props.subnets).filter(([, s]) => s.natGateway === true);
    let natGatewayId: string | undefined;
    if (natSubnets.length > 0) {
      this.natPublicIp = new PublicIp(this, 'nat-ip', {
        ...placement,
        name: `${props.name}-nat-ip`,
        allocationMethod: 'Static',
        sku: 'Standard',
      });
      const nat = new NatGateway(this, 'nat', { ...placement, name: `${props.name}-nat`, skuName: 'Standard', idleTimeoutInMinutes: 4 });
      new NatGatewayPublicIpAssociation(this, 'nat-ip-association', { natGatewayId: nat.id, publicIpAddressId: this.natPublicIp.id });
      natGatewayId = nat.id;
    }

    const subnetIds: Record<string, string> = {};
    const securityGroups: Record<string, NetworkSecurityGroup> = {};
    for (const [subnetName, spec] of Object.entries(props.subnets)) {
      const isGateway = subnetName === GATEWAY_SUBNET;
      const subnet = new Subnet(this, `subnet-${subnetName}`, {
        name: subnetName,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.network.name,
        addressPrefixes: [spec.cidr],
        // Private subnets: no implicit internet egress; outbound goes through the NAT gateway when asked.
        defaultOutboundAccessEnabled: isGateway ? undefined : false,
        // NSGs and route tables apply to private endpoints too.
        privateEndpointNetworkPolicies: isGateway ? undefined : 'Enabled',
        serviceEndpoints: spec.serviceEndpoints === undefined ? undefined : [...spec.serviceEndpoints],
        delegation:
          spec.delegation === undefined
            ? undefined
            : [
                {
                  name: spec.delegation.replace('/', '.'),
                  serviceDelegation: { name: spec.delegation, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
                },
              ],
      });
      subnetIds[subnetName] = subnet.id;
      if (natGatewayId !== undefined && spec.natGateway === true) {
        new SubnetNatGatewayAssociation(this, `nat-${subnetName}`, { subnetId: subnet.id, natGatewayId });
      }
      if (isGateway) continue;

      const nsg = new NetworkSecurityGroup(this, `nsg-${subnetName}`, { ...placement, name: `${props.name}-${subnetName}-nsg` });
      securityGroups[subnetName] = nsg;
      this.rulePriorities.set(subnetName, new Map());
      new NetworkSecurityRule(this, `nsg-${subnetName}-deny-internet-inbound`, {
        resourceGroupName: props.resourceGroupName,
        networkSecurityGroupName: nsg.name,
        name: 'deny-internet-inbound',
        description: 'Explicit deny of everything from the internet that no rule above allows.',
        priority: INTERNET_DENY_PRIORITY,
        direction: 'Inbound',
        access: 'Deny',
        protocol: '*',
        sourceAddressPrefix: 'Internet',
        sourcePortRange: '*',
        destinationAddressPrefix: '*',
        destinationPortRange: '*',
      });
      new SubnetNetworkSecurityGroupAssociation(this, `nsg-${subnetName}-association`, {
        subnetId: subnet.id,
        networkSecurityGroupId: nsg.id,
      });
    }
    this.subnetIds = subnetIds;
    this.securityGroups = securityGroups;
    for (const [subnetName, spec] of Object.entries(props.subnets)) {
      for (const [ruleName, rule] of Object.entries(spec.inboundRules ?? {})) this.addRule(subnetName, ruleName, rule);
    }
  }

  /** The id of subnet `name`; throws naming the subnets that exist. */
  public subnetId(name: string): string {
    const id = this.subnetIds[name];
    if (id === undefined)
      throw new Error(
        `VirtualNetwork ${this.node.path}: no subnet ${JSON.stringify(name)} (have ${Object.keys(this.subnetIds).join(', ')})`,
      );
    return id;
  }

  /** Adds an inbound allow rule to a subnet's NSG after construction (e.g. the VPN's remote network). */
  public allowInbound(subnetName: string, ruleName: string, rule: InboundRule): void {
    const p = new PropProblems(this, 'VirtualNetwork');
    p.check(
      subnetName in this.securityGroups,
      `allowInbound: subnet must be one with an NSG (got ${JSON.stringify(subnetName)}; have ${Object.keys(this.securityGroups).join(', ')})`,
    );
    p.throwIfAny();
    this.addRule(subnetName, ruleName, rule);
  }

  private addRule(subnetName: string, ruleName: string, rule: InboundRule): void {
    const taken = this.rulePriorities.get(subnetName)!;
    const p = new PropProblems(this, 'VirtualNetwork');
    for (const problem of ruleProblems(subnetName, ruleName, rule, taken)) p.check(false, problem);
    p.check(
      this.node.tryFindChild(`nsg-${subnetName}-${ruleName}`) === undefined,
      `inboundRules.${subnetName}.${ruleName}: the subnet already has a rule of that name`,
    );
    p.throwIfAny();
    taken.set(rule.priority, ruleName);
    const one = <T>(values: readonly T[]) => (values.length === 1 ? { single: values[0] } : { many: [...values] });
    const sources = one(rule.sources);
    const ports = one(rule.ports);
    new NetworkSecurityRule(this, `nsg-${subnetName}-${ruleName}`, {
      resourceGroupName: this.props.resourceGroupName,
      networkSecurityGroupName: this.securityGroups[subnetName]!.name,
      name: ruleName,
      priority: rule.priority,
      direction: 'Inbound',
      access: 'Allow',
      protocol: rule.protocol ?? 'Tcp',
      sourcePortRange: '*',
      sourceAddressPrefix: sources.single,
      sourceAddressPrefixes: sources.many,
      destinationAddressPrefix: '*',
      destinationPortRange: ports.single,
      destinationPortRanges: ports.many,
    });
  }
}
