import { TerraformStack, Testing } from 'cdktf';
import { commerceSettings } from '../settings.js';
import { ADMIN_GROUP, errorOf, policyFailures, resourcesOf, resourceTypeCounts, synth, TENANT } from '../../../test/modules/azure-synth.js';
import { CommerceAzure, type CommerceAzureProps } from './azure.js';
import { commerceAzureNames, nameSuffix } from './azure-names.js';
import { COMMERCE_FUNCTIONS, COMMERCE_QUEUES } from './azure-services.js';

const props = (settings: Record<string, unknown> = {}, extra: Partial<CommerceAzureProps> = {}): CommerceAzureProps => ({
  prefix: 'commerce-prod',
  location: 'westeurope',
  cidr: '10.30.16.0/20',
  settings: commerceSettings.parse(settings),
  tenantId: TENANT,
  sqlAdministrator: { loginUsername: 'sql-admins', objectId: ADMIN_GROUP },
  aws: { tunnels: { tunnel1: '203.0.113.10', tunnel2: '203.0.113.20' }, cidr: '10.40.0.0/16' },
  alerts: { email: { oncall: 'oncall@example.com' }, https: {} },
  ...extra,
});
const build = (settings: Record<string, unknown> = {}, extra: Partial<CommerceAzureProps> = {}) =>
  synth((scope) => new CommerceAzure(scope, 'commerce', props(settings, extra)));
const PRIVATE = { privateLink: true, serviceBusSku: 'Premium' };
const PROD = { ...PRIVATE, multiAz: true, dr: true, sqlSku: 'GP_Gen5_2', redisSku: 'Premium', logRetentionDays: 365 };
const names = (s: ReturnType<typeof build>, type: string) =>
  Object.values(resourcesOf(s, type))
    .map((r) => r.name as string)
    .sort();

