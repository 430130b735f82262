// The AWS side of the multi-cloud commerce system (seed 004): Cognito sign-in, API Gateway (REST,
// WAF) in front of the product, inventory, order and user Lambda functions, DynamoDB tables
// Products, Users and Inventory (streams feed the change capture to Azure SQL), S3 buckets
// product-images and static-assets (served by CloudFront at the primary site, replicated into a DR
// copy's), a Redis session store, a VPC joined to the Azure VNet by a site-to-site VPN, alarms.
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone/index.js';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import { SiteToSiteVpn } from '../../aws/connectivity/site-to-site-vpn.js';
import { publicHostedZone, type PublicHostedZone } from '../../aws/edge/hosted-zone.js';
import { QueueWithDlq } from '../../aws/messaging/queue.js';
import { AlarmTopic } from '../../aws/messaging/sns-topic.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import { Vpc } from '../../aws/network/vpc.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { Secret } from '../../aws/security/secret.js';
import type { SystemSettings } from '../settings.js';
import type { AlarmReceivers } from '../site.js';
import type { CognitoUserPool } from '../../aws/api/cognito-user-pool.js';
import { API_STAGE, CommerceApi, commerceUserPool } from './aws-api.js';
import { CommerceData, COMMERCE_TABLE_NAMES, type CommerceTables } from './aws-data.js';
import { CommerceEdge } from './aws-edge.js';
import { CommerceAwsMonitoring } from './aws-monitoring.js';
import { CommerceSessions } from './aws-sessions.js';
import { CHANGE_CAPTURE, CHANGE_CAPTURE_QUEUE, COMMERCE_SERVICES, SERVICE_SPECS, type CommerceService } from './aws-services.js';
import type { VpnTunnelName } from './interconnect.js';
import { availabilityZones } from '../site.js';
import { functionEntry } from '../function-source.js';

/** What the AWS side needs to know about the Azure side (all known to Terraform only at apply). */
export interface AzurePeer {
  /** The Azure VPN gateway's public IP: the AWS customer gateway. */
  readonly vpnGatewayIp: string;
  /** The Azure VNet's address space, routed over the VPN. */
  readonly cidr: string;
  /** The tunnels' pre-shared keys (sensitive variable references), shared with the Azure connections. */
  readonly sharedKeys: Readonly<Record<VpnTunnelName, string>>;
  /** Service Bus namespace name (`<name>.servicebus.windows.net`). */
  readonly serviceBusName: string;
  /** Private address of the namespace's private endpoint: AWS resolves the namespace to it over the VPN. @default public endpoint */
  readonly serviceBusPrivateIp?: string;
  /** HTTPS endpoint of the payment API (Front Door) for synchronous calls. */
  readonly paymentsHostName: string;
  readonly tenantId: string;
  /** Client id of the Entra ID application the functions sign in as. */
  readonly clientId: string;
}

export interface CommerceAwsProps {
  /** `commerce-<env>` (`-dr` in a DR copy). */
  readonly prefix: string;
  /** Prefix of the DynamoDB tables: the primary site's (replicas keep the names). */
  readonly tablePrefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The VPC's CIDR (the first /21 of the system's /20). */
  readonly cidr: string;
  readonly settings: SystemSettings['commerce'];
  readonly tables: CommerceTables;
  /** In a DR copy: the primary site's region, whose buckets replicate into this copy's. @default this is the primary site */
  readonly primaryRegion?: string;
  /** Run the change capture (DynamoDB streams → Service Bus); a stopped DR copy keeps it off. */
  readonly changeCapture: boolean;
  readonly azure: AzurePeer;
  /** Where the alarms go: the alarm topic's subscribers and the existing topics every alarm notifies too. @default nobody */
  readonly alarms?: AlarmReceivers;
}

