import { TerraformOutput } from 'cdktf';
import { errorOf, onlyResource, PLACEMENT, policyFailures, resourcesOf, stack, synth } from '../../../test/modules/azure-synth.js';
import { PrivateDnsZones } from './private-dns-zones.js';
import { PrivateEndpoint } from './private-endpoint.js';

const TARGET = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/commerce-sql';

describe('PrivateDnsZones and PrivateEndpoint', () => {
  test('GIVEN an endpoint for a SQL server WHEN synthesized THEN it connects to the sqlServer sub-resource and registers in its privatelink zone', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg-commerce', virtualNetworkIds: { hub: 'vnet-hub-id' } });
      new PrivateEndpoint(scope, 'sql-pe', {
        ...PLACEMENT,
        name: 'commerce-sql-pe',
        subnetId: 'pe-subnet-id',
        dnsZones: zones,
        targetResourceId: TARGET,
        subresource: 'sqlServer',
      });
    });
    const endpoint = onlyResource(s, 'azurerm_private_endpoint');
    expect(endpoint).toMatchObject({
      name: 'commerce-sql-pe',
      subnet_id: 'pe-subnet-id',
      custom_network_interface_name: 'commerce-sql-pe-nic',
      private_service_connection: {
        name: 'commerce-sql-pe-connection',
        private_connection_resource_id: TARGET,
        subresource_names: ['sqlServer'],
        is_manual_connection: false,
      },
    });
    expect(onlyResource(s, 'azurerm_private_dns_zone')).toMatchObject({
      name: 'privatelink.database.windows.net',
      resource_group_name: 'rg-commerce',
    });
    expect((endpoint.private_dns_zone_group as { private_dns_zone_ids: string[] }).private_dns_zone_ids).toEqual([
      expect.stringMatching(/^\$\{azurerm_private_dns_zone\.dns_sqlServer_[0-9A-F]{8}\.id\}$/),
    ]);
    expect(onlyResource(s, 'azurerm_private_dns_zone_virtual_network_link')).toMatchObject({
      name: 'hub',
      virtual_network_id: 'vnet-hub-id',
      registration_enabled: false,
    });
  });

  test('GIVEN two VNets and three endpoints over two sub-resources WHEN synthesized THEN each zone is created once and linked to both VNets', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { a: 'vnet-a', b: 'vnet-b' } });
      for (const [name, subresource] of [
        ['one', 'blob'],
        ['two', 'blob'],
        ['three', 'vault'],
      ] as const) {
        new PrivateEndpoint(scope, name, { ...PLACEMENT, name, subnetId: 's', dnsZones: zones, targetResourceId: 't', subresource });
      }
    });
    expect(
      Object.values(resourcesOf(s, 'azurerm_private_dns_zone'))
        .map((z) => z.name)
        .sort(),
    ).toEqual(['privatelink.blob.core.windows.net', 'privatelink.vaultcore.azure.net']);
    expect(Object.keys(resourcesOf(s, 'azurerm_private_dns_zone_virtual_network_link'))).toHaveLength(4);
    expect(Object.keys(resourcesOf(s, 'azurerm_private_endpoint'))).toHaveLength(3);
  });

  test('GIVEN bad props WHEN constructed THEN every problem is listed once', () => {
    const zones = new PrivateDnsZones(stack(), 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { a: 'vnet-a' } });
    const message = errorOf(
      () =>
        new PrivateEndpoint(zones, 'pe', {
          resourceGroupName: 'rg',
          location: 'West Europe',
          name: '-bad',
          subnetId: 's',
          dnsZones: zones,
          targetResourceId: 't',
          subresource: 'mysqlServer' as never,
        }),
    );
    expect(message).toMatch(/^PrivateEndpoint test\/dns\/pe: /);
    expect(message).toContain('location must be an Azure location');
    expect(message).toContain('name must be 2-64 letters, digits or hyphens');
    expect(message).toContain(
      'subresource must be one of "sqlServer", "redisCache", "namespace", "vault", "blob", "queue", "table", "file", "sites" (got "mysqlServer")',
    );
    expect(errorOf(() => new PrivateDnsZones(stack(), 'dns', { resourceGroupName: 'rg', virtualNetworkIds: {} }))).toContain(
      'virtualNetworkIds must name at least one VNet to link (got {})',
    );
    expect(() => zones.zoneId('nope' as never)).toThrow('subresource must be one of');
  });

  test('GIVEN endpoints WHEN the policy gate runs THEN nothing fails and the id is exposed', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { a: 'vnet-a' } });
      const pe = new PrivateEndpoint(scope, 'pe', {
        ...PLACEMENT,
        name: 'pe',
        subnetId: 's',
        dnsZones: zones,
        targetResourceId: 't',
        subresource: 'sites',
      });
      new TerraformOutput(scope, 'id', { value: pe.id });
    });
    expect(policyFailures(s)).toEqual([]);
    expect(JSON.stringify(s.output)).toMatch(/azurerm_private_endpoint\.pe_endpoint_[0-9A-F]{8}\.id/);
  });
});
