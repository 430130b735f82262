// A Linux Function App: HTTPS and TLS 1.2 only, no FTP or basic-auth publishing, a system-assigned
// identity for storage, Key Vault and telemetry, VNet-integrated and private by default.
import { AssetType, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption/index.js';
import { LinuxFunctionApp, type LinuxFunctionAppSiteConfigApplicationStack } from '@cdktf/provider-azurerm/lib/linux-function-app/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';
import { usesKeyVaultReferences } from './app-settings.js';
import { functionAppPackage } from './function-app-package.js';
import type { FunctionAppProps } from './function-app-props.js';
import { validateFunctionApp } from './function-app-validation.js';
import { FunctionPlan } from './function-plan.js';

import type { FunctionRuntime } from './runtimes.js';

export type { FunctionAppProps } from './function-app-props.js';

/** Roles on the storage account that the Functions host needs when it authenticates with its identity. */
export const HOST_STORAGE_ROLES = ['Storage Blob Data Owner', 'Storage Queue Data Contributor', 'Storage Table Data Contributor'] as const;

export class FunctionApp extends Construct {
  public readonly app: LinuxFunctionApp | FunctionAppFlexConsumption;
  public readonly id: string;
  public readonly name: string;
  public readonly defaultHostname: string;
  /** The system-assigned identity's principal id: grant it roles instead of handing out keys. */
  public readonly principalId: string;
  public readonly plan: FunctionPlan;
  public readonly privateEndpoint?: PrivateEndpoint;
  /** Set with `functions`: the app's deployment package inside the stack directory. */
  public readonly asset?: TerraformAsset;

  constructor(scope: Construct, id: string, props: FunctionAppProps) {
    super(scope, id);
    const runtime = props.runtime ?? { name: 'node', version: '22' };
    const sku = props.plan?.sku ?? props.sku ?? 'EP1';
    validateFunctionApp(this, props, sku, runtime);
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location };
    const settings = { ...(props.appSettings ?? {}) };
    const insights = props.applicationInsights;
    if (insights?.requiresEntraAuthentication) settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING = 'Authorization=AAD';

    this.plan = props.plan ?? new FunctionPlan(this, 'plan', { ...placement, name: `${props.name}-plan`, sku });
    const common = {
      ...placement,
      name: props.name,
      servicePlanId: this.plan.id,
      httpsOnly: true,
      publicNetworkAccessEnabled: props.allowPublicNetworkAccess ?? false,
      webdeployPublishBasicAuthenticationEnabled: false,
      virtualNetworkSubnetId: props.subnetId,
      identity: { type: 'SystemAssigned' },
    };
    const siteConfig = {
      minimumTlsVersion: '1.2',
      scmMinimumTlsVersion: '1.2',
      http2Enabled: true,
      remoteDebuggingEnabled: false,
      healthCheckPath: props.healthCheckPath,
      healthCheckEvictionTimeInMin: props.healthCheckPath === undefined ? undefined : 5,
      applicationInsightsConnectionString: insights?.connectionString,
    };

    const code = props.functions === undefined ? undefined : functionAppPackage(props.name, props.functions);
    this.asset = code && new TerraformAsset(this, 'code', { path: code.path, type: AssetType.FILE, assetHash: code.hash });
    const container =
      sku === 'FC1' || code !== undefined
        ? new StorageContainer(this, 'package-container', {
            name: `pkg-${props.name}`.slice(0, 63).replace(/-$/, ''),
            storageAccountId: props.storageAccount.id,
            containerAccessType: 'private',
          })
        : undefined;

    if (sku === 'FC1') {
      this.app = new FunctionAppFlexConsumption(this, 'app', {
        ...common,
        runtimeName: runtime.name,
        runtimeVersion: runtime.version,
        storageContainerType: 'blobContainer',
        storageContainerEndpoint: `${props.storageAccount.primaryBlobEndpoint}${container!.name}`,
        storageAuthenticationType: 'SystemAssignedIdentity',
        maximumInstanceCount: props.maximumInstanceCount ?? 100,
        instanceMemoryInMb: 2048,
        // Flex Consumption deploys into its package container itself (one deploy API, no basic auth).
        zipDeployFile: this.asset?.path,
        appSettings: { ...settings, AzureWebJobsStorage__accountName: props.storageAccount.name },
        siteConfig,
      });
    } else {
      if (code !== undefined && this.asset !== undefined) {
        // Run from a package blob read with the app's identity: a zip deploy would go through the SCM
        // site with basic-auth publishing credentials, which the app has turned off. The blob is named
        // by the package's hash, so new code is a new blob and a changed setting in the plan.
        const blob = new StorageBlob(this, 'package', {
          name: `${code.hash}.zip`,
          storageAccountName: props.storageAccount.name,
          storageContainerName: container!.name,
          type: 'Block',
          source: this.asset.path,
          contentType: 'application/zip',
          // The new blob exists before the app is pointed at it, and the old one goes only after.
          lifecycle: { createBeforeDestroy: true },
        });
        settings.WEBSITE_RUN_FROM_PACKAGE = blob.url;
        settings.WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID = 'SystemAssigned';
      }
      this.app = new LinuxFunctionApp(this, 'app', {
        ...common,
        functionsExtensionVersion: '~4',
        storageAccountName: props.storageAccount.name,
        storageUsesManagedIdentity: true,
        // Azure Files (the content share) cannot use an identity: deploy with run-from-package instead.
        contentShareForceDisabled: true,
        ftpPublishBasicAuthenticationEnabled: false,
        appSettings: settings,
        siteConfig: {
          ...siteConfig,
          ftpsState: 'Disabled',
          vnetRouteAllEnabled: props.subnetId !== undefined,
          // Lets the scale controller see non-HTTP triggers (Service Bus) that sit behind the VNet.
          runtimeScaleMonitoringEnabled: sku.startsWith('EP') ? true : undefined,
          applicationStack: applicationStack(runtime.name, runtime.version),
        },
      });
    }
    this.id = this.app.id;
    this.name = this.app.name;
    this.defaultHostname = this.app.defaultHostname;
    this.principalId = this.app.identity.principalId;

    for (const role of HOST_STORAGE_ROLES) this.grantOn(`storage-${role}`, props.storageAccount.id, role);
    if (props.keyVault !== undefined && usesKeyVaultReferences(props.appSettings ?? {})) {
      this.grantOn('key-vault-secrets', props.keyVault.id, 'Key Vault Secrets User');
    }
    if (insights?.requiresEntraAuthentication) this.grantOn('telemetry', insights.id, 'Monitoring Metrics Publisher');

    if (props.privateLink !== undefined) {
      this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
        ...placement,
        name: `${props.name}-pe`,
        targetResourceId: this.app.id,
        subresource: 'sites',
        ...props.privateLink,
      });
    }
  }

  private grantOn(grantName: string, scope: string, role: string): RoleAssignment {
    const id = `grant-${grantName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    return new RoleAssignment(this, id, {
      scope,
      principalId: this.principalId,
      roleDefinitionName: role,
      principalType: 'ServicePrincipal',
    });
  }
}

function applicationStack(runtime: FunctionRuntime, version: string): LinuxFunctionAppSiteConfigApplicationStack {
  switch (runtime) {
    case 'node':
      return { nodeVersion: version };
    case 'python':
      return { pythonVersion: version };
    case 'dotnet-isolated':
      return { dotnetVersion: version, useDotnetIsolatedRuntime: true };
    case 'java':
      return { javaVersion: version };
    case 'powershell':
      return { powershellCoreVersion: version };
  }
}
