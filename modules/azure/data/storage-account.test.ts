import { Testing } from 'cdktf';
import { StorageAccount as AzureStorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import { errorOf, onlyResource, PLACEMENT, policyFailures, resourcesOf, rulesChecked, synth } from '../../../test/modules/azure-synth.js';
import { StorageAccount, type StorageAccountProps } from './storage-account.js';
import type { Construct } from 'constructs';

const BASE: StorageAccountProps = { ...PLACEMENT, name: 'stcommerce01' };
const build = (props: Partial<StorageAccountProps> = {}) => synth((scope) => new StorageAccount(scope, 'storage', { ...BASE, ...props }));
const zones = (scope: Construct) => new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'vnet-id' } });

describe('StorageAccount', () => {
  test('GIVEN only a name WHEN synthesized THEN HTTPS, TLS 1.2, no public blobs, no shared keys, infrastructure encryption and a private endpoint-only network', () => {
    expect(Testing.synthScope((scope) => new StorageAccount(scope, 'storage', BASE))).toHaveResourceWithProperties(AzureStorageAccount, {
      name: 'stcommerce01',
      account_kind: 'StorageV2',
      account_tier: 'Standard',
      account_replication_type: 'ZRS',
      https_traffic_only_enabled: true,
      min_tls_version: 'TLS1_2',
      allow_nested_items_to_be_public: false,
      shared_access_key_enabled: false,
      default_to_oauth_authentication: true,
      infrastructure_encryption_enabled: true,
      cross_tenant_replication_enabled: false,
      local_user_enabled: false,
      sftp_enabled: false,
      public_network_access_enabled: false,
      network_rules: { default_action: 'Deny', bypass: ['AzureServices'] },
    });
  });

  test('GIVEN defaults WHEN synthesized THEN blobs are versioned and deleted blobs and containers are kept 7 days', () => {
    expect(onlyResource(build(), 'azurerm_storage_account').blob_properties).toEqual({
      versioning_enabled: true,
      change_feed_enabled: false,
      delete_retention_policy: { days: 7 },
      container_delete_retention_policy: { days: 7 },
    });
  });

  test('GIVEN containers, replication and retention WHEN synthesized THEN they follow the props and containers are private', () => {
    const s = build({ replication: 'GZRS', blobSoftDeleteDays: 30, containerSoftDeleteDays: 14, containers: ['exports', 'snapshots'] });
    const account = onlyResource(s, 'azurerm_storage_account');
    expect(account).toMatchObject({
      account_replication_type: 'GZRS',
      blob_properties: { delete_retention_policy: { days: 30 }, container_delete_retention_policy: { days: 14 } },
    });
    expect(Object.values(resourcesOf(s, 'azurerm_storage_container')).map((c) => [c.name, c.container_access_type])).toEqual([
      ['exports', 'private'],
      ['snapshots', 'private'],
    ]);
  });

  test('GIVEN privateLink with three sub-resources WHEN synthesized THEN one endpoint per sub-resource in its own zone', () => {
    const s = synth(
      (scope) =>
        new StorageAccount(scope, 'storage', {
          ...BASE,
          privateLink: { subnetId: 'pe', dnsZones: zones(scope) },
          privateLinkSubresources: ['blob', 'queue', 'table'],
        }),
    );
    const endpoints = Object.values(resourcesOf(s, 'azurerm_private_endpoint'));
    expect(endpoints.map((e) => [e.name, (e.private_service_connection as { subresource_names: string[] }).subresource_names])).toEqual([
      ['stcommerce01-blob-pe', ['blob']],
      ['stcommerce01-queue-pe', ['queue']],
      ['stcommerce01-table-pe', ['table']],
    ]);
    expect(Object.values(resourcesOf(s, 'azurerm_private_dns_zone')).map((z) => z.name)).toHaveLength(3);
  });

  test('GIVEN the explicit insecure choices WHEN synthesized THEN public access is admitted only from the named subnets and keys are allowed', () => {
    const account = onlyResource(
      build({ allowPublicNetworkAccess: true, allowedSubnetIds: { functions: 'fn-subnet' }, allowSharedKeyAccess: true }),
      'azurerm_storage_account',
    );
    expect(account).toMatchObject({
      public_network_access_enabled: true,
      shared_access_key_enabled: true,
      network_rules: { default_action: 'Deny', virtual_network_subnet_ids: ['fn-subnet'] },
    });
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(() =>
      build({
        name: 'St-Commerce',
        replication: 'XRS' as never,
        privateLinkSubresources: ['blob', 'dfs' as never],
        blobSoftDeleteDays: 0,
        containers: ['Exports', 'ok-name', 'ok-name'],
        allowedSubnetIds: { functions: 'fn' },
      }),
    );
    expect(message).toMatch(/^StorageAccount stack\/storage: /);
    for (const expected of [
      'name must be 3-24 lowercase letters or digits (globally unique) (got "St-Commerce")',
      'allowedSubnetIds needs allowPublicNetworkAccess: true',
      'replication must be one of "LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS" (got "XRS")',
      'privateLinkSubresources must be one of "blob", "queue", "table", "file" (got "dfs")',
      'privateLinkSubresources needs privateLink (got ["blob","dfs"] without privateLink)',
      'blobSoftDeleteDays must be an integer between 1 and 365 (got 0)',
      'containers must be 3-63 lowercase letters, digits or single hyphens (got "Exports")',
      'containers must be unique (got "ok-name" twice)',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN the defaults in a stack whose provider uses Entra ID for storage WHEN the policy gate runs THEN CKV_AZURE_3, 44, 190 and GITOPS_AZURE_STORAGE_ENTRA check the account and pass', () => {
    const s = build();
    expect(policyFailures(s)).toEqual([]);
    expect(rulesChecked(s)).toEqual(['CKV_AZURE_190', 'CKV_AZURE_3', 'CKV_AZURE_44', 'GITOPS_AZURE_STORAGE_ENTRA']);
  });
});
