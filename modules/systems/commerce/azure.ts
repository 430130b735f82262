// The Azure side of the multi-cloud commerce system (seed 004): Functions behind Front Door, Azure SQL,
// Service Bus, Redis, Key Vault, Log Analytics, in one VNet joined to AWS by a site-to-site VPN.
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { carve } from '../../core/cidr.js';
import { RedisCache } from '../../azure/data/redis-cache.js';
import { SqlServer } from '../../azure/data/sql-server.js';
import { StorageAccount } from '../../azure/data/storage-account.js';
import { FrontDoor } from '../../azure/cdn/front-door.js';
import { FunctionApp } from '../../azure/functions/function-app.js';
import { FunctionPlan } from '../../azure/functions/function-plan.js';
import { KeyVault } from '../../azure/functions/key-vault.js';
import { ServiceBusNamespace } from '../../azure/messaging/service-bus-namespace.js';
import { PrivateDnsZones } from '../../azure/network/private-dns-zones.js';
import { VirtualNetwork } from '../../azure/network/virtual-network.js';
import { VpnGateway } from '../../azure/network/vpn-gateway.js';
import { ActionGroup } from '../../azure/observability/action-group.js';
import { ApplicationInsights } from '../../azure/observability/application-insights.js';
import { DiagnosticSetting } from '../../azure/observability/diagnostic-setting.js';
import { LogAnalyticsWorkspace, workspaceRetention } from '../../azure/observability/log-analytics-workspace.js';
import { MetricAlerts } from '../../azure/observability/metric-alerts.js';
import { commerceAzureNames, nameSuffix, type CommerceAzureNames } from './azure-names.js';
import { COMMERCE_DATABASES, COMMERCE_FUNCTIONS, COMMERCE_QUEUES, COMMERCE_SECRETS, type CommerceFunction } from './azure-services.js';
import { commerceAlerts } from './azure-alerts.js';
import { CommerceSqlFailoverGroup } from './azure-failover-group.js';
import { COMMERCE_FUNCTION_CODE } from './azure-function-code.js';
import type { CommerceAzureProps } from './azure-props.js';
import { validateCommerceAzure } from './azure-validation.js';
import { AWS_PEER_IPSEC_POLICY, AWS_PRESHARED_KEY_PATTERN } from './interconnect.js';

export type { CommerceAzureProps } from './azure-props.js';

/** The key of the shop API's name among Front Door's custom domains. */
export const FRONT_DOOR_API_DOMAIN = 'shop-api';

export class CommerceAzure extends Construct {
  public readonly names: CommerceAzureNames;
  public readonly resourceGroup: ResourceGroup;
  public readonly network: VirtualNetwork;
  public readonly workspace: LogAnalyticsWorkspace;
  public readonly insights: ApplicationInsights;
  public readonly keyVault: KeyVault;
  /** Backups from both clouds: `dynamodb-exports`, `s3-daily`, `weekly-snapshots`. */
  public readonly backupStorage: StorageAccount;
  public readonly functionPlan: FunctionPlan;
  /** Function Apps keyed by service name. */
  public readonly functions: Readonly<Record<CommerceFunction, FunctionApp>>;
  public readonly sql: SqlServer;
  /** Created by the DR site when the environment asks for one. */
  public readonly sqlFailoverGroup?: CommerceSqlFailoverGroup;
  public readonly serviceBus: ServiceBusNamespace;
  public readonly redis: RedisCache;
  public readonly frontDoor: FrontDoor;
  public readonly vpn: VpnGateway;
  /** The AWS side's customer gateway address. */
  public readonly vpnPublicIpAddress: string;
  /** Sensitive input variables holding the tunnels' pre-shared keys (set `TF_VAR_<name>` in the runner). */
  public readonly vpnSharedKeyVariables: Readonly<Record<string, TerraformVariable>>;

