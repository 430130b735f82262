import { Testing } from 'cdktf';
import { KeyVault as AzureKeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import { errorOf, onlyResource, PLACEMENT, policyFailures, resourcesOf, stack, synth, TENANT } from '../../../test/modules/azure-synth.js';
import { KeyVault, type KeyVaultProps } from './key-vault.js';

const BASE: KeyVaultProps = { ...PLACEMENT, name: 'kv-commerce', tenantId: TENANT };
const build = (props: Partial<KeyVaultProps> = {}) => synth((scope) => new KeyVault(scope, 'kv', { ...BASE, ...props }));

describe('KeyVault', () => {
  test('GIVEN a name and tenant WHEN synthesized THEN RBAC, purge protection, 90-day soft delete, no public endpoint and a deny-by-default ACL', () => {
    expect(Testing.synthScope((scope) => new KeyVault(scope, 'kv', BASE))).toHaveResourceWithProperties(AzureKeyVault, {
      name: 'kv-commerce',
      tenant_id: TENANT,
      sku_name: 'standard',
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      public_network_access_enabled: false,
      enabled_for_deployment: false,
      enabled_for_disk_encryption: false,
      enabled_for_template_deployment: false,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
    });
    expect(onlyResource(build(), 'azurerm_key_vault').access_policy).toBeUndefined();
  });

  test('GIVEN privateLink WHEN synthesized THEN a private endpoint on vault registers in privatelink.vaultcore.azure.net', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'v' } });
      new KeyVault(scope, 'kv', { ...BASE, privateLink: { subnetId: 'pe', dnsZones: zones } });
    });
    expect(onlyResource(s, 'azurerm_private_endpoint').private_service_connection).toMatchObject({ subresource_names: ['vault'] });
    expect(onlyResource(s, 'azurerm_private_dns_zone').name).toBe('privatelink.vaultcore.azure.net');
  });

  test('GIVEN public access for a subnet and an IP range WHEN synthesized THEN only those pass the ACL', () => {
    expect(
      onlyResource(
        build({ allowPublicNetworkAccess: true, allowedSubnetIds: { functions: 'fn' }, allowedIpRanges: ['203.0.113.0/24'] }),
        'azurerm_key_vault',
      ),
    ).toMatchObject({
      public_network_access_enabled: true,
      network_acls: { default_action: 'Deny', virtual_network_subnet_ids: ['fn'], ip_rules: ['203.0.113.0/24'] },
    });
  });

  test('GIVEN grants and secret references WHEN used THEN roles are data roles on the vault and references use the vault name', () => {
    const s = synth((scope) => {
      const kv = new KeyVault(scope, 'kv', BASE);
      kv.grant('payments', 'principal-1', 'secretsUser');
      expect(kv.secretReference('stripe-api-key')).toBe('@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=stripe-api-key)');
      expect(() => kv.secretReference('stripe_api_key')).toThrow(
        'secretReference: secretName must be 1-127 letters, digits or hyphens (got "stripe_api_key")',
      );
      expect(() => kv.grant('payments', 'principal-1', 'secretsUser')).toThrow('grant names must be unique (got "payments" twice)');
      expect(() => kv.grant('other', 'principal-1', 'god' as never)).toThrow('grant other role must be one of "secretsUser"');
    });
    expect(onlyResource(s, 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Key Vault Secrets User',
      principal_id: 'principal-1',
      principal_type: 'ServicePrincipal',
    });
    expect(Object.keys(resourcesOf(s, 'azurerm_role_assignment'))).toHaveLength(1);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(
      () =>
        new KeyVault(stack(), 'kv', {
          ...BASE,
          name: 'kv_commerce',
          tenantId: 'tenant',
          sku: 'gold' as never,
          softDeleteRetentionDays: 3,
          allowedIpRanges: ['1.2.3.4/8'],
        }),
    );
    for (const expected of [
      'name must be 3-24 letters, digits or single hyphens, starting with a letter (globally unique) (got "kv_commerce")',
      'tenantId must be an Entra ID tenant id (a UUID) (got "tenant")',
      'sku must be one of "standard", "premium" (got "gold")',
      'softDeleteRetentionDays must be an integer between 7 and 90 (got 3)',
      'allowedIpRanges needs allowPublicNetworkAccess: true (got ["1.2.3.4/8"])',
      'allowedIpRanges must hold canonical IPv4 CIDRs (got "1.2.3.4/8")',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN nothing fails', () => {
    expect(policyFailures(build())).toEqual([]);
  });
});