describe('CommerceAzure', () => {
  // Seed 004 (Azure side): every component of the design and the resource types that realise it.
  const SEED: [string, string[]][] = [
    ['resource group', ['azurerm_resource_group']],
    [
      'VNet with delegated, private-endpoint and gateway subnets',
      ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_network_security_group'],
    ],
    ['Azure Functions (4)', ['azurerm_service_plan', 'azurerm_linux_function_app']],
    [
      'Azure SQL: Transactions, Analytics',
      ['azurerm_mssql_server', 'azurerm_mssql_database', 'azurerm_mssql_server_extended_auditing_policy'],
    ],
    ['Service Bus for inter-service messages', ['azurerm_servicebus_namespace', 'azurerm_servicebus_queue']],
    ['Redis cache', ['azurerm_redis_cache']],
    ['CDN + WAF (Front Door)', ['azurerm_cdn_frontdoor_profile', 'azurerm_cdn_frontdoor_route', 'azurerm_cdn_frontdoor_firewall_policy']],
    [
      'Azure Monitor: Log Analytics + App Insights',
      ['azurerm_log_analytics_workspace', 'azurerm_application_insights', 'azurerm_monitor_diagnostic_setting'],
    ],
    ['alerting', ['azurerm_monitor_action_group', 'azurerm_monitor_metric_alert']],
    ['secrets (API keys)', ['azurerm_key_vault']],
    ['private endpoints', ['azurerm_private_endpoint', 'azurerm_private_dns_zone']],
    [
      'VPN to the AWS VPC',
      ['azurerm_virtual_network_gateway', 'azurerm_local_network_gateway', 'azurerm_virtual_network_gateway_connection'],
    ],
    ['Blob storage for backups', ['azurerm_storage_account', 'azurerm_storage_container']],
  ];
  const privateStack = build(PRIVATE);
  test.each(SEED)(
    'GIVEN the seed component %s WHEN synthesized with private link THEN its resource types are present',
    (_component, types) => {
      for (const type of types) expect(Object.keys(resourcesOf(privateStack, type)).length).toBeGreaterThan(0);
    },
  );

  test('GIVEN the seed WHEN synthesized THEN the four functions, two databases and the queues are keyed by name', () => {
    const n = commerceAzureNames('commerce-prod', nameSuffix(TENANT, 'commerce-prod', 'westeurope'));
    expect(names(privateStack, 'azurerm_linux_function_app')).toEqual(COMMERCE_FUNCTIONS.map(n.functionApp).sort());
    expect(names(privateStack, 'azurerm_mssql_database')).toEqual(['Analytics', 'Transactions']);
    expect(names(privateStack, 'azurerm_servicebus_queue')).toEqual(Object.keys(COMMERCE_QUEUES).sort());
    expect(names(privateStack, 'azurerm_subnet')).toEqual(['GatewaySubnet', 'functions', 'private-endpoints']);
  });

  test('GIVEN default settings and production settings WHEN synthesized THEN the resource-type counts match the snapshot', () => {
    expect({ defaults: resourceTypeCounts(build()), production: resourceTypeCounts(build(PROD)) }).toMatchSnapshot();
  });

  test('GIVEN private link and Premium Service Bus WHEN the policy gate runs THEN nothing fails', () => {
    expect(policyFailures(privateStack)).toEqual([]);
    expect(policyFailures(build(PROD))).toEqual([]);
  });

  test('GIVEN the default settings (no private link, Standard Service Bus) WHEN the policy gate runs THEN exactly the public endpoints are reported', () => {
    expect(policyFailures(build()).map((f) => f.split(' ')[0])).toEqual(['CKV_AZURE_113', 'CKV_AZURE_89', 'CKV_AZURE_204']);
  });

  test('GIVEN private link with Standard Service Bus WHEN the policy gate runs THEN only CKV_AZURE_204 remains (to be waived per environment)', () => {
    expect(policyFailures(build({ privateLink: true })).map((f) => f.split(' ')[0])).toEqual(['CKV_AZURE_204']);
  });

  test('GIVEN the default settings WHEN synthesized THEN the data services admit only the functions subnet through service endpoints', () => {
    const s = build();
    const subnet = Object.values(resourcesOf(s, 'azurerm_subnet')).find((x) => x.name === 'functions')!;
    expect(subnet.service_endpoints).toEqual(['Microsoft.Sql', 'Microsoft.Storage', 'Microsoft.KeyVault', 'Microsoft.ServiceBus']);
    expect(Object.values(resourcesOf(s, 'azurerm_mssql_virtual_network_rule')).map((r) => r.name)).toEqual(['functions']);
    expect(
      Object.values(resourcesOf(s, 'azurerm_storage_account')).map(
        (a) => (a.network_rules as { virtual_network_subnet_ids: string[] }).virtual_network_subnet_ids.length,
      ),
    ).toEqual([1, 1]);
    expect(resourcesOf(s, 'azurerm_private_endpoint')).toEqual({});
  });

  test('GIVEN Premium Service Bus without private link WHEN synthesized THEN the namespace admits only the functions subnet', () => {
    const bus = Object.values(resourcesOf(build({ serviceBusSku: 'Premium' }), 'azurerm_servicebus_namespace'))[0]!;
    expect(bus).toMatchObject({
      public_network_access_enabled: true,
      network_rule_set: { default_action: 'Deny', network_rules: [{ subnet_id: expect.stringMatching(/subnet-functions/) }] },
    });
  });

  test('GIVEN the knobs WHEN synthesized THEN SKUs, zone redundancy, retention and deletion protection follow them', () => {
    const s = build({ ...PROD, deletionProtection: false });
    for (const db of Object.values(resourcesOf(s, 'azurerm_mssql_database'))) {
      expect(db).toMatchObject({
        sku_name: 'GP_Gen5_2',
        zone_redundant: true,
        storage_account_type: 'GeoZone',
        lifecycle: { prevent_destroy: false },
      });
    }
    expect(Object.values(resourcesOf(s, 'azurerm_redis_cache'))[0]).toMatchObject({ sku_name: 'Premium', zones: ['1', '2', '3'] });
    expect(Object.values(resourcesOf(s, 'azurerm_servicebus_namespace'))[0]).toMatchObject({
      sku: 'Premium',
      public_network_access_enabled: false,
    });
    expect(Object.values(resourcesOf(s, 'azurerm_log_analytics_workspace'))[0]).toMatchObject({ retention_in_days: 365 });
    expect(Object.values(resourcesOf(s, 'azurerm_service_plan'))[0]).toMatchObject({
      sku_name: 'EP1',
      zone_balancing_enabled: true,
      worker_count: 3,
    });
    expect(
      Object.values(resourcesOf(s, 'azurerm_storage_account'))
        .map((a) => a.account_replication_type)
        .sort(),
    ).toEqual(['GZRS', 'ZRS']);
    const dev = build({ logRetentionDays: 7 });
    expect(Object.values(resourcesOf(dev, 'azurerm_log_analytics_workspace'))[0]).toMatchObject({ retention_in_days: 30 });
    expect(Object.values(resourcesOf(dev, 'azurerm_mssql_database'))[0]).toMatchObject({
      sku_name: 'Basic',
      zone_redundant: false,
      lifecycle: { prevent_destroy: true },
    });
  });

  test('GIVEN the queue flows WHEN synthesized THEN each function may only send to or receive from its queues', () => {
    const n = commerceAzureNames('commerce-prod', nameSuffix(TENANT, 'commerce-prod', 'westeurope'));
    const grants = Object.entries(resourcesOf(privateStack, 'azurerm_role_assignment'))
      .filter(([, r]) => String(r.role_definition_name).startsWith('Azure Service Bus'))
      .map(([id, r]) => `${id.replace(/^commerce_service-bus_grant-/, '').replace(/_[0-9A-F]{8}$/, '')}: ${r.role_definition_name}`)
      .sort();
    expect(grants).toEqual([
      'analytics-processor-receives-analytics-events: Azure Service Bus Data Receiver',
      'backup-service-receives-backup-jobs: Azure Service Bus Data Receiver',
      'notification-receives-notifications: Azure Service Bus Data Receiver',
      'notification-sends-analytics-events: Azure Service Bus Data Sender',
      'payment-processor-receives-payment-requests: Azure Service Bus Data Receiver',
      'payment-processor-sends-analytics-events: Azure Service Bus Data Sender',
      'payment-processor-sends-notifications: Azure Service Bus Data Sender',
      'payment-processor-sends-payment-results: Azure Service Bus Data Sender',
    ]);
    const apps = Object.fromEntries(
      Object.values(resourcesOf(privateStack, 'azurerm_linux_function_app')).map((a) => [a.name, a.app_settings as Record<string, string>]),
    );
    expect(apps[n.functionApp('payment-processor')]).toMatchObject({
      STRIPE_API_KEY: `@Microsoft.KeyVault(VaultName=${n.keyVault};SecretName=stripe-api-key)`,
      ServiceBus__fullyQualifiedNamespace: `${n.serviceBus}.servicebus.windows.net`,
      SQL_DATABASE: 'Transactions',
    });
    expect(apps[n.functionApp('analytics-processor')]).toMatchObject({ SQL_DATABASE: 'Analytics' });
    expect(JSON.stringify(apps)).not.toMatch(/AccountKey=|SharedAccessKey=|Password=/);
  });

  test('GIVEN the payment API WHEN synthesized THEN Front Door reaches it over Private Link and it stays closed to the internet', () => {
    const origin = Object.values(resourcesOf(privateStack, 'azurerm_cdn_frontdoor_origin'))[0]!;
    expect(origin).toMatchObject({ name: 'payment-processor', private_link: { target_type: 'sites', location: 'westeurope' } });
    for (const app of Object.values(resourcesOf(build(), 'azurerm_linux_function_app')))
      expect(app.public_network_access_enabled).toBe(false);
  });

  test('GIVEN AWS tunnels WHEN synthesized THEN each gets a connection whose key is a sensitive variable named for TF_VAR_', () => {
    const s = build();
    expect(Object.keys(s.variable ?? {}).sort()).toEqual(['commerce_vpn_psk_tunnel1', 'commerce_vpn_psk_tunnel2']);
    expect(s.variable!.commerce_vpn_psk_tunnel1).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    const connections = Object.values(resourcesOf(s, 'azurerm_virtual_network_gateway_connection'));
    expect(connections.map((c) => c.shared_key).sort()).toEqual(['${var.commerce_vpn_psk_tunnel1}', '${var.commerce_vpn_psk_tunnel2}']);
    expect(Object.values(resourcesOf(s, 'azurerm_local_network_gateway')).map((l) => [l.gateway_address, l.address_space])).toEqual([
      ['203.0.113.10', ['10.40.0.0/16']],
      ['203.0.113.20', ['10.40.0.0/16']],
    ]);
  });

  test('GIVEN the AWS principal WHEN synthesized THEN it may send to and receive from exactly the queues the flows give AWS', () => {
    const AWS_PRINCIPAL = '22222222-3333-4444-8555-666666666666';
    const s = build(PRIVATE, { awsPrincipalId: AWS_PRINCIPAL });
    const grants = Object.entries(resourcesOf(s, 'azurerm_role_assignment'))
      .filter(([, r]) => r.principal_id === AWS_PRINCIPAL)
      .map(([id, r]) => `${/grant-(aws-[a-z-]+)_/.exec(id)![1]}: ${r.role_definition_name}`)
      .sort();
    expect(grants).toEqual([
      'aws-receives-payment-results: Azure Service Bus Data Receiver',
      'aws-sends-analytics-events: Azure Service Bus Data Sender',
      'aws-sends-backup-jobs: Azure Service Bus Data Sender',
      'aws-sends-notifications: Azure Service Bus Data Sender',
      'aws-sends-payment-requests: Azure Service Bus Data Sender',
    ]);
    expect(Object.values(resourcesOf(privateStack, 'azurerm_role_assignment')).some((r) => r.principal_id === AWS_PRINCIPAL)).toBe(false);
    expect(errorOf(() => build({}, { awsPrincipalId: 'aws-role' }))).toContain(
      'awsPrincipalId must be an Entra ID object id (a UUID) (got "aws-role")',
    );
  });

  test('GIVEN shared app settings WHEN synthesized THEN every function app gets them and the construct-owned settings still win', () => {
    const s = build({}, { sharedAppSettings: { JWT_ISSUER: 'https://issuer.example.com', SQL_DATABASE: 'Other' } });
    for (const app of Object.values(resourcesOf(s, 'azurerm_linux_function_app'))) {
      expect(app.app_settings).toMatchObject({ JWT_ISSUER: 'https://issuer.example.com' });
      expect((app.app_settings as Record<string, string>).SQL_DATABASE).not.toBe('Other');
    }
  });

  test('GIVEN e-mail and HTTPS receivers and an existing action group WHEN synthesized THEN its own group holds both receivers and every alert notifies both groups', () => {
    const ONCALL =
      '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/ops/providers/Microsoft.Insights/actionGroups/oncall';
    const s = build(
      {},
      { alerts: { email: { oncall: 'oncall@example.com' }, https: { pager: 'https://events.example.com/a' }, actionGroupId: ONCALL } },
    );
    const group = Object.values(resourcesOf(s, 'azurerm_monitor_action_group'))[0]!;
    expect([group.email_receiver, group.webhook_receiver]).toEqual([
      [{ name: 'oncall', email_address: 'oncall@example.com', use_common_alert_schema: true }],
      [{ name: 'pager', service_uri: 'https://events.example.com/a', use_common_alert_schema: true }],
    ]);
    const alerts = Object.values(resourcesOf(s, 'azurerm_monitor_metric_alert'));
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) {
      expect(alert.action).toEqual([
        { action_group_id: expect.stringMatching(/^\$\{azurerm_monitor_action_group\./) },
        { action_group_id: ONCALL },
      ]);
    }
  });

  test('GIVEN only an existing action group, or no receiver WHEN synthesized THEN it makes no group of its own, and alerts only with someone to tell', () => {
    const ONCALL =
      '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/ops/providers/Microsoft.Insights/actionGroups/oncall';
    const existing = build({}, { alerts: { email: {}, https: {}, actionGroupId: ONCALL } });
    expect(resourcesOf(existing, 'azurerm_monitor_action_group')).toEqual({});
    expect(Object.values(resourcesOf(existing, 'azurerm_monitor_metric_alert')).map((a) => a.action)).toContainEqual([
      { action_group_id: ONCALL },
    ]);
    const nobody = build({}, { alerts: undefined });
    expect([resourcesOf(nobody, 'azurerm_monitor_action_group'), resourcesOf(nobody, 'azurerm_monitor_metric_alert')]).toEqual([{}, {}]);
  });

  test('GIVEN the AWS peer WHEN synthesized THEN the tunnels use ECDH group 19 and the keys are checked against AWS rules at plan', () => {
    const s = build();
    for (const c of Object.values(resourcesOf(s, 'azurerm_virtual_network_gateway_connection'))) {
      expect(c.ipsec_policy).toMatchObject({ dh_group: 'ECP256', pfs_group: 'ECP256', ike_encryption: 'AES256', sa_lifetime: 3600 });
    }
    const [validation] = s.variable!.commerce_vpn_psk_tunnel1!.validation as { condition: string }[];
    expect(validation!.condition).toBe('${can(regex("^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$", var.commerce_vpn_psk_tunnel1))}');
  });

  test('GIVEN the same inputs WHEN names are derived THEN they are stable, distinct per location and within Azure limits', () => {
    const suffix = nameSuffix(TENANT, 'commerce-prod', 'westeurope');
    expect(suffix).toMatch(/^[0-9a-f]{6}$/);
    expect(nameSuffix(TENANT, 'commerce-prod', 'westeurope')).toBe(suffix);
    expect(nameSuffix(TENANT, 'commerce-prod', 'northeurope')).not.toBe(suffix);
    const n = commerceAzureNames('commerce-prod-northeurope', suffix);
    expect(n.functionStorage.length).toBeLessThanOrEqual(24);
    expect(n.keyVault.length).toBeLessThanOrEqual(24);
    expect(build({}, { nameSuffix: 'abc123' }).resource!.azurerm_key_vault).toBeDefined();
  });

  test('GIVEN knobs that contradict each other and bad props WHEN constructed THEN one error names every environment-file knob at fault', () => {
    const message = errorOf(
      () =>
        new CommerceAzure(new TerraformStack(Testing.app(), 'test'), 'commerce', {
          ...props({ multiAz: true }),
          prefix: 'Commerce',
          cidr: '10.30.16.0/24',
          tenantId: 'tenant',
          nameSuffix: 'TOO-LONG',
          aws: { tunnels: {}, cidr: '10.30.0.0/16' },
        }),
    );
    expect(message).toMatch(/^CommerceAzure test\/commerce: /);
    for (const expected of [
      'prefix must be 4-26 lowercase letters, digits or hyphens, starting with a letter (got "Commerce")',
      'nameSuffix must be 1-6 lowercase letters or digits (got "TOO-LONG")',
      'tenantId must be an Entra ID tenant id (a UUID) (got "tenant")',
      'cidr must be a canonical IPv4 CIDR of /22 or larger (got "10.30.16.0/24")',
      'aws.cidr must not overlap cidr: the VPN routes it (got aws.cidr 10.30.0.0/16, cidr 10.30.16.0/24)',
      'aws.tunnels must name 1-4 tunnels (an AWS VPN connection has 2; got 0)',
      'settings.multiAz: true needs a zone-redundant settings.sqlSku (P1…, GP_…, BC_…, HS_…; got "Basic")',
      'settings.multiAz: true needs settings.redisSku "Premium" for a zone-redundant cache (got "Basic")',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN the longest prefix WHEN names are derived THEN the four Function Apps still have distinct host ids (first 32 characters)', () => {
    const n = commerceAzureNames('commerce-production-westeu', 'abc123');
    expect(new Set(COMMERCE_FUNCTIONS.map((f) => n.functionApp(f).slice(0, 32))).size).toBe(4);
    expect(errorOf(() => build({}, { prefix: 'commerce-production-westeur' }))).toContain('prefix must be 4-26 lowercase letters');
  });
});
