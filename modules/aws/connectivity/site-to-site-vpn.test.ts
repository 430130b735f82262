import { Testing } from 'cdktf';
import { SiteToSiteVpn, TUNNEL_CRYPTO, type SiteToSiteVpnProps } from './site-to-site-vpn.js';
import { errorOf } from '../../../test/error-of.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}

const base: SiteToSiteVpnProps = {
  customerGatewayIp: '203.0.113.10',
  onPremisesCidrs: ['192.168.0.0/16'],
  vpcId: 'vpc-123',
  routeTables: { 'private-eu-west-1a': 'rtb-a', 'private-eu-west-1b': 'rtb-b' },
};
function synthVpn(props: Partial<SiteToSiteVpnProps> = {}): Synth {
  return JSON.parse(Testing.synthScope((scope) => new SiteToSiteVpn(scope, 'office', { ...base, ...props }))) as Synth;
}
const all = (synth: Synth, type: string): Resource[] => Object.values(synth.resource[type] ?? {});
const keys = (synth: Synth, type: string): string[] => Object.keys(synth.resource[type] ?? {}).map((k) => k.replace(/_[0-9A-F]{8}$/, ''));

describe('SiteToSiteVpn', () => {
  describe('GIVEN a VPC, an on-premises CIDR and route tables', () => {
    const synth = synthVpn();

    test('WHEN synthesized THEN a customer gateway with the device IP and ASN 65000 and an attached virtual private gateway exist', () => {
      expect(all(synth, 'aws_customer_gateway')).toEqual([
        { ip_address: '203.0.113.10', bgp_asn: '65000', type: 'ipsec.1', tags: { Name: 'office' } },
      ]);
      expect(all(synth, 'aws_vpn_gateway')).toEqual([{ vpc_id: 'vpc-123', amazon_side_asn: '64512', tags: { Name: 'office' } }]);
    });

    test('WHEN synthesized THEN the connection uses BGP, keeps its keys in Secrets Manager and links gateway and customer gateway', () => {
      const [connection] = all(synth, 'aws_vpn_connection');
      expect(connection).toMatchObject({
        type: 'ipsec.1',
        static_routes_only: false,
        preshared_key_storage: 'SecretsManager',
        customer_gateway_id: expect.stringContaining('aws_customer_gateway.office_customer-gateway'),
        vpn_gateway_id: expect.stringContaining('aws_vpn_gateway.office_vpn-gateway'),
      });
      expect(connection).not.toHaveProperty('transit_gateway_id');
      expect(connection).not.toHaveProperty('tunnel1_preshared_key');
    });

    test('WHEN synthesized THEN both tunnels offer IKEv2 with AES-256, SHA-2 and ECDH groups only, restart on dead peers and log to CloudWatch', () => {
      const [connection] = all(synth, 'aws_vpn_connection');
      for (const t of ['tunnel1', 'tunnel2']) {
        expect(connection).toMatchObject({
          [`${t}_ike_versions`]: ['ikev2'],
          [`${t}_phase1_encryption_algorithms`]: ['AES256', 'AES256-GCM-16'],
          [`${t}_phase1_integrity_algorithms`]: ['SHA2-256', 'SHA2-384', 'SHA2-512'],
          [`${t}_phase1_dh_group_numbers`]: [19, 20, 21],
          [`${t}_phase2_encryption_algorithms`]: ['AES256', 'AES256-GCM-16'],
          [`${t}_phase2_integrity_algorithms`]: ['SHA2-256', 'SHA2-384', 'SHA2-512'],
          [`${t}_phase2_dh_group_numbers`]: [19, 20, 21],
          [`${t}_dpd_timeout_action`]: 'restart',
          [`${t}_log_options`]: {
            cloudwatch_log_options: {
              log_enabled: true,
              log_output_format: 'json',
              log_group_arn: expect.stringContaining('aws_cloudwatch_log_group.office_tunnel-logs'),
            },
          },
        });
      }
      const offered = JSON.stringify(TUNNEL_CRYPTO);
      for (const weak of ['ikev1', 'AES128', '"SHA1"']) expect(offered).not.toContain(weak);
      expect([...TUNNEL_CRYPTO.phase1DhGroupNumbers, ...TUNNEL_CRYPTO.phase2DhGroupNumbers].every((group) => group >= 19)).toBe(true);
      expect(all(synth, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/vpn/office', retention_in_days: 365 }]);
    });

    test('WHEN synthesized THEN routes are propagated into each named route table and no static route exists', () => {
      expect(keys(synth, 'aws_vpn_gateway_route_propagation')).toEqual([
        'office_propagation-private-eu-west-1a',
        'office_propagation-private-eu-west-1b',
      ]);
      expect(all(synth, 'aws_vpn_gateway_route_propagation').map((r) => r.route_table_id)).toEqual(['rtb-a', 'rtb-b']);
      expect(synth.resource.aws_vpn_connection_route).toBeUndefined();
      expect(synth.resource.aws_route).toBeUndefined();
    });
  });

  test('GIVEN static routing WHEN synthesized THEN each on-premises CIDR is a static VPN route keyed by the CIDR', () => {
    const synth = synthVpn({ routing: 'static', onPremisesCidrs: ['192.168.0.0/16', '172.20.0.0/16'] });
    expect(all(synth, 'aws_vpn_connection')[0].static_routes_only).toBe(true);
    expect(keys(synth, 'aws_vpn_connection_route').sort()).toEqual(['office_vpn-route-172-20-0-0-16', 'office_vpn-route-192-168-0-0-16']);
    expect(
      all(synth, 'aws_vpn_connection_route')
        .map((r) => r.destination_cidr_block)
        .sort(),
    ).toEqual(['172.20.0.0/16', '192.168.0.0/16']);
  });

  test('GIVEN routePropagation false WHEN synthesized THEN each route table gets a static route per CIDR to the virtual private gateway', () => {
    const synth = synthVpn({ routePropagation: false, onPremisesCidrs: ['192.168.0.0/16', '10.50.0.0/16'] });
    expect(synth.resource.aws_vpn_gateway_route_propagation).toBeUndefined();
    const routes = all(synth, 'aws_route');
    expect(routes).toHaveLength(4);
    expect(routes.every((r) => String(r.gateway_id).includes('aws_vpn_gateway.office_vpn-gateway'))).toBe(true);
    expect(keys(synth, 'aws_route')).toContain('office_route-private-eu-west-1a-10-50-0-0-16');
  });

  test('GIVEN a transit gateway with static routing WHEN synthesized THEN the VPN terminates on it, routes go to its route table and VPC tables point at it', () => {
    const synth = synthVpn({ vpcId: undefined, transitGatewayId: 'tgw-1', transitGatewayRouteTableId: 'tgw-rtb-1', routing: 'static' });
    expect(synth.resource.aws_vpn_gateway).toBeUndefined();
    expect(all(synth, 'aws_vpn_connection')[0]).toMatchObject({ transit_gateway_id: 'tgw-1', static_routes_only: true });
    expect(all(synth, 'aws_ec2_transit_gateway_route')).toEqual([
      {
        destination_cidr_block: '192.168.0.0/16',
        transit_gateway_route_table_id: 'tgw-rtb-1',
        transit_gateway_attachment_id: expect.stringContaining('aws_vpn_connection.office_connection'),
      },
    ]);
    expect(all(synth, 'aws_route').map((r) => [r.route_table_id, r.destination_cidr_block, r.transit_gateway_id])).toEqual([
      ['rtb-a', '192.168.0.0/16', 'tgw-1'],
      ['rtb-b', '192.168.0.0/16', 'tgw-1'],
    ]);
  });

  test('GIVEN optional props WHEN synthesized THEN ASNs, key storage, log retention and names follow them', () => {
    const synth = synthVpn({
      customerGatewayBgpAsn: 4200000001,
      amazonSideAsn: 65010,
      presharedKeyStorage: 'Standard',
      tunnelLogRetentionDays: 90,
      name: 'hq',
    });
    expect(all(synth, 'aws_customer_gateway')[0]).toMatchObject({ bgp_asn_extended: '4200000001', tags: { Name: 'hq' } });
    expect(all(synth, 'aws_customer_gateway')[0]).not.toHaveProperty('bgp_asn');
    expect(all(synth, 'aws_vpn_gateway')[0].amazon_side_asn).toBe('65010');
    expect(all(synth, 'aws_vpn_connection')[0].preshared_key_storage).toBe('Standard');
    expect(all(synth, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/vpn/hq', retention_in_days: 90 }]);
  });

  test('GIVEN no route tables WHEN synthesized THEN no VPC route or propagation is created', () => {
    const synth = synthVpn({ routeTables: undefined });
    expect(synth.resource.aws_vpn_gateway_route_propagation).toBeUndefined();
    expect(synth.resource.aws_route).toBeUndefined();
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    const message = errorOf(() =>
      synthVpn({
        customerGatewayIp: '300.1.1.1',
        customerGatewayBgpAsn: 0,
        routing: 'ospf' as never,
        presharedKeyStorage: 'Vault' as never,
        tunnelLogRetentionDays: 2,
        onPremisesCidrs: ['192.168.1.0/16', '0.0.0.0/0', 'lan', '0.0.0.0/0'],
        amazonSideAsn: 100,
        routeTables: { 'has space': 'rtb-1' },
        name: '_x',
      }),
    );
    expect(message.startsWith('SiteToSiteVpn stack/office: ')).toBe(true);
    for (const fragment of [
      'customerGatewayIp must be an IPv4 address like 203.0.113.10 (got "300.1.1.1")',
      'customerGatewayBgpAsn must be an integer between 1 and 4294967294 (got 0)',
      'routing must be one of "bgp", "static" (got "ospf")',
      'presharedKeyStorage must be one of "SecretsManager", "Standard" (got "Vault")',
      'tunnelLogRetentionDays must be one of 1, 3, 5, 7, 14, 30',
      'name must be 1-63 letters, digits',
      'onPremisesCidrs entry has host bits set (got "192.168.1.0/16", the network is "192.168.0.0/16")',
      'onPremisesCidrs entry must not be 0.0.0.0/0',
      'onPremisesCidrs entry must be an IPv4 CIDR like 192.168.0.0/16 (got "lan")',
      'onPremisesCidrs must be unique (got ["0.0.0.0/0"] more than once)',
      'amazonSideAsn must be a private ASN, 64512-65534 or 4200000000-4294967294 (got 100)',
      'routeTables key must be 1-64 letters, digits, ".", "_" or "-" (got "has space")',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  test('GIVEN conflicting attachment props WHEN constructed THEN the error says which combination is allowed', () => {
    expect(() => synthVpn({ transitGatewayId: 'tgw-1' })).toThrow(
      'give exactly one of vpcId (virtual private gateway) and transitGatewayId (got both)',
    );
    expect(() => synthVpn({ vpcId: undefined })).toThrow('(got neither)');
    expect(
      errorOf(() =>
        synthVpn({ vpcId: undefined, transitGatewayId: 'tgw-1', routing: 'static', routePropagation: true, amazonSideAsn: 65000 }),
      ),
    ).toBe(
      'SiteToSiteVpn stack/office: amazonSideAsn applies to a virtual private gateway only; set vpcId or drop it (got 65000); transitGatewayRouteTableId is required with routing "static" on a transit gateway (the static routes go into it); routePropagation applies to a virtual private gateway only (got true with transitGatewayId)',
    );
    expect(() => synthVpn({ transitGatewayRouteTableId: 'tgw-rtb' })).toThrow(
      'transitGatewayRouteTableId applies to a transit gateway only',
    );
    expect(() => synthVpn({ onPremisesCidrs: [] })).toThrow('onPremisesCidrs must list at least one on-premises network (got [])');
  });
});
