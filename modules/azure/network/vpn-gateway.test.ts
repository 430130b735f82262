import { TerraformOutput, TerraformVariable } from 'cdktf';
import { errorOf, onlyResource, PLACEMENT, policyFailures, resourcesOf, stack, synth } from '../../../test/modules/azure-synth.js';
import { AWS_COMPATIBLE_IPSEC_POLICY, VpnGateway, type VpnGatewayProps } from './vpn-gateway.js';
import type { Construct } from 'constructs';

const key = (scope: Construct, name: string) => new TerraformVariable(scope, name, { type: 'string', sensitive: true }).stringValue;
const props = (scope: Construct, extra: Partial<VpnGatewayProps> = {}): VpnGatewayProps => ({
  ...PLACEMENT,
  name: 'commerce-vpn',
  gatewaySubnetId: 'gateway-subnet-id',
  remoteAddressSpace: ['10.40.0.0/16'],
  tunnels: {
    tunnel1: { address: '203.0.113.10', sharedKey: key(scope, 'psk1') },
    tunnel2: { address: '203.0.113.20', sharedKey: key(scope, 'psk2') },
  },
  ...extra,
});

describe('VpnGateway', () => {
  test('GIVEN two AWS tunnels WHEN synthesized THEN a zone-redundant route-based VpnGw1AZ gateway with a static Standard IP is created', () => {
    const s = synth((scope) => new VpnGateway(scope, 'vpn', props(scope)));
    expect(onlyResource(s, 'azurerm_virtual_network_gateway')).toMatchObject({
      name: 'commerce-vpn',
      type: 'Vpn',
      vpn_type: 'RouteBased',
      sku: 'VpnGw1AZ',
      generation: 'Generation1',
      active_active: false,
      enable_bgp: false,
      ip_configuration: [{ name: 'default', subnet_id: 'gateway-subnet-id', private_ip_address_allocation: 'Dynamic' }],
    });
    expect(onlyResource(s, 'azurerm_public_ip')).toMatchObject({ allocation_method: 'Static', sku: 'Standard', zones: ['1', '2', '3'] });
  });

  test('GIVEN two tunnels WHEN synthesized THEN each gets a local network gateway and an IKEv2 connection with the AWS-compatible IPsec policy', () => {
    const s = synth((scope) => new VpnGateway(scope, 'vpn', props(scope)));
    const locals = Object.values(resourcesOf(s, 'azurerm_local_network_gateway'));
    expect(locals.map((l) => [l.name, l.gateway_address, l.address_space])).toEqual([
      ['commerce-vpn-tunnel1', '203.0.113.10', ['10.40.0.0/16']],
      ['commerce-vpn-tunnel2', '203.0.113.20', ['10.40.0.0/16']],
    ]);
    const connections = Object.values(resourcesOf(s, 'azurerm_virtual_network_gateway_connection'));
    expect(connections.map((c) => c.shared_key)).toEqual(['${var.psk1}', '${var.psk2}']);
    for (const c of connections) {
      expect(c).toMatchObject({
        type: 'IPsec',
        connection_protocol: 'IKEv2',
        use_policy_based_traffic_selectors: false,
        ipsec_policy: {
          ike_encryption: 'AES256',
          ike_integrity: 'SHA256',
          dh_group: 'ECP256',
          ipsec_encryption: 'AES256',
          ipsec_integrity: 'SHA256',
          pfs_group: 'ECP256',
          sa_lifetime: 3600,
        },
      });
    }
  });

  test('GIVEN a non-AZ Gen2 sku and a custom policy WHEN synthesized THEN the IP has no zones and the policy is used', () => {
    const s = synth(
      (scope) =>
        new VpnGateway(
          scope,
          'vpn',
          props(scope, {
            sku: 'VpnGw2',
            ipsecPolicy: { ...AWS_COMPATIBLE_IPSEC_POLICY, ipsecEncryption: 'GCMAES256', ipsecIntegrity: 'GCMAES256' },
          }),
        ),
    );
    expect(onlyResource(s, 'azurerm_virtual_network_gateway')).toMatchObject({ sku: 'VpnGw2', generation: 'Generation2' });
    expect(onlyResource(s, 'azurerm_public_ip').zones).toBeUndefined();
    expect(Object.values(resourcesOf(s, 'azurerm_virtual_network_gateway_connection'))[0]!.ipsec_policy).toMatchObject({
      ipsec_encryption: 'GCMAES256',
      ipsec_integrity: 'GCMAES256',
    });
  });

  test('GIVEN a literal pre-shared key WHEN constructed THEN it throws without printing the key', () => {
    const scope = stack();
    const message = errorOf(
      () =>
        new VpnGateway(
          scope,
          'vpn',
          props(scope, { tunnels: { tunnel1: { address: '203.0.113.10', sharedKey: 'hunter2-super-secret' } } }),
        ),
    );
    expect(message).toContain(
      'tunnels.tunnel1.sharedKey must be a reference (a sensitive TerraformVariable or a Key Vault secret), never a literal (got a literal of 20 characters)',
    );
    expect(message).not.toContain('hunter2');
  });

  test('GIVEN weak algorithms and other bad props WHEN constructed THEN one error lists every problem', () => {
    const scope = stack();
    const message = errorOf(
      () =>
        new VpnGateway(
          scope,
          'vpn',
          props(scope, {
            sku: 'Basic' as never,
            zones: ['4'],
            remoteAddressSpace: ['10.40.0.1/16'],
            tunnels: { 'Tunnel 1': { address: '203.0.113.300', sharedKey: key(scope, 'k') } },
            ipsecPolicy: {
              ...AWS_COMPATIBLE_IPSEC_POLICY,
              ikeEncryption: 'DES3' as never,
              dhGroup: 'DHGroup2' as never,
              pfsGroup: 'None' as never,
              saLifetimeSeconds: 100,
            },
          }),
        ),
    );
    for (const expected of [
      'sku must be one of "VpnGw1AZ"',
      '(got "Basic")',
      'zones needs a zone-redundant (…AZ) sku (got sku "Basic")',
      'zones must be one of "1", "2", "3" (got "4")',
      'tunnels.Tunnel 1 must be a tunnel name of 1-31 lowercase letters, digits or hyphens (got "Tunnel 1")',
      'tunnels.Tunnel 1.address must be a public IPv4 address (got "203.0.113.300")',
      'remoteAddressSpace must hold canonical IPv4 CIDRs (got "10.40.0.1/16")',
      'ipsecPolicy.ikeEncryption must be one of "AES128", "AES192", "AES256", "GCMAES128", "GCMAES256" (got "DES3")',
      'ipsecPolicy.dhGroup must be one of',
      'ipsecPolicy.pfsGroup must be one of',
      'ipsecPolicy.saLifetimeSeconds must be an integer between 300 and 172799 (got 100)',
    ]) {
      expect(message).toContain(expected);
    }
    expect(errorOf(() => new VpnGateway(stack(), 'vpn', { ...props(stack()), tunnels: {}, remoteAddressSpace: [] }))).toContain(
      'tunnels must name at least one remote tunnel (got {}); remoteAddressSpace must list at least one CIDR (got [])',
    );
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN nothing fails and the public IP is exposed for the AWS customer gateway', () => {
    let gateway: VpnGateway | undefined;
    const s = synth((scope) => {
      gateway = new VpnGateway(scope, 'vpn', props(scope));
      new TerraformOutput(scope, 'customer-gateway', { value: gateway.publicIpAddress });
    });
    expect(policyFailures(s)).toEqual([]);
    expect(s.output!['customer-gateway']!.value).toMatch(/^\$\{azurerm_public_ip\.vpn_public-ip_[0-9A-F]{8}\.ip_address\}$/);
    expect(Object.keys(gateway!.connections)).toEqual(['tunnel1', 'tunnel2']);
  });
});
