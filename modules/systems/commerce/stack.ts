// commerce (seed 004): one stack per site holding BOTH clouds — the AWS side (Cognito, API Gateway,
// Lambda, DynamoDB, S3) and the Azure side (Functions, Azure SQL, Service Bus, Redis, Front Door),
// joined by a site-to-site VPN. Both ends of the VPN live in the same Terraform state, so each end
// reads the other's addresses at apply (no remote state, no knob to copy IPs into).
import { Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { SystemContext } from '../types.js';
import { CommerceOps } from './aws-ops.js';
import { CommerceAws } from './aws.js';
import { CommerceAzure, FRONT_DOOR_API_DOMAIN } from './azure.js';
import { CrossCloudFailover } from './cross-cloud-failover.js';
import { splitSystemCidr } from './interconnect.js';
import { commerceProviders, commerceSite, commerceSqlFailover, type CommerceSite } from './site.js';
import { alarmReceivers } from '../site.js';

export class CommerceStack extends TerraformStack {
  public readonly site: CommerceSite;
  public readonly azure: CommerceAzure;
  public readonly aws: CommerceAws;
  /** The shop API's DNS failover from AWS to Azure (primary site, `apiFailover`). */
  public readonly failover?: CrossCloudFailover;

  constructor(scope: Construct, id: string, context: SystemContext<'commerce'>) {
    super(scope, id);
    const s = context.settings;
    this.site = commerceSite(context);
    const site = this.site;
    commerceProviders(this, site);
    const cidrs = splitSystemCidr(context.cidr);
    const primary = context.role === 'primary';
    const apiFailover = primary && s.apiFailover;
    const alarms = alarmReceivers(context);

    // Azure is built first; what it needs of AWS (tunnel addresses, the JWT issuer, the API's URL) is
    // read lazily once the AWS side exists. Terraform sees plain references: no cycle, the Azure
    // gateway's IP is created before the AWS customer gateway, the AWS tunnels before Azure's connections.
    const fromAws = (pick: (side: CommerceAws) => string) => Lazy.stringValue({ produce: () => pick(this.aws) });
    this.azure = new CommerceAzure(this, 'commerce-azure', {
      prefix: site.prefix,
      location: site.azureLocation,
      cidr: cidrs.azure,
      settings: s,
      tenantId: site.azureTenantId,
      sqlAdministrator: site.sqlAdminGroup,
      aws: {
        tunnels: { tunnel1: fromAws((a) => a.vpn.tunnelAddresses[0]), tunnel2: fromAws((a) => a.vpn.tunnelAddresses[1]) },
        cidr: cidrs.aws,
      },
      alerts: context.environment.alarms,
      awsPrincipalId: site.awsServicePrincipal.objectId,
      sqlFailover: commerceSqlFailover(context, site),
      frontDoorDomain: apiFailover ? s.apiDomain : undefined,
      sharedAppSettings: {
        // The functions validate the shoppers' Cognito tokens (the seed's cross-cloud claims).
        JWT_ISSUER: fromAws((a) => a.userPool.issuerUrl),
        JWT_AUDIENCE: fromAws((a) => a.userPool.clientIds.web!),
        COMMERCE_API_URL: fromAws((a) => a.api.api.url),
      },
    });

    const keys = this.azure.vpnSharedKeyVariables;
    const aws = new CommerceAws(this, 'commerce-aws', {
      prefix: site.prefix,
      tablePrefix: site.primaryPrefix,
      accountId: site.awsAccountId,
      region: site.awsRegion,
      cidr: cidrs.aws,
      settings: s,
      // With a DR site, the primary's tables are global tables; the DR copy uses their replicas.
      tables: primary ? { mode: 'create', replicaRegion: s.dr ? context.drRegion?.aws : undefined } : { mode: 'replica' },
      changeCapture: primary || s.drActive,
      primaryRegion: primary ? undefined : context.primaryRegion.aws,
      alarms,
      azure: {
        vpnGatewayIp: this.azure.vpnPublicIpAddress,
        cidr: cidrs.azure,
        sharedKeys: { tunnel1: keys.tunnel1!.stringValue, tunnel2: keys.tunnel2!.stringValue },
        serviceBusName: this.azure.names.serviceBus,
        serviceBusPrivateIp: this.azure.serviceBus.privateEndpoint?.endpoint.privateServiceConnection.privateIpAddress,
        paymentsHostName: this.azure.frontDoor.hostName,
        tenantId: site.azureTenantId,
        clientId: site.awsServicePrincipal.clientId,
      },
    });
    this.aws = aws;
    if (apiFailover) {
      this.failover = new CrossCloudFailover(this, 'api-failover', {
        prefix: site.prefix,
        zone: aws.zone!,
        domain: s.apiDomain,
        api: aws.api.api,
        region: site.awsRegion,
        azure: {
          hostName: this.azure.frontDoor.hostName,
          domainValidationToken: this.azure.frontDoor.customDomains[FRONT_DOOR_API_DOMAIN]!.validationToken,
        },
        alarmTopicArn: aws.alarmTopic.arn,
        alsoNotifyArns: alarms.alsoNotifyArns,
      });
      new TerraformOutput(this, 'shop_api_url', {
        value: `https://${s.apiDomain}/`,
        description: 'The shop API: the AWS API while healthy, Azure Front Door otherwise',
      });
    }
    new CommerceOps(this, 'commerce-ops', {
      prefix: site.prefix,
      region: site.awsRegion,
      settings: s,
      aws,
      azure: this.azure,
      principal: { ...site.awsServicePrincipal, tenantId: site.azureTenantId },
      alsoNotifyArns: alarms.alsoNotifyArns,
    });

    new TerraformOutput(this, 'api_url', { value: aws.api.api.url, description: 'The commerce REST API (Cognito sign-in required)' });
    new TerraformOutput(this, 'user_pool_id', { value: aws.userPool.id });
    new TerraformOutput(this, 'web_client_id', { value: aws.userPool.clientIds.web! });
    new TerraformOutput(this, 'payments_url', {
      value: `https://${this.azure.frontDoor.hostName}/`,
      description: 'The payment API on Azure (Front Door, WAF)',
    });
    new TerraformOutput(this, 'azure_vpn_gateway_ip', { value: this.azure.vpnPublicIpAddress });
  }
}
