import { Testing } from 'cdktf';
import { MssqlServer } from '@cdktf/provider-azurerm/lib/mssql-server/index.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import {
  ADMIN_GROUP,
  errorOf,
  onlyResource,
  PLACEMENT,
  policyFailures,
  resourcesOf,
  rulesChecked,
  stack,
  synth,
} from '../../../test/modules/azure-synth.js';
import { SqlDatabase } from './sql-database.js';
import { SqlServer, type SqlServerProps } from './sql-server.js';

const BASE: SqlServerProps = {
  ...PLACEMENT,
  name: 'commerce-sql',
  administrator: { loginUsername: 'sql-admins', objectId: ADMIN_GROUP },
  auditWorkspaceId: 'workspace-id',
};
const build = (props: Partial<SqlServerProps> = {}) => synth((scope) => new SqlServer(scope, 'sql', { ...BASE, ...props }));
const databases = (s: ReturnType<typeof build>) =>
  Object.fromEntries(Object.values(resourcesOf(s, 'azurerm_mssql_database')).map((d) => [d.name, d]));

describe('SqlServer', () => {
  test('GIVEN the required props WHEN synthesized THEN the server is private, TLS 1.2, Entra ID-only and blocks outbound traffic', () => {
    expect(Testing.synthScope((scope) => new SqlServer(scope, 'sql', BASE))).toHaveResourceWithProperties(MssqlServer, {
      name: 'commerce-sql',
      version: '12.0',
      minimum_tls_version: '1.2',
      public_network_access_enabled: false,
      outbound_network_restriction_enabled: true,
      express_vulnerability_assessment_enabled: true,
      azuread_administrator: { login_username: 'sql-admins', object_id: ADMIN_GROUP, azuread_authentication_only: true },
      identity: { type: 'SystemAssigned' },
    });
    expect(onlyResource(build(), 'azurerm_mssql_server').administrator_login).toBeUndefined();
  });

  test('GIVEN a workspace WHEN synthesized THEN server auditing is on and the master database sends SQLSecurityAuditEvents there first', () => {
    const s = build();
    const policy = onlyResource(s, 'azurerm_mssql_server_extended_auditing_policy');
    expect(policy).toMatchObject({
      enabled: true,
      log_monitoring_enabled: true,
      server_id: expect.stringMatching(/azurerm_mssql_server\.sql_server_[0-9A-F]{8}\.id/),
    });
    const setting = onlyResource(s, 'azurerm_monitor_diagnostic_setting');
    expect(setting).toMatchObject({
      name: 'sql-audit',
      target_resource_id: expect.stringMatching(/^\$\{azurerm_mssql_server\.sql_server_[0-9A-F]{8}\.id\}\/databases\/master$/),
      log_analytics_workspace_id: 'workspace-id',
      enabled_log: [{ category: 'SQLSecurityAuditEvents' }],
      enabled_metric: [],
    });
    expect(policy.depends_on).toEqual([expect.stringMatching(/^azurerm_monitor_diagnostic_setting\.sql_audit-logs_setting_[0-9A-F]{8}$/)]);
  });

  test('GIVEN alert e-mails WHEN synthesized THEN threat detection is enabled and mails admins and the list', () => {
    expect(onlyResource(build({ alertEmails: ['dba@example.com'] }), 'azurerm_mssql_server_security_alert_policy')).toMatchObject({
      state: 'Enabled',
      email_account_admins: true,
      email_addresses: ['dba@example.com'],
    });
  });

  test('GIVEN two databases WHEN synthesized THEN each has TDE, geo backups, 7 days of restore and prevent_destroy', () => {
    const dbs = databases(
      build({ databases: { Transactions: {}, Analytics: { skuName: 'GP_Gen5_2', zoneRedundant: true, backupRetentionDays: 14 } } }),
    );
    expect(dbs.Transactions).toMatchObject({
      sku_name: 'S0',
      zone_redundant: false,
      storage_account_type: 'Geo',
      transparent_data_encryption_enabled: true,
      short_term_retention_policy: { retention_days: 7 },
      lifecycle: { prevent_destroy: true },
    });
    expect(dbs.Analytics).toMatchObject({
      sku_name: 'GP_Gen5_2',
      zone_redundant: true,
      storage_account_type: 'GeoZone',
      short_term_retention_policy: { retention_days: 14 },
    });
  });

  test('GIVEN addDatabase with long-term retention and serverless pause WHEN synthesized THEN they are set; a duplicate name throws', () => {
    const server = new SqlServer(stack(), 'sql', BASE);
    server.addDatabase('Reports', {
      skuName: 'GP_S_Gen5_1',
      autoPauseDelayInMinutes: 60,
      longTermRetention: { weekly: 'P4W', monthly: 'P12M' },
      preventDestroy: false,
    });
    expect(Object.keys(server.databases)).toEqual(['Reports']);
    expect(server.databases.Reports).toBeInstanceOf(SqlDatabase);
    expect(() => server.addDatabase('Reports')).toThrow('addDatabase: database names must be unique (got "Reports" twice)');
    const s = synth(
      (scope) =>
        new SqlServer(scope, 'sql', {
          ...BASE,
          databases: {
            Reports: { skuName: 'GP_S_Gen5_1', autoPauseDelayInMinutes: 60, longTermRetention: { weekly: 'P4W' }, preventDestroy: false },
          },
        }),
    );
    expect(databases(s).Reports).toMatchObject({
      auto_pause_delay_in_minutes: 60,
      long_term_retention_policy: { weekly_retention: 'P4W' },
      lifecycle: { prevent_destroy: false },
    });
  });

  test('GIVEN privateLink WHEN synthesized THEN a private endpoint on sqlServer registers in privatelink.database.windows.net', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'v' } });
      new SqlServer(scope, 'sql', { ...BASE, privateLink: { subnetId: 'pe', dnsZones: zones } });
    });
    expect(onlyResource(s, 'azurerm_private_endpoint')).toMatchObject({
      name: 'commerce-sql-pe',
      private_service_connection: { subresource_names: ['sqlServer'] },
    });
    expect(onlyResource(s, 'azurerm_private_dns_zone').name).toBe('privatelink.database.windows.net');
  });

  test('GIVEN public access for named subnets WHEN synthesized THEN VNet rules admit them and the gate reports CKV_AZURE_113', () => {
    const s = build({ allowPublicNetworkAccess: true, allowedSubnetIds: { functions: 'fn-subnet' }, allowOutboundNetworkAccess: true });
    expect(onlyResource(s, 'azurerm_mssql_virtual_network_rule')).toMatchObject({ name: 'functions', subnet_id: 'fn-subnet' });
    expect(onlyResource(s, 'azurerm_mssql_server').outbound_network_restriction_enabled).toBe(false);
    expect(policyFailures(s)).toEqual([
      expect.stringMatching(/^CKV_AZURE_113 azurerm_mssql_server\.sql_server_[0-9A-F]{8}: public_network_access_enabled is true$/),
    ]);
  });

  test('GIVEN bad server props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(() =>
      build({
        name: 'Commerce_SQL',
        administrator: { loginUsername: ' admins', objectId: 'not-a-uuid', tenantId: 'nope' },
        alertEmails: ['not-an-email'],
        allowedSubnetIds: { functions: 'fn' },
      }),
    );
    expect(message).toMatch(/^SqlServer stack\/sql: /);
    for (const expected of [
      'name must be 1-63 lowercase letters, digits or hyphens',
      'allowedSubnetIds needs allowPublicNetworkAccess: true',
      'administrator.loginUsername must be 1-128 characters, not starting with a space (got " admins")',
      'administrator.objectId must be an Entra ID object id (a UUID) (got "not-a-uuid")',
      'administrator.tenantId must be an Entra ID tenant id (a UUID) (got "nope")',
      'alertEmails must be e-mail addresses (got "not-an-email")',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN bad database options WHEN constructed THEN the database error names each option', () => {
    const message = errorOf(() =>
      build({
        databases: {
          'bad name!': {
            skuName: 'Basic',
            zoneRedundant: true,
            backupRetentionDays: 14,
            backupStorageRedundancy: 'Remote' as never,
            autoPauseDelayInMinutes: 5,
            longTermRetention: { weekly: '4 weeks', weekOfYear: 53 },
          },
        },
      }),
    );
    expect(message).toMatch(/^SqlDatabase stack\/sql\/database-bad name!: /);
    for (const expected of [
      'name must be 1-128 letters, digits, periods, hyphens or underscores',
      'zoneRedundant needs a Premium, General Purpose, Business Critical or Hyperscale sku (got skuName "Basic")',
      'backupRetentionDays must be an integer between 1 and 7 (got 14)',
      'backupStorageRedundancy must be one of "Geo", "GeoZone", "Zone", "Local" (got "Remote")',
      'autoPauseDelayInMinutes needs a serverless sku (GP_S_…; got skuName "Basic")',
      'autoPauseDelayInMinutes must be -1 (never) or between 15 and 10080 (got 5)',
      'longTermRetention.weekly must be an ISO 8601 duration such as P4W, P12M or P5Y (got "4 weeks")',
      'longTermRetention.weekOfYear must be an integer between 1 and 52 (got 53)',
    ]) {
      expect(message).toContain(expected);
    }
    expect(errorOf(() => build({ databases: { db: { skuName: 'XL' } } }))).toContain(
      'skuName must be an Azure SQL service objective such as Basic, S0',
    );
  });

  test('GIVEN the defaults with databases WHEN the policy gate runs THEN CKV_AZURE_113, 52, 23, CKV2_AZURE_25 and 27 check and pass', () => {
    const s = build({ databases: { Transactions: {}, Analytics: { skuName: 'Basic' } } });
    expect(policyFailures(s)).toEqual([]);
    expect(rulesChecked(s)).toEqual(['CKV2_AZURE_25', 'CKV2_AZURE_27', 'CKV_AZURE_113', 'CKV_AZURE_23', 'CKV_AZURE_52']);
  });
});