export class CommerceAws extends Construct {
  public readonly key: KmsKey;
  public readonly vpc: Vpc;
  public readonly vpn: SiteToSiteVpn;
  public readonly data: CommerceData;
  /** Lambda functions keyed by service name. */
  public readonly functions: Readonly<Record<CommerceService, LambdaFunction>>;
  public readonly changeCapture: LambdaFunction;
  public readonly changeCaptureMappings: Readonly<Record<string, LambdaEventSourceMapping>>;
  /** Where failed asynchronous invocations and undeliverable table changes wait for a replay. */
  public readonly failures: QueueWithDlq;
  /** The Entra ID client secret the functions sign in to Service Bus with (value set out of band). */
  public readonly azureClientSecret: Secret;
  public readonly userPool: CognitoUserPool;
  public readonly api: CommerceApi;
  public readonly alarmTopic: AlarmTopic;
  public readonly monitoring: CommerceAwsMonitoring;
  /** The session store (Redis) of the functions that keep sessions. */
  public readonly sessions: CommerceSessions;
  /** CloudFront in front of the buckets; the primary site only. */
  /** Primary site: the public zone of `webDomain` and `apiDomain` (the environment file's `dns.zone`). */
  public readonly zone?: PublicHostedZone;
  public readonly edge?: CommerceEdge;

