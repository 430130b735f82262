import { Testing } from 'cdktf';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule/index.js';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet/index.js';
import {
  errorOf as thrown,
  onlyResource,
  PLACEMENT,
  policyFailures,
  resourcesOf,
  stack,
  synth,
} from '../../../test/modules/azure-synth.js';
import { VirtualNetwork, type VirtualNetworkProps } from './virtual-network.js';

const BASE: VirtualNetworkProps = {
  ...PLACEMENT,
  name: 'commerce-vnet',
  addressSpace: ['10.30.16.0/20'],
  subnets: {
    functions: { cidr: '10.30.16.0/24', delegation: 'Microsoft.Web/serverFarms', natGateway: true },
    'private-endpoints': { cidr: '10.30.17.0/24' },
    GatewaySubnet: { cidr: '10.30.18.0/27' },
  },
};
const build = (props: Partial<VirtualNetworkProps> = {}) => synth((scope) => new VirtualNetwork(scope, 'vnet', { ...BASE, ...props }));
const errorOf = (props: Partial<VirtualNetworkProps>): string => thrown(() => build(props));
const rulesOf = (s: ReturnType<typeof build>) => Object.values(resourcesOf(s, 'azurerm_network_security_rule'));

describe('VirtualNetwork', () => {
  test('GIVEN three subnets WHEN synthesized THEN each is its own resource, private (no default outbound) and keyed by name', () => {
    const s = build();
    expect(onlyResource(s, 'azurerm_virtual_network')).toMatchObject({
      name: 'commerce-vnet',
      address_space: ['10.30.16.0/20'],
      location: 'westeurope',
    });
    const subnets = resourcesOf(s, 'azurerm_subnet');
    expect(
      Object.keys(subnets)
        .map((k) => k.replace(/_[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual(['vnet_subnet-GatewaySubnet', 'vnet_subnet-functions', 'vnet_subnet-private-endpoints']);
    const byName = Object.fromEntries(Object.values(subnets).map((x) => [x.name, x]));
    expect(byName.functions).toMatchObject({
      address_prefixes: ['10.30.16.0/24'],
      default_outbound_access_enabled: false,
      private_endpoint_network_policies: 'Enabled',
      delegation: [
        {
          name: 'Microsoft.Web.serverFarms',
          service_delegation: { name: 'Microsoft.Web/serverFarms', actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
        },
      ],
    });
    expect(byName['private-endpoints']).toMatchObject({
      default_outbound_access_enabled: false,
      private_endpoint_network_policies: 'Enabled',
    });
    expect(byName['private-endpoints']!.delegation).toBeUndefined();
    expect(byName.GatewaySubnet!.default_outbound_access_enabled).toBeUndefined();
  });

  test('GIVEN defaults WHEN synthesized THEN every subnet but GatewaySubnet has an NSG whose only rule denies the internet', () => {
    const s = build();
    const nsgs = Object.values(resourcesOf(s, 'azurerm_network_security_group')).map((n) => n.name);
    expect(nsgs).toEqual(['commerce-vnet-functions-nsg', 'commerce-vnet-private-endpoints-nsg']);
    expect(Object.keys(resourcesOf(s, 'azurerm_subnet_network_security_group_association'))).toHaveLength(2);
    const out = Testing.synthScope((scope) => new VirtualNetwork(scope, 'vnet', BASE));
    expect(out).toHaveResourceWithProperties(NetworkSecurityRule, {
      name: 'deny-internet-inbound',
      priority: 4096,
      direction: 'Inbound',
      access: 'Deny',
      protocol: '*',
      source_address_prefix: 'Internet',
      destination_port_range: '*',
    });
    expect(rulesOf(s).every((r) => r.access === 'Deny')).toBe(true);
  });

  test('GIVEN a subnet asking for NAT WHEN synthesized THEN one Standard NAT gateway with a static IP serves only that subnet', () => {
    const s = build();
    expect(onlyResource(s, 'azurerm_nat_gateway')).toMatchObject({ name: 'commerce-vnet-nat', sku_name: 'Standard' });
    expect(onlyResource(s, 'azurerm_public_ip')).toMatchObject({ allocation_method: 'Static', sku: 'Standard' });
    expect(onlyResource(s, 'azurerm_subnet_nat_gateway_association').subnet_id).toMatch(/azurerm_subnet\.vnet_subnet-functions_/);
    const none = build({ subnets: { app: { cidr: '10.30.16.0/24' } } });
    expect(resourcesOf(none, 'azurerm_nat_gateway')).toEqual({});
  });

  test('GIVEN named inbound rules WHEN synthesized THEN each becomes an allow rule keyed by name with one or many prefixes', () => {
    const s = build({
      subnets: {
        app: {
          cidr: '10.30.16.0/24',
          serviceEndpoints: ['Microsoft.Sql'],
          inboundRules: {
            'https-from-front-door': { priority: 200, sources: ['AzureFrontDoor.Backend'], ports: ['443'] },
            'aws-sql': { priority: 210, sources: ['10.40.0.0/16', '10.41.0.0/16'], ports: ['1433', '8000-8100'] },
          },
        },
      },
    });
    const byName = Object.fromEntries(rulesOf(s).map((r) => [r.name, r]));
    expect(byName['https-from-front-door']).toMatchObject({
      access: 'Allow',
      priority: 200,
      protocol: 'Tcp',
      source_address_prefix: 'AzureFrontDoor.Backend',
      destination_port_range: '443',
    });
    expect(byName['aws-sql']).toMatchObject({
      source_address_prefixes: ['10.40.0.0/16', '10.41.0.0/16'],
      destination_port_ranges: ['1433', '8000-8100'],
    });
    expect(onlyResource(s, 'azurerm_subnet').service_endpoints).toEqual(['Microsoft.Sql']);
  });

  test('GIVEN a rule added after construction WHEN synthesized THEN it joins the subnet NSG; a duplicate priority or unknown subnet throws', () => {
    const vnet = new VirtualNetwork(stack(), 'vnet', BASE);
    vnet.allowInbound('private-endpoints', 'aws-https', { priority: 300, sources: ['10.40.0.0/16'], ports: ['443'] });
    expect(() => vnet.allowInbound('private-endpoints', 'again', { priority: 300, sources: ['10.40.0.0/16'], ports: ['443'] })).toThrow(
      'inboundRules.private-endpoints.again.priority must be unique in the subnet (got 300, already used by aws-https)',
    );
    expect(() => vnet.allowInbound('GatewaySubnet', 'x', { priority: 301, sources: ['10.40.0.0/16'], ports: ['443'] })).toThrow(
      'allowInbound: subnet must be one with an NSG (got "GatewaySubnet"; have functions, private-endpoints)',
    );
    expect(vnet.subnetId('functions')).toBe(vnet.subnetIds.functions);
    expect(() => vnet.subnetId('nope')).toThrow('no subnet "nope" (have functions, private-endpoints, GatewaySubnet)');
  });

  test.each([
    ['SSH from the internet', { sources: ['Internet'], ports: ['22'] }, '22 SSH'],
    ['every port from *', { sources: ['*'], ports: ['*'] }, '3389 RDP'],
    ['SQL from 0.0.0.0/0 inside a range', { sources: ['0.0.0.0/0'], ports: ['1000-2000'] }, '1433 SQL Server'],
    ['Redis TLS from Any', { sources: ['Any'], ports: ['6380'] }, '6380 Redis TLS'],
  ])('GIVEN %s WHEN constructed THEN it throws naming the exposed port', (_what, rule, exposed) => {
    const message = errorOf({ subnets: { app: { cidr: '10.30.16.0/24', inboundRules: { bad: { priority: 200, ...rule } } } } });
    expect(message).toContain('inboundRules.app.bad opens admin/database ports to the internet');
    expect(message).toContain(exposed);
  });

  test('GIVEN HTTPS from the internet WHEN constructed THEN it is allowed (an explicit, non-admin choice)', () => {
    const s = build({
      subnets: { app: { cidr: '10.30.16.0/24', inboundRules: { web: { priority: 200, sources: ['Internet'], ports: ['443'] } } } },
    });
    expect(rulesOf(s).map((r) => r.name)).toContain('web');
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the bad value and what is allowed', () => {
    const message = errorOf({
      location: 'West Europe',
      addressSpace: ['10.30.16.1/20'],
      subnets: {
        a: { cidr: '10.30.16.0/24', delegation: 'Microsoft.Sql/managedInstances' as never, serviceEndpoints: ['Microsoft.Nope' as never] },
        b: { cidr: '10.30.16.128/25' },
        c: { cidr: '10.99.0.0/24' },
        d: { cidr: '10.30.20.0/30' },
        GatewaySubnet: { cidr: '10.30.21.0/28', inboundRules: { x: { priority: 200, sources: ['10.0.0.0/8'], ports: ['443'] } } },
        e: { cidr: 'ten', inboundRules: { y: { priority: 50, sources: ['not a tag!'], ports: ['70000'] } } },
      },
    });
    expect(message).toMatch(/^VirtualNetwork stack\/vnet: /);
    for (const expected of [
      'location must be an Azure location in lowercase without spaces, such as westeurope (got "West Europe")',
      'addressSpace must hold canonical IPv4 CIDRs such as 10.30.0.0/20 (got "10.30.16.1/20")',
      'subnets.a.delegation must be one of "Microsoft.Web/serverFarms", "Microsoft.App/environments" (got "Microsoft.Sql/managedInstances")',
      'subnets.a.serviceEndpoints must be one of',
      'subnets.b.cidr must not overlap subnets.a (got "10.30.16.128/25")',
      'subnets.d.cidr must be /29 or larger: Azure reserves 5 addresses per subnet (got "10.30.20.0/30")',
      'subnets.GatewaySubnet.cidr must be /27 or larger for a VPN gateway (got "10.30.21.0/28")',
      'subnets.GatewaySubnet.inboundRules must be empty: Azure does not support an NSG on the gateway subnet (got x)',
      'subnets.e.cidr must be a canonical IPv4 CIDR such as 10.30.1.0/24 (got "ten")',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN subnets outside the space and bad rule fields WHEN constructed THEN each is reported', () => {
    const message = errorOf({
      subnets: {
        c: { cidr: '10.99.0.0/24' },
        e: {
          cidr: '10.30.16.0/24',
          inboundRules: {
            y: { priority: 50, sources: ['not a tag!'], ports: ['70000'] },
            'bad name!': { priority: 200, sources: [], ports: [] },
            z: { priority: 200, sources: ['10.0.0.0/8'], ports: ['443'] },
          },
        },
      },
    });
    expect(message).toContain('subnets.c.cidr must lie inside the address space ["10.30.16.0/20"] (got "10.99.0.0/24")');
    expect(message).toContain(
      'inboundRules.e.y.priority must be an integer between 100 and 4095 (got 50; 4096 is the built-in internet deny)',
    );
    expect(message).toContain(
      'inboundRules.e.y.sources must be canonical IPv4 CIDRs or service tags such as VirtualNetwork (got "not a tag!")',
    );
    expect(message).toContain('inboundRules.e.y.ports must be "*", a port or a range such as 8000-8100 within 1-65535 (got "70000")');
    expect(message).toContain(
      'inboundRules.e.bad name!: rule names must be 1-80 letters, digits, _ . or -, and not deny-internet-inbound (got "bad name!")',
    );
    expect(message).toContain('inboundRules.e.bad name!.sources must name at least one CIDR or service tag (got [])');
    expect(message).toContain('inboundRules.e.z.priority must be unique in the subnet (got 200, already used by bad name!)');
  });

  test('GIVEN no subnets or address space WHEN constructed THEN both are reported', () => {
    const message = errorOf({ addressSpace: [], subnets: {} });
    expect(message).toContain('addressSpace must list at least one CIDR (got [])');
    expect(message).toContain('subnets must name at least one subnet (got {})');
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN nothing fails', () => {
    expect(policyFailures(build())).toEqual([]);
    expect(Testing.synthScope((scope) => new VirtualNetwork(scope, 'vnet', BASE))).toHaveResource(Subnet);
  });
});