  constructor(scope: Construct, id: string, props: CommerceAzureProps) {
    super(scope, id);
    const s = props.settings;
    const suffix = props.nameSuffix ?? nameSuffix(props.tenantId, props.prefix, props.location);
    const names = commerceAzureNames(props.prefix, suffix);
    validateCommerceAzure(this, props);
    this.names = names;

    this.resourceGroup = new ResourceGroup(this, 'resource-group', { name: names.resourceGroup, location: props.location });
    const at = { resourceGroupName: this.resourceGroup.name, location: props.location };
    const privateLink = s.privateLink;
    const publicMode = { allowPublicNetworkAccess: !privateLink };

    this.network = new VirtualNetwork(this, 'network', {
      ...at,
      name: names.network,
      addressSpace: [props.cidr],
      subnets: {
        functions: {
          cidr: carve(props.cidr, 24, 0),
          delegation: 'Microsoft.Web/serverFarms',
          natGateway: true,
          // Without private endpoints, the data services admit this subnet through service endpoints.
          serviceEndpoints: privateLink ? undefined : ['Microsoft.Sql', 'Microsoft.Storage', 'Microsoft.KeyVault', 'Microsoft.ServiceBus'],
        },
        'private-endpoints': { cidr: carve(props.cidr, 24, 1) },
        GatewaySubnet: { cidr: carve(props.cidr, 27, 16) },
      },
    });
    const functionsSubnet = this.network.subnetId('functions');
    const allowedSubnetIds = privateLink ? undefined : { functions: functionsSubnet };
    const zones = privateLink
      ? new PrivateDnsZones(this, 'private-dns', {
          resourceGroupName: this.resourceGroup.name,
          virtualNetworkIds: { [names.network]: this.network.id },
        })
      : undefined;
    const endpoint = zones === undefined ? undefined : { subnetId: this.network.subnetId('private-endpoints'), dnsZones: zones };

    this.workspace = new LogAnalyticsWorkspace(this, 'logs', {
      ...at,
      name: names.workspace,
      retentionInDays: workspaceRetention(s.logRetentionDays),
    });
    this.insights = new ApplicationInsights(this, 'insights', { ...at, name: names.insights, workspaceId: this.workspace.id });
    this.keyVault = new KeyVault(this, 'key-vault', {
      ...at,
      ...publicMode,
      name: names.keyVault,
      tenantId: props.tenantId,
      privateLink: endpoint,
      allowedSubnetIds,
    });

    const functionStorage = new StorageAccount(this, 'function-storage', {
      ...at,
      ...publicMode,
      name: names.functionStorage,
      replication: s.multiAz ? 'ZRS' : 'LRS',
      privateLink: endpoint,
      privateLinkSubresources: endpoint === undefined ? undefined : ['blob', 'queue', 'table'],
      allowedSubnetIds,
    });
    const backupStorage = (this.backupStorage = new StorageAccount(this, 'backup-storage', {
      ...at,
      ...publicMode,
      name: names.backupStorage,
      replication: s.dr ? 'GZRS' : s.multiAz ? 'ZRS' : 'LRS',
      blobSoftDeleteDays: 30,
      containers: ['dynamodb-exports', 's3-daily', 'weekly-snapshots'],
      privateLink: endpoint,
      allowedSubnetIds,
    }));

    this.sql = new SqlServer(this, 'sql', {
      ...at,
      ...publicMode,
      name: names.sqlServer,
      administrator: props.sqlAdministrator,
      auditWorkspaceId: this.workspace.id,
      alertEmails: props.alerts === undefined ? undefined : Object.values(props.alerts.email),
      privateLink: endpoint,
      allowedSubnetIds,
      // A DR server joined to the primary's failover group gets its databases from Azure (geo-secondaries).
      databases:
        props.sqlFailover?.primary !== undefined
          ? {}
          : Object.fromEntries(
              COMMERCE_DATABASES.map((db) => [db, { skuName: s.sqlSku, zoneRedundant: s.multiAz, preventDestroy: s.deletionProtection }]),
            ),
    });
    const failover = props.sqlFailover;
    if (failover?.primary !== undefined) {
      const primarySite = failover.primary;
      this.sqlFailoverGroup = new CommerceSqlFailoverGroup(this, 'sql-failover-group', {
        primary: primarySite,
        partnerServerId: this.sql.id,
        databases: COMMERCE_DATABASES,
        graceMinutes: failover.graceMinutes,
        privateLink:
          endpoint === undefined
            ? undefined
            : {
                here: { ...endpoint, ...at, name: `${props.prefix}-sql-primary-pe` },
                primary: { ...primarySite, subnetName: 'private-endpoints', name: `${props.prefix}-sql-pe` },
              },
      });
    }
    // The listener follows the primary role across a failover; without a group, this site's server.
    const sqlHost = failover?.names.listener ?? this.sql.fullyQualifiedDomainName;

    const premiumBus = s.serviceBusSku === 'Premium';
    this.serviceBus = new ServiceBusNamespace(this, 'service-bus', {
      ...at,
      name: names.serviceBus,
      sku: s.serviceBusSku,
      // Standard and Basic cannot close the public endpoint: the policy gate reports CKV_AZURE_204 (see README).
      allowPublicNetworkAccess: !(premiumBus && privateLink),
      privateLink: premiumBus ? endpoint : undefined,
      // Premium without private link admits the functions subnet only; Standard and Basic have no subnet rules.
      allowedSubnetIds: premiumBus && !privateLink ? allowedSubnetIds : undefined,
      queues: Object.fromEntries(
        Object.entries(COMMERCE_QUEUES).map(([name, q]) => [
          name,
          { maxDeliveryCount: q.maxDeliveryCount, duplicateDetection: s.serviceBusSku === 'Basic' ? false : q.duplicateDetection },
        ]),
      ),
    });

    this.redis = new RedisCache(this, 'redis', {
      ...at,
      ...publicMode,
      name: names.redis,
      sku: s.redisSku,
      zoneRedundant: s.multiAz,
      privateLink: endpoint,
    });

    this.functionPlan = new FunctionPlan(this, 'function-plan', { ...at, name: names.functionPlan, sku: 'EP1', zoneRedundant: s.multiAz });
    const functions = {} as Record<CommerceFunction, FunctionApp>;
    for (const service of COMMERCE_FUNCTIONS) {
      const secrets = Object.entries(COMMERCE_SECRETS[service] ?? {}).map(([setting, secret]) => [
        setting,
        this.keyVault.secretReference(secret),
      ]);
      const database = service === 'analytics-processor' ? 'Analytics' : 'Transactions';
      functions[service] = new FunctionApp(this, service, {
        ...at,
        name: names.functionApp(service),
        plan: this.functionPlan,
        storageAccount: functionStorage,
        subnetId: functionsSubnet,
        privateLink: endpoint,
        applicationInsights: this.insights,
        keyVault: this.keyVault,
        healthCheckPath: '/api/health',
        functions: COMMERCE_FUNCTION_CODE[service],
        appSettings: {
          ...props.sharedAppSettings,
          ...Object.fromEntries(secrets),
          // Identity-based connections: no connection strings, the app's identity is granted roles below.
          ServiceBus__fullyQualifiedNamespace: `${names.serviceBus}.servicebus.windows.net`,
          SQL_SERVER: sqlHost,
          SQL_DATABASE: database,
          // The SQL bindings sign in as the app's identity (a contained Entra ID user in the database).
          SQL_CONNECTION: `Server=tcp:${sqlHost},1433;Database=${database};Authentication=Active Directory Managed Identity;Encrypt=True`,
          ...(service === 'backup-service' ? { BackupStorage__blobServiceUri: backupStorage.primaryBlobEndpoint } : {}),
          REDIS_HOST: this.redis.hostName,
          REDIS_PORT: String(this.redis.sslPort),
        },
      });
      new DiagnosticSetting(this, `${service}-logs`, { targetResourceId: functions[service].id, workspaceId: this.workspace.id });
    }
    this.functions = functions;
    for (const [queue, flow] of Object.entries(COMMERCE_QUEUES)) {
      for (const sender of flow.senders) {
        if (sender !== 'aws') this.serviceBus.grant(`${sender}-sends-${queue}`, functions[sender].principalId, 'sender', queue);
      }
      if (flow.receiver !== 'aws')
        this.serviceBus.grant(`${flow.receiver}-receives-${queue}`, functions[flow.receiver].principalId, 'receiver', queue);
      if (props.awsPrincipalId === undefined) continue;
      if (flow.senders.includes('aws')) this.serviceBus.grant(`aws-sends-${queue}`, props.awsPrincipalId, 'sender', queue);
      if (flow.receiver === 'aws') this.serviceBus.grant(`aws-receives-${queue}`, props.awsPrincipalId, 'receiver', queue);
    }
    new RoleAssignment(this, 'backup-service-writes-backups', {
      scope: backupStorage.id,
      principalId: functions['backup-service'].principalId,
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalType: 'ServicePrincipal',
    });
    new DiagnosticSetting(this, 'key-vault-logs', { targetResourceId: this.keyVault.id, workspaceId: this.workspace.id });
    new DiagnosticSetting(this, 'service-bus-logs', { targetResourceId: this.serviceBus.id, workspaceId: this.workspace.id });

    const payments = functions['payment-processor'];
    this.frontDoor = new FrontDoor(this, 'front-door', {
      resourceGroupName: this.resourceGroup.name,
      name: names.frontDoor,
      healthProbePath: '/api/health',
      // Front Door Premium reaches the payment API over Private Link: the app never opens to the internet.
      origins: {
        'payment-processor': {
          hostName: payments.defaultHostname,
          privateLink: { targetId: payments.id, location: props.location, targetType: 'sites' },
        },
      },
      customDomains: props.frontDoorDomain === undefined ? undefined : { [FRONT_DOOR_API_DOMAIN]: props.frontDoorDomain },
      logWorkspaceId: this.workspace.id,
    });

    const keys: Record<string, TerraformVariable> = {};
    for (const tunnel of Object.keys(props.aws.tunnels)) {
      keys[tunnel] = new TerraformVariable(this, `vpn-psk-${tunnel}`, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description: `Pre-shared key of the VPN's ${tunnel}, shared by both ends (set TF_VAR_commerce_vpn_psk_${tunnel.replace(/-/g, '_')}; never committed).`,
        // AWS accepts only these keys; checked at plan so neither end rejects it at apply.
        validation: [
          {
            condition: `\${can(regex("${AWS_PRESHARED_KEY_PATTERN}", var.commerce_vpn_psk_${tunnel.replace(/-/g, '_')}))}`,
            errorMessage:
              'The VPN pre-shared key must be 8-64 letters, digits, "." or "_", not starting with 0 (AWS Site-to-Site VPN rules).',
          },
        ],
      });
      keys[tunnel].overrideLogicalId(`commerce_vpn_psk_${tunnel.replace(/-/g, '_')}`);
    }
    this.vpnSharedKeyVariables = keys;
    this.vpn = new VpnGateway(this, 'vpn', {
      ...at,
      name: names.vpnGateway,
      gatewaySubnetId: this.network.subnetId('GatewaySubnet'),
      remoteAddressSpace: [props.aws.cidr],
      // The peer is AWS Site-to-Site VPN with the strong-only proposals of modules/aws/connectivity.
      ipsecPolicy: AWS_PEER_IPSEC_POLICY,
      tunnels: Object.fromEntries(
        Object.entries(props.aws.tunnels).map(([tunnel, address]) => [tunnel, { address, sharedKey: keys[tunnel]!.stringValue }]),
      ),
    });
    this.vpnPublicIpAddress = this.vpn.publicIpAddress;

    const { email = {}, https = {}, actionGroupId } = props.alerts ?? {};
    const own =
      Object.keys(email).length + Object.keys(https).length > 0
        ? new ActionGroup(this, 'alerts', {
            resourceGroupName: this.resourceGroup.name,
            name: names.actionGroup,
            shortName: 'commerce',
            emails: email,
            webhooks: https,
          })
        : undefined;
    const actionGroupIds = [...(own ? [own.id] : []), ...(actionGroupId ? [actionGroupId] : [])];
    if (actionGroupIds.length > 0) {
      new MetricAlerts(this, 'metric-alerts', {
        resourceGroupName: this.resourceGroup.name,
        namePrefix: props.prefix,
        actionGroupIds,
        alerts: commerceAlerts(this),
      });
    }
  }
}