  constructor(scope: Construct, id: string, props: CommerceAwsProps) {
    super(scope, id);
    const s = props.settings;
    const { prefix, azure } = props;

    this.key = new KmsKey(this, 'key', {
      description: `${prefix}: tables, buckets, queues, logs, secrets and the alarm topic`,
      alias: prefix,
      servicePrincipals: [`logs.${props.region}.amazonaws.com`, 'cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    const keyArn = this.key.arn;
    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      name: `${prefix}-alarms`,
      kmsKeyArn: keyArn,
      ...props.alarms?.subscribers,
    });

    this.vpc = new Vpc(this, 'vpc', {
      name: prefix,
      cidr: props.cidr,
      availabilityZones: availabilityZones(props.region, s.azCount),
      natGateways: s.natGateways,
      flowLogRetentionDays: s.logRetentionDays,
      flowLogKmsKeyArn: keyArn,
      // The Azure VNet answers over the VPN (Service Bus private endpoint, return traffic).
      privateNetworkCidrs: [azure.cidr],
    });
    this.vpn = new SiteToSiteVpn(this, 'vpn-to-azure', {
      name: `${prefix}-azure`,
      customerGatewayIp: azure.vpnGatewayIp,
      // The Azure gateway runs without BGP; AWS still asks for an ASN.
      routing: 'static',
      onPremisesCidrs: [azure.cidr],
      vpcId: this.vpc.vpcId,
      routeTables: this.vpc.privateRouteTableIdsByAz,
      tunnelLogRetentionDays: s.logRetentionDays,
    });
    // Both ends need the same keys; SiteToSiteVpn has no prop for them (AWS generates its own).
    this.vpn.vpnConnection.tunnel1PresharedKey = azure.sharedKeys.tunnel1;
    this.vpn.vpnConnection.tunnel2PresharedKey = azure.sharedKeys.tunnel2;
    if (azure.serviceBusPrivateIp !== undefined) this.resolveServiceBusPrivately(azure.serviceBusName, azure.serviceBusPrivateIp);

    this.data = new CommerceData(this, 'data', {
      prefix,
      tablePrefix: props.tablePrefix,
      kmsKeyArn: keyArn,
      tables: props.tables,
      recoveryDays: s.tableRecoveryDays,
      deletionProtection: s.deletionProtection,
      accountId: props.accountId,
      region: props.region,
      replicateFromRegion: props.primaryRegion,
    });
    if (props.primaryRegion === undefined) {
      this.zone = publicHostedZone(this, 'zone', { ...s.dns.zone, comment: `${prefix}: the shop, its images and its API` });
      this.edge = new CommerceEdge(this, 'edge', {
        prefix,
        buckets: this.data.buckets,
        webDomain: s.webDomain,
        zone: this.zone,
        logRetentionDays: s.logRetentionDays,
      });
    }
    this.failures = new QueueWithDlq(this, 'failures', { name: `${prefix}-failures`, kmsKeyArn: keyArn });
    this.azureClientSecret = new Secret(this, 'azure-client-secret', {
      name: `${prefix}/azure/service-bus-client-secret`,
      description: 'Client secret of the Entra ID application the functions use for Service Bus (set out of band)',
      kmsKeyArn: keyArn,
    });

    const functionsGroup = new SecurityGroup(this, 'functions-security-group', {
      vpcId: this.vpc.vpcId,
      description: `${prefix} functions: HTTPS to AWS endpoints, Azure over the VPN and Service Bus / Entra ID`,
      egress: [{ name: 'https-out', description: 'HTTPS to AWS APIs, Azure (VPN) and Entra ID', fromPort: 443, cidrIpv4: '0.0.0.0/0' }],
      tags: { Name: `${prefix}-functions` },
    });
    const serviceBus = {
      AZURE_TENANT_ID: azure.tenantId,
      AZURE_CLIENT_ID: azure.clientId,
      AZURE_CLIENT_SECRET_ARN: this.azureClientSecret.arn,
      SERVICE_BUS_NAMESPACE: `${azure.serviceBusName}.servicebus.windows.net`,
    };
    const common = {
      runtime: 'nodejs22.x' as const,
      memorySize: s.functionMemoryMb,
      logRetentionDays: s.logRetentionDays,
      logKmsKeyArn: keyArn,
      deadLetterQueueArn: this.failures.arn,
      deadLetterQueueKmsKeyArn: keyArn,
      vpc: { subnetIds: this.vpc.privateSubnetIds, securityGroupIds: [functionsGroup.securityGroupId] },
    };
    this.sessions = new CommerceSessions(this, 'sessions', {
      prefix,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.isolatedSubnetIds,
      kmsKeyArn: keyArn,
      tier: s.redisSku,
      multiAz: s.multiAz,
      azCount: s.azCount,
    });
    const tables = this.data.tables;
    const buckets = this.data.buckets;
    this.userPool = commerceUserPool(this, 'users', {
      prefix,
      accountId: props.accountId,
      webDomain: s.webDomain,
      plan: s.userPoolPlan,
      deletionProtection: s.deletionProtection,
    });

    const functions = {} as Record<CommerceService, LambdaFunction>;
    for (const service of COMMERCE_SERVICES) {
      const spec = SERVICE_SPECS[service];
      const usesServiceBus = (spec.sendQueues ?? []).length + (spec.receiveQueues ?? []).length > 0;
      const sessions = spec.sessions === true;
      functions[service] = new LambdaFunction(this, service, {
        ...common,
        vpc: sessions
          ? { ...common.vpc, securityGroupIds: [functionsGroup.securityGroupId, this.sessions.clients.securityGroupId] }
          : common.vpc,
        name: `${prefix}-${service}`,
        description: spec.description,
        handler: `${service}.handler`,
        entry: functionEntry('commerce', service),
        reservedConcurrency: s.functionReservedConcurrency,
        timeoutSeconds: 15,
        access: {
          readTables: spec.readTables.map((t) => tables[t].arn),
          writeTables: spec.writeTables.map((t) => tables[t].arn),
          readBuckets: (spec.readBuckets ?? []).map((b) => buckets[b].arn),
          writeBuckets: (spec.writeBuckets ?? []).map((b) => buckets[b].arn),
          readSecrets: [
            ...(usesServiceBus ? [this.azureClientSecret.arn] : []),
            ...(sessions ? [this.sessions.cache.authTokenSecretArn] : []),
          ],
          // The buckets, secret and failure queue use the system key; the tables theirs (the replica key in DR).
          decryptKeys: [...new Set([keyArn, this.data.tablesKeyArn])],
          encryptKeys: [...new Set([keyArn, this.data.tablesKeyArn])],
        },
        environment: {
          ...Object.fromEntries(spec.readTables.map((t) => [`${t.toUpperCase()}_TABLE`, tables[t].name])),
          ...Object.fromEntries(
            (spec.writeBuckets ?? []).map((b) => [`${b.replace(/-/g, '_').toUpperCase()}_BUCKET`, buckets[b].bucketName]),
          ),
          ...(usesServiceBus
            ? {
                ...serviceBus,
                ...Object.fromEntries(
                  [...(spec.sendQueues ?? []), ...(spec.receiveQueues ?? [])].map((q) => [
                    `${q.replace(/-/g, '_').toUpperCase()}_QUEUE`,
                    q,
                  ]),
                ),
                PAYMENTS_API_URL: `https://${azure.paymentsHostName}/api`,
              }
            : {}),
          ...(spec.userPool ? { USER_POOL_ID: this.userPool.id } : {}),
          ...(sessions ? this.sessions.environment : {}),
        },
      });
    }
    this.functions = functions;

    this.api = new CommerceApi(this, 'api', {
      prefix,
      userPool: this.userPool,
      functions,
      throttleRps: s.apiThrottleRps,
      rateLimitPer5Min: s.apiRateLimitPer5Min,
      logRetentionDays: s.logRetentionDays,
      kmsKeyArn: keyArn,
    });
    this.drainPaymentResults(prefix, functions.order);

    this.changeCapture = new LambdaFunction(this, CHANGE_CAPTURE, {
      ...common,
      name: `${prefix}-${CHANGE_CAPTURE}`,
      description: 'Ships DynamoDB changes to Azure (Service Bus backup-jobs → backup-service → Azure SQL)',
      handler: 'change-capture.handler',
      entry: functionEntry('commerce', CHANGE_CAPTURE),
      // Stream shards bound its concurrency; a reservation would only take capacity from the API.
      reservedConcurrency: -1,
      timeoutSeconds: 60,
      access: {
        readSecrets: [this.azureClientSecret.arn],
        decryptKeys: [...new Set([keyArn, this.data.tablesKeyArn])],
        encryptKeys: [keyArn],
      },
      environment: { ...serviceBus, BACKUP_JOBS_QUEUE: CHANGE_CAPTURE_QUEUE },
    });
    const streamArns = COMMERCE_TABLE_NAMES.map((t) => tables[t].streamArn);
    this.changeCapture.role.addStatements({
      sid: 'ReadTableStreams',
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'],
      resources: streamArns,
    });
    const mappings: Record<string, LambdaEventSourceMapping> = {};
    for (const table of COMMERCE_TABLE_NAMES) {
      mappings[table] = new LambdaEventSourceMapping(this, `change-capture-${table}`, {
        eventSourceArn: tables[table].streamArn,
        functionName: this.changeCapture.arn,
        enabled: props.changeCapture,
        startingPosition: 'TRIM_HORIZON',
        batchSize: 100,
        maximumBatchingWindowInSeconds: 5,
        // A poison record is isolated by halving the batch, retried, then parked in the failure queue.
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 10,
        functionResponseTypes: ['ReportBatchItemFailures'],
        destinationConfig: { onFailure: { destinationArn: this.failures.arn } },
      });
    }
    this.changeCaptureMappings = mappings;

    this.monitoring = new CommerceAwsMonitoring(this, 'monitoring', {
      prefix,
      alarmTopicArn: this.alarmTopic.arn,
      alsoNotifyArns: props.alarms?.alsoNotifyArns,
      functions: { ...functions, [CHANGE_CAPTURE]: this.changeCapture },
      apiName: prefix,
      stageName: API_STAGE,
      failures: this.failures,
      tables,
      changeCaptureFunctionName: this.changeCapture.name,
      vpnConnectionId: this.vpn.vpnConnectionId,
      sessionsReplicationGroupId: this.sessions.cache.replicationGroup.replicationGroupId,
    });
  }

  /**
   * Service Bus names resolve publicly to a `privatelink` CNAME; this zone answers that name in the VPC
   * with the private endpoint's address, so the functions reach the namespace over the VPN.
   */
  private resolveServiceBusPrivately(namespace: string, privateIp: string): void {
    const zone = new Route53Zone(this, 'service-bus-private-zone', {
      name: 'privatelink.servicebus.windows.net',
      comment: 'The Azure Service Bus private endpoint, reached over the VPN',
      vpc: [{ vpcId: this.vpc.vpcId }],
    });
    new Route53Record(this, 'service-bus-private-record', {
      zoneId: zone.zoneId,
      name: `${namespace}.privatelink.servicebus.windows.net`,
      type: 'A',
      ttl: 300,
      records: [privateIp],
    });
  }

  /** Azure puts payment outcomes on `payment-results`; Service Bus cannot invoke Lambda, so the order service drains it every minute. */
  private drainPaymentResults(prefix: string, order: LambdaFunction): void {
    const rule = new CloudwatchEventRule(this, 'drain-payment-results', {
      name: `${prefix}-drain-payment-results`,
      description: 'Invokes the order service to apply payment outcomes from Azure',
      scheduleExpression: 'rate(1 minute)',
    });
    new CloudwatchEventTarget(this, 'drain-payment-results-target', {
      rule: rule.name,
      arn: order.arn,
      input: JSON.stringify({ action: 'drain-payment-results' }),
    });
    order.allowInvoke('drain-payment-results', 'events.amazonaws.com', rule.arn);
  }
}
