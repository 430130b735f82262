import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app/index.js';
import type { Construct } from 'constructs';
import { PACKAGE_CACHE_DIR } from '../../core/function-package.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import {
  errorOf,
  onlyResource,
  PLACEMENT,
  policyFailures,
  resourcesOf,
  rulesChecked,
  stack,
  synth,
} from '../../../test/modules/azure-synth.js';
import { FunctionApp, type FunctionAppProps } from './function-app.js';
import { FunctionPlan } from './function-plan.js';

const STORAGE = { id: 'storage-id', name: 'stcommercefn', primaryBlobEndpoint: 'https://stcommercefn.blob.core.windows.net/' };
const BASE: FunctionAppProps = { ...PLACEMENT, name: 'commerce-payments', storageAccount: STORAGE, subnetId: 'functions-subnet' };
const build = (props: Partial<FunctionAppProps> = {}) => synth((scope) => new FunctionApp(scope, 'fn', { ...BASE, ...props }));
const roles = (s: ReturnType<typeof build>) =>
  Object.values(resourcesOf(s, 'azurerm_role_assignment'))
    .map((r) => `${r.role_definition_name} @ ${String(r.scope).replace(/_[0-9A-F]{8}/, '')}`)
    .sort();

/** One HTTP-triggered function whose entry is a real file. */
const codeDir = mkdtempSync(join(tmpdir(), 'function-app-code-'));
afterAll(() => rmSync(codeDir, { recursive: true, force: true }));
writeFileSync(join(codeDir, 'hello.ts'), 'export async function run(context: { res?: unknown }) { context.res = { body: "hi" }; }\n');
const HELLO = {
  hello: {
    entry: join(codeDir, 'hello.ts'),
    bindings: [
      { type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'anonymous', methods: ['get'] },
      { type: 'http', direction: 'out', name: 'res' },
    ],
  },
} as const;

