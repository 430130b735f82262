// Where a commerce stack runs on both clouds: the accounts, the AWS region and Azure location of its
// site, the Entra ID identities it needs, the two providers and the names of its resources. Every
// missing value is reported at once, naming the environment file and the field to fill in.
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import type { SystemContext } from '../types.js';
import { commerceAzureNames, nameSuffix } from './azure-names.js';
import { sqlFailoverGroupNames } from './azure-failover-group.js';
import type { CommerceSqlFailover } from './azure-props.js';

/** Everything a commerce stack needs from its environment file, checked. */
export interface CommerceSite {
  /** `commerce-<env>`, plus `-dr` in the DR copy: names on both clouds. */
  readonly prefix: string;
  /** The primary site's prefix: DynamoDB global tables keep the primary's names in every region. */
  readonly primaryPrefix: string;
  readonly awsAccountId: string;
  readonly awsRegion: string;
  readonly azureLocation: string;
  /** The primary site's Azure location: the DR site derives the primary's resource names from it. */
  readonly primaryAzureLocation: string;
  readonly azureSubscriptionId: string;
  readonly azureTenantId: string;
  readonly sqlAdminGroup: { readonly loginUsername: string; readonly objectId: string };
  readonly awsServicePrincipal: { readonly clientId: string; readonly objectId: string };
}

/** Reads the site from the context; throws one error naming every missing field of environments/<env>.yaml. */
export function commerceSite(context: SystemContext<'commerce'>): CommerceSite {
  const env = context.environment;
  const s = context.settings;
  const file = `environments/${env.name}.yaml`;
  const regionKey = context.role === 'primary' ? 'regions.primary' : 'regions.dr';
  const problems: string[] = [];
  const need = <T>(value: T | undefined, field: string, what: string): T => {
    if (value === undefined) problems.push(`${field} is required: ${what} (got none)`);
    return value as T;
  };
  const aws = need(env.accounts.aws, 'accounts.aws.accountId', 'the AWS account of the AWS side');
  const azure = need(env.accounts.azure, 'accounts.azure', 'the Azure subscriptionId and tenantId of the Azure side');
  const azureLocation = need(
    context.region.azure,
    `${regionKey}.azure`,
    `the Azure location of the ${context.role} site (e.g. westeurope), paired with ${regionKey}.aws ${context.region.aws}`,
  );
  const primaryAzureLocation =
    context.role === 'primary'
      ? azureLocation
      : need(
          context.primaryRegion.azure,
          'regions.primary.azure',
          "the primary site's Azure location (the DR site looks its SQL server up)",
        );
  const adminGroup = need(
    s.sqlAdminGroup.objectId,
    'systems.commerce.sqlAdminGroup.objectId',
    'the object id of the Entra ID group that administers Azure SQL',
  );
  const clientId = need(
    s.awsServicePrincipal.clientId,
    'systems.commerce.awsServicePrincipal.clientId',
    'the client (application) id the AWS functions sign in to Service Bus with',
  );
  const principalId = need(
    s.awsServicePrincipal.objectId,
    'systems.commerce.awsServicePrincipal.objectId',
    "the object id of that application's service principal",
  );
  if (problems.length > 0) throw new Error(`commerce (${context.role} site): ${file} ${problems.join(`; ${file} `)}`);

  const primaryPrefix = `commerce-${env.name}`;
  return {
    prefix: context.role === 'dr' ? `${primaryPrefix}-dr` : primaryPrefix,
    primaryPrefix,
    awsAccountId: aws.accountId,
    awsRegion: context.region.aws,
    azureLocation,
    primaryAzureLocation,
    azureSubscriptionId: azure.subscriptionId,
    azureTenantId: azure.tenantId,
    sqlAdminGroup: { loginUsername: s.sqlAdminGroup.name, objectId: adminGroup },
    awsServicePrincipal: { clientId, objectId: principalId },
  };
}

/** The stack's two providers: AWS in the site's region (this account only), azurerm in the environment's subscription. */
export function commerceProviders(scope: Construct, site: CommerceSite): { aws: AwsProvider; azurerm: AzurermProvider } {
  return {
    aws: new AwsProvider(scope, 'aws', { region: site.awsRegion, allowedAccountIds: [site.awsAccountId] }),
    azurerm: new AzurermProvider(scope, 'azurerm', {
      features: [{}],
      subscriptionId: site.azureSubscriptionId,
      tenantId: site.azureTenantId,
      // The storage accounts refuse shared keys: the provider uses Entra ID for their data plane too.
      storageUseAzuread: true,
    }),
  };
}

/**
 * The Azure SQL failover group of an environment with `dr` and `sqlFailoverGraceMinutes`: both sites derive
 * its name from the primary's server name; the DR site creates it. Undefined without a failover group.
 */
export function commerceSqlFailover(context: SystemContext<'commerce'>, site: CommerceSite): CommerceSqlFailover | undefined {
  const graceMinutes = context.settings.sqlFailoverGraceMinutes;
  if (!context.settings.dr || graceMinutes === undefined) return undefined;
  const primary = commerceAzureNames(site.primaryPrefix, nameSuffix(site.azureTenantId, site.primaryPrefix, site.primaryAzureLocation));
  return {
    names: sqlFailoverGroupNames(primary.sqlServer),
    primary:
      context.role === 'dr'
        ? {
            serverName: primary.sqlServer,
            resourceGroupName: primary.resourceGroup,
            location: site.primaryAzureLocation,
            networkName: primary.network,
          }
        : undefined,
    graceMinutes,
  };
}
