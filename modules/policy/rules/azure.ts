import type { PolicyRule } from '../types.js';
import { asList, expectThat, get, isTrue, rule, show } from './helpers.js';

const FUNCTION_APPS = ['azurerm_linux_function_app', 'azurerm_windows_function_app', 'azurerm_function_app_flex_consumption'];

export const azureRules: PolicyRule[] = [
  rule({
    id: 'CKV_AZURE_113',
    title: 'Azure SQL server denies public network access',
    severity: 'high',
    resourceTypes: ['azurerm_mssql_server'],
    remediation: 'Set public_network_access_enabled = false and use a private endpoint.',
    check: (s) =>
      expectThat(
        s.config.public_network_access_enabled === false || s.config.public_network_access_enabled === 'false',
        `public_network_access_enabled is ${show(s.config.public_network_access_enabled)}`,
      ),
  }),
  rule({
    id: 'CKV_AZURE_52',
    title: 'Azure SQL server requires TLS 1.2',
    severity: 'medium',
    resourceTypes: ['azurerm_mssql_server'],
    remediation: 'Set minimum_tls_version = "1.2".',
    check: (s) =>
      expectThat(
        ['1.2', '1.3'].includes(String(s.config.minimum_tls_version)),
        `minimum_tls_version is ${show(s.config.minimum_tls_version)}`,
      ),
  }),
  rule({
    id: 'CKV_AZURE_23',
    title: 'Azure SQL server auditing is on',
    severity: 'medium',
    resourceTypes: ['azurerm_mssql_server'],
    remediation: 'Add azurerm_mssql_server_extended_auditing_policy for the server (to Log Analytics or storage).',
    check: (s, stack) =>
      expectThat(
        stack.referencing('azurerm_mssql_server_extended_auditing_policy', 'server_id', s).length > 0,
        'no extended auditing policy for the server',
      ),
  }),
  rule({
    id: 'CKV2_AZURE_25',
    title: 'Azure SQL database has transparent data encryption',
    severity: 'high',
    resourceTypes: ['azurerm_mssql_database'],
    remediation: 'Leave transparent_data_encryption_enabled at true.',
    check: (d) =>
      expectThat(
        d.config.transparent_data_encryption_enabled !== false && d.config.transparent_data_encryption_enabled !== 'false',
        'transparent_data_encryption_enabled is false',
      ),
  }),
  rule({
    id: 'CKV2_AZURE_27',
    title: 'Azure SQL server uses Entra ID (Azure AD) authentication',
    severity: 'medium',
    resourceTypes: ['azurerm_mssql_server'],
    remediation: 'Add an azuread_administrator block (ideally azuread_authentication_only = true).',
    check: (s) => expectThat(get(s.config, 'azuread_administrator.object_id') !== undefined, 'no azuread_administrator'),
  }),
  rule({
    id: 'CKV_AZURE_3',
    title: 'Storage account accepts HTTPS only',
    severity: 'high',
    resourceTypes: ['azurerm_storage_account'],
    remediation: 'Leave https_traffic_only_enabled at true.',
    check: (a) =>
      expectThat(
        a.config.https_traffic_only_enabled !== false && a.config.https_traffic_only_enabled !== 'false',
        'https_traffic_only_enabled is false',
      ),
  }),
  rule({
    id: 'CKV_AZURE_44',
    title: 'Storage account requires TLS 1.2',
    severity: 'medium',
    resourceTypes: ['azurerm_storage_account'],
    remediation: 'Set min_tls_version = "TLS1_2".',
    check: (a) =>
      expectThat(String(a.config.min_tls_version ?? 'TLS1_2') === 'TLS1_2', `min_tls_version is ${show(a.config.min_tls_version)}`),
  }),
  rule({
    id: 'CKV_AZURE_190',
    title: 'Storage account blobs are never public',
    severity: 'high',
    resourceTypes: ['azurerm_storage_account'],
    remediation: 'Set allow_nested_items_to_be_public = false.',
    check: (a) =>
      expectThat(
        a.config.allow_nested_items_to_be_public === false || a.config.allow_nested_items_to_be_public === 'false',
        `allow_nested_items_to_be_public is ${show(a.config.allow_nested_items_to_be_public)}`,
      ),
  }),
  rule({
    id: 'GITOPS_AZURE_STORAGE_ENTRA',
    title: 'Storage account that refuses shared keys is reached with Entra ID',
    severity: 'high',
    resourceTypes: ['azurerm_storage_account'],
    remediation:
      'Set storage_use_azuread = true on the azurerm provider the account uses: otherwise the provider signs its data-plane calls (containers, queues) with the refused key and every one gets 403.',
    check: (a, stack) => {
      if (a.config.shared_access_key_enabled !== false && a.config.shared_access_key_enabled !== 'false') return undefined;
      // `provider` is `azurerm.<alias>` for an aliased provider, absent for the default one.
      const alias = typeof a.config.provider === 'string' ? a.config.provider.split('.')[1] : undefined;
      const provider = (stack.providers.azurerm ?? []).find((p) => p.alias === alias);
      return expectThat(
        isTrue(provider?.storage_use_azuread),
        `shared keys are refused but the azurerm provider${alias ? ` "${alias}"` : ''} has storage_use_azuread ${show(provider?.storage_use_azuread)}`,
      );
    },
  }),
  rule({
    id: 'CKV_AZURE_203',
    title: 'Service Bus disables local (SAS key) authentication',
    severity: 'medium',
    resourceTypes: ['azurerm_servicebus_namespace'],
    remediation: 'Set local_auth_enabled = false; use managed identities.',
    check: (n) =>
      expectThat(
        n.config.local_auth_enabled === false || n.config.local_auth_enabled === 'false',
        `local_auth_enabled is ${show(n.config.local_auth_enabled)}`,
      ),
  }),
  rule({
    id: 'CKV_AZURE_204',
    title: 'Service Bus denies public network access',
    severity: 'high',
    resourceTypes: ['azurerm_servicebus_namespace'],
    remediation: 'Set public_network_access_enabled = false (Premium with a private endpoint).',
    check: (n) =>
      expectThat(
        n.config.public_network_access_enabled === false || n.config.public_network_access_enabled === 'false',
        `public_network_access_enabled is ${show(n.config.public_network_access_enabled)}`,
      ),
  }),
  rule({
    id: 'CKV_AZURE_205',
    title: 'Service Bus requires TLS 1.2',
    severity: 'medium',
    resourceTypes: ['azurerm_servicebus_namespace'],
    remediation: 'Set minimum_tls_version = "1.2".',
    check: (n) =>
      expectThat(String(n.config.minimum_tls_version ?? '1.2') === '1.2', `minimum_tls_version is ${show(n.config.minimum_tls_version)}`),
  }),
  rule({
    id: 'CKV_AZURE_70',
    title: 'Function app accepts HTTPS only',
    severity: 'high',
    resourceTypes: FUNCTION_APPS,
    remediation: 'Set https_only = true.',
    check: (f) => expectThat(isTrue(f.config.https_only), `https_only is ${show(f.config.https_only)}`),
  }),
  rule({
    id: 'GITOPS_AZURE_FUNC_IDENTITY',
    title: 'Function app has a managed identity',
    severity: 'medium',
    resourceTypes: FUNCTION_APPS,
    remediation: 'Add identity { type = "SystemAssigned" } (or UserAssigned) and grant it roles instead of keys.',
    check: (f) =>
      expectThat(
        asList(f.config.identity).some((i) => /Assigned/.test(String(get(i, 'type')))),
        'no managed identity',
      ),
  }),
  rule({
    id: 'CKV_AZURE_91',
    title: 'Azure Redis has the non-TLS port closed',
    severity: 'high',
    resourceTypes: ['azurerm_redis_cache'],
    remediation: 'Leave non_ssl_port_enabled at false.',
    check: (r) => expectThat(!isTrue(r.config.non_ssl_port_enabled), 'non_ssl_port_enabled is true'),
  }),
  rule({
    id: 'CKV_AZURE_89',
    title: 'Azure Redis denies public network access',
    severity: 'high',
    resourceTypes: ['azurerm_redis_cache'],
    remediation: 'Set public_network_access_enabled = false and use a private endpoint.',
    check: (r) =>
      expectThat(
        r.config.public_network_access_enabled === false || r.config.public_network_access_enabled === 'false',
        `public_network_access_enabled is ${show(r.config.public_network_access_enabled)}`,
      ),
  }),
];