describe('FunctionApp', () => {
  test('GIVEN the required props WHEN synthesized THEN a Linux app on its own EP1 plan: HTTPS only, TLS 1.2, no FTP or basic auth, private, identity-based storage', () => {
    expect(Testing.synthScope((scope) => new FunctionApp(scope, 'fn', BASE))).toHaveResourceWithProperties(LinuxFunctionApp, {
      name: 'commerce-payments',
      https_only: true,
      public_network_access_enabled: false,
      ftp_publish_basic_authentication_enabled: false,
      webdeploy_publish_basic_authentication_enabled: false,
      functions_extension_version: '~4',
      storage_account_name: 'stcommercefn',
      storage_uses_managed_identity: true,
      content_share_force_disabled: true,
      virtual_network_subnet_id: 'functions-subnet',
      identity: { type: 'SystemAssigned' },
      site_config: {
        minimum_tls_version: '1.2',
        scm_minimum_tls_version: '1.2',
        ftps_state: 'Disabled',
        http2_enabled: true,
        remote_debugging_enabled: false,
        vnet_route_all_enabled: true,
        runtime_scale_monitoring_enabled: true,
        application_stack: { node_version: '22' },
      },
    });
    const s = build();
    expect(onlyResource(s, 'azurerm_linux_function_app').storage_account_access_key).toBeUndefined();
    expect(onlyResource(s, 'azurerm_service_plan')).toMatchObject({
      name: 'commerce-payments-plan',
      os_type: 'Linux',
      sku_name: 'EP1',
      zone_balancing_enabled: false,
      maximum_elastic_worker_count: 20,
    });
  });

  test('GIVEN defaults WHEN synthesized THEN the identity gets exactly the host storage roles on the storage account', () => {
    expect(roles(build())).toEqual([
      'Storage Blob Data Owner @ storage-id',
      'Storage Queue Data Contributor @ storage-id',
      'Storage Table Data Contributor @ storage-id',
    ]);
  });

  test('GIVEN Entra-only App Insights and Key Vault references WHEN synthesized THEN telemetry authenticates with the identity and secrets resolve from the vault', () => {
    const s = build({
      applicationInsights: {
        id: 'insights-id',
        connectionString: 'InstrumentationKey=00000000-0000-0000-0000-000000000000',
        requiresEntraAuthentication: true,
      },
      keyVault: { id: 'vault-id' },
      appSettings: { STRIPE_API_KEY: '@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=stripe-api-key)', SQL_DATABASE: 'Transactions' },
    });
    const app = onlyResource(s, 'azurerm_linux_function_app');
    expect(app.app_settings).toEqual({
      STRIPE_API_KEY: '@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=stripe-api-key)',
      SQL_DATABASE: 'Transactions',
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
    });
    expect((app.site_config as Record<string, unknown>).application_insights_connection_string).toBe(
      'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    );
    expect(roles(s)).toEqual(expect.arrayContaining(['Key Vault Secrets User @ vault-id', 'Monitoring Metrics Publisher @ insights-id']));
  });

  test('GIVEN a shared plan WHEN two apps use it THEN one plan serves both, zone balanced with three instances', () => {
    const s = synth((scope) => {
      const plan = new FunctionPlan(scope, 'plan', {
        ...PLACEMENT,
        name: 'shared-plan',
        sku: 'EP2',
        zoneRedundant: true,
        maximumElasticWorkerCount: 30,
      });
      new FunctionApp(scope, 'a', { ...BASE, name: 'commerce-a', plan });
      new FunctionApp(scope, 'b', { ...BASE, name: 'commerce-b', plan, runtime: { name: 'python', version: '3.12' } });
    });
    expect(onlyResource(s, 'azurerm_service_plan')).toMatchObject({
      sku_name: 'EP2',
      zone_balancing_enabled: true,
      worker_count: 3,
      maximum_elastic_worker_count: 30,
    });
    const apps = Object.values(resourcesOf(s, 'azurerm_linux_function_app'));
    expect(new Set(apps.map((a) => a.service_plan_id)).size).toBe(1);
    expect(apps.map((a) => (a.site_config as { application_stack: unknown }).application_stack)).toEqual([
      { node_version: '22' },
      { python_version: '3.12' },
    ]);
  });

  test('GIVEN sku FC1 WHEN synthesized THEN a Flex Consumption app deploys from its own blob container with its identity', () => {
    const s = build({ sku: 'FC1', runtime: { name: 'dotnet-isolated', version: '8.0' }, maximumInstanceCount: 40 });
    expect(resourcesOf(s, 'azurerm_linux_function_app')).toEqual({});
    const app = onlyResource(s, 'azurerm_function_app_flex_consumption');
    expect(app).toMatchObject({
      https_only: true,
      public_network_access_enabled: false,
      webdeploy_publish_basic_authentication_enabled: false,
      runtime_name: 'dotnet-isolated',
      runtime_version: '8.0',
      storage_container_type: 'blobContainer',
      storage_authentication_type: 'SystemAssignedIdentity',
      maximum_instance_count: 40,
      identity: { type: 'SystemAssigned' },
      app_settings: { AzureWebJobsStorage__accountName: 'stcommercefn' },
      site_config: { minimum_tls_version: '1.2', scm_minimum_tls_version: '1.2' },
    });
    expect(app.storage_container_endpoint).toMatch(
      /^https:\/\/stcommercefn\.blob\.core\.windows\.net\/\$\{azurerm_storage_container\.fn_package-container_[0-9A-F]{8}\.name\}$/,
    );
    expect(onlyResource(s, 'azurerm_storage_container')).toMatchObject({ name: 'pkg-commerce-payments', container_access_type: 'private' });
    expect(onlyResource(s, 'azurerm_service_plan').sku_name).toBe('FC1');
  });

  test('GIVEN functions on EP1 WHEN synthesized THEN the package is a hash-named blob in its own container, run from with the app identity', () => {
    const scope = stack();
    const fn = new FunctionApp(scope, 'fn', { ...BASE, functions: HELLO });
    const s = Testing.synth(scope);
    const json = JSON.parse(s) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const blob = Object.values(json.resource.azurerm_storage_blob!)[0]!;
    // The asset's source: the built package, kept under the cache directory by its hash.
    const zip = join(PACKAGE_CACHE_DIR, String(blob.name).replace(/\.zip$/, ''), 'commerce-payments.zip');
    expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n')).toEqual([
      'hello/function.json',
      'hello/index.js',
      'host.json',
    ]);
    expect(blob).toMatchObject({
      name: expect.stringMatching(/^[0-9a-f]{64}\.zip$/),
      type: 'Block',
      content_type: 'application/zip',
      lifecycle: { create_before_destroy: true },
      source: fn.asset!.path,
      storage_account_name: 'stcommercefn',
      storage_container_name: expect.stringMatching(/^\$\{azurerm_storage_container\.fn_package-container_[0-9A-F]{8}\.name\}$/),
    });
    expect(Object.values(json.resource.azurerm_storage_container!)[0]).toMatchObject({
      name: 'pkg-commerce-payments',
      container_access_type: 'private',
    });
    const app = Object.values(json.resource.azurerm_linux_function_app!)[0]!;
    expect(app.app_settings).toMatchObject({
      WEBSITE_RUN_FROM_PACKAGE: expect.stringMatching(/^\$\{azurerm_storage_blob\.fn_package_[0-9A-F]{8}\.url\}$/),
      WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: 'SystemAssigned',
    });
    expect(app.zip_deploy_file).toBeUndefined();
    expect(app.webdeploy_publish_basic_authentication_enabled).toBe(false);
  });

  test('GIVEN no functions WHEN synthesized THEN the app is deployed empty: no package container, blob or run-from-package setting', () => {
    const s = build();
    expect(resourcesOf(s, 'azurerm_storage_blob')).toEqual({});
    expect(resourcesOf(s, 'azurerm_storage_container')).toEqual({});
    expect(onlyResource(s, 'azurerm_linux_function_app').app_settings).toEqual({});
  });

  test('GIVEN functions on FC1 WHEN synthesized THEN the app gets the package as zip_deploy_file and no blob of its own', () => {
    const scope = stack();
    const fn = new FunctionApp(scope, 'fn', { ...BASE, sku: 'FC1', functions: HELLO });
    const json = JSON.parse(Testing.synth(scope)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.values(json.resource.azurerm_function_app_flex_consumption!)[0]!.zip_deploy_file).toBe(fn.asset!.path);
    expect(json.resource.azurerm_storage_blob).toBeUndefined();
  });

  test('GIVEN functions without a trigger, on a Python runtime, and a run-from-package setting WHEN constructed THEN one error names each', () => {
    const message = errorOf(() =>
      build({
        runtime: { name: 'python', version: '3.11' },
        functions: { hello: { entry: HELLO.hello.entry, bindings: [HELLO.hello.bindings[1]] } },
        appSettings: { WEBSITE_RUN_FROM_PACKAGE: '1' },
      }),
    );
    for (const expected of [
      'functions.hello must have exactly one trigger binding (got none)',
      'functions need runtime "node" (their entries are bundled JavaScript; got "python")',
      'appSettings.WEBSITE_RUN_FROM_PACKAGE is set by FunctionApp',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN privateLink WHEN synthesized THEN a private endpoint on sites registers in privatelink.azurewebsites.net', () => {
    const s = synth((scope: Construct) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'v' } });
      new FunctionApp(scope, 'fn', { ...BASE, privateLink: { subnetId: 'pe', dnsZones: zones } });
    });
    expect(onlyResource(s, 'azurerm_private_endpoint')).toMatchObject({
      name: 'commerce-payments-pe',
      private_service_connection: { subresource_names: ['sites'] },
    });
    expect(onlyResource(s, 'azurerm_private_dns_zone').name).toBe('privatelink.azurewebsites.net');
  });

  test('GIVEN Y1 with the explicit public choices WHEN synthesized THEN it runs without VNet integration or route-all', () => {
    const app = onlyResource(
      build({ sku: 'Y1', subnetId: undefined, withoutVnetIntegration: true, allowPublicNetworkAccess: true }),
      'azurerm_linux_function_app',
    );
    expect(app).toMatchObject({ public_network_access_enabled: true, site_config: { vnet_route_all_enabled: false } });
    expect(app.virtual_network_subnet_id).toBeUndefined();
    expect((app.site_config as Record<string, unknown>).runtime_scale_monitoring_enabled).toBeUndefined();
  });

  test('GIVEN Y1 without the explicit choices WHEN constructed THEN each missing choice is named', () => {
    const message = errorOf(() => build({ sku: 'Y1', privateLink: { subnetId: 'pe', dnsZones: { zoneId: () => 'z' } } }));
    for (const expected of [
      'sku "Y1" (Linux Consumption) has no VNet integration: unset subnetId, or use EP1-EP3 or FC1',
      'sku "Y1" (Linux Consumption) has no private endpoints: unset privateLink, or use EP1-EP3 or FC1',
      'sku "Y1" (Linux Consumption) is reachable only publicly: set allowPublicNetworkAccess: true, or use EP1-EP3 or FC1',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN literal secrets and other bad props WHEN constructed THEN one error lists every problem and hides the secret', () => {
    const message = errorOf(() =>
      build({
        name: 'Commerce_Payments',
        subnetId: undefined,
        runtime: { name: 'node', version: '16' },
        maximumInstanceCount: 5,
        healthCheckPath: 'health',
        appSettings: { STRIPE_API_KEY: 'sk_live_1234567890abcdef', NOTE: '@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=x)' },
      }),
    );
    expect(message).toMatch(/^FunctionApp stack\/fn: /);
    for (const expected of [
      'name must be 2-60 lowercase letters, digits or hyphens',
      'runtime.version (node) must be one of "20", "22" (got "16")',
      'subnetId must be set (a delegated subnet for outbound VNet integration), or withoutVnetIntegration: true to run outside the VNet',
      'maximumInstanceCount needs sku "FC1" (got "EP1")',
      'healthCheckPath must be an absolute path such as /api/health (got "health")',
      'appSettings.STRIPE_API_KEY looks like a secret but is a literal (got 24 characters, value hidden)',
      'keyVault must be set when appSettings hold Key Vault references',
    ]) {
      expect(message).toContain(expected);
    }
    expect(message).not.toContain('sk_live');
  });

  test('GIVEN contradictory plan props WHEN constructed THEN they are reported', () => {
    const scope = stack();
    const plan = new FunctionPlan(scope, 'plan', { ...PLACEMENT, name: 'shared' });
    expect(errorOf(() => new FunctionApp(scope, 'fn', { ...BASE, plan, sku: 'EP2', withoutVnetIntegration: true }))).toContain(
      'sku must be unset when plan is given (the plan\'s sku EP1 applies; got sku "EP2"); subnetId and withoutVnetIntegration: true contradict each other: set one',
    );
    const flex = new FunctionPlan(scope, 'flex', { ...PLACEMENT, name: 'flex', sku: 'FC1' });
    expect(errorOf(() => new FunctionApp(scope, 'fn2', { ...BASE, plan: flex }))).toContain('plan must be unset for sku FC1');
    expect(
      errorOf(
        () => new FunctionPlan(scope, 'bad', { ...PLACEMENT, name: 'bad', sku: 'FC1', zoneRedundant: true, maximumElasticWorkerCount: 0 }),
      ),
    ).toBe(
      'FunctionPlan test/bad: zoneRedundant needs an Elastic Premium sku (EP1-EP3; got "FC1"); maximumElasticWorkerCount needs an Elastic Premium sku (EP1-EP3; got "FC1"); maximumElasticWorkerCount must be an integer between 3 and 100 (got 0)',
    );
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN CKV_AZURE_70 and the managed-identity rule check the app and pass', () => {
    const s = build();
    expect(policyFailures(s)).toEqual([]);
    expect(rulesChecked(s)).toEqual(['CKV_AZURE_70', 'GITOPS_AZURE_FUNC_IDENTITY']);
  });
});
