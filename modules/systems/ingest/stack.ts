// ingest (seed 000, option 1 "cloud native"): an on-premise source posts messages to API Gateway,
// which authenticates it (Lambda authorizer or Cognito) and hands each message to a receiver
// function that enqueues it; SQS retries failed deliveries and parks poison messages in a DLQ; a
// consumer function delivers to the downstream services, reporting failures per message. The
// source reaches the API over a site-to-site VPN (private API) or public HTTPS behind WAF.
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import { RestApi } from '../../aws/api/rest-api.js';
import { SiteToSiteVpn } from '../../aws/connectivity/site-to-site-vpn.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import { QueueConsumer } from '../../aws/messaging/queue-consumer.js';
import { QueueWithDlq } from '../../aws/messaging/queue.js';
import type { AlarmTopic } from '../../aws/messaging/sns-topic.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { functionEntry } from '../function-source.js';
import { awsAccountContext } from '../../aws/security/account.js';
import type { SystemContext } from '../types.js';
import { IngestMonitoring } from './monitoring.js';
import { alarmReceivers, awsAccountId, defaultProvider, resourcePrefix, systemAlarmTopic, systemVpc } from '../site.js';
import { SourceAuth } from './source-auth.js';

export const INGEST_STAGE = 'v1';
/** The route the on-premise source posts to. */
export const INGEST_ROUTE = 'POST /messages';

export class IngestStack extends TerraformStack {
  public readonly vpc: Vpc;
  public readonly queue: QueueWithDlq;
  public readonly api: RestApi;
  public readonly receiver: LambdaFunction;
  public readonly consumer: LambdaFunction;
  public readonly auth: SourceAuth;
  public readonly alarmTopic: AlarmTopic;
  /** Set when `hybrid.mode` is `vpn`. */
  public readonly vpn?: SiteToSiteVpn;
  /** Set when `hybrid.mode` is `https`: the public API's regional web ACL. */
  public readonly webAcl?: WebAcl;
  public readonly monitoring: IngestMonitoring;

  constructor(scope: Construct, id: string, context: SystemContext<'ingest'>) {
    super(scope, id);
    const s = context.settings;
    const prefix = resourcePrefix(context);
    const region = context.region.aws;
    const accountId = awsAccountId(context);
    const overVpn = s.hybrid.mode === 'vpn';
    defaultProvider(this, context);

    const key = new KmsKey(this, 'key', {
      description: `${prefix}: alarm topic and source credentials`,
      alias: prefix,
      // CloudWatch must encrypt to publish alarms to the topic (it cannot use the AWS-managed SNS key).
      servicePrincipals: ['cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    const alarms = alarmReceivers(context);
    this.alarmTopic = systemAlarmTopic(this, context, key.arn);

    this.vpc = systemVpc(this, context, s, {
      gatewayEndpoints: ['s3'],
      // The functions enqueue without leaving the VPC; over the VPN the source calls the private API here.
      interfaceEndpoints: overVpn ? ['sqs', 'execute-api'] : ['sqs'],
      privateNetworkCidrs: overVpn ? [s.hybrid.onPremCidr] : [],
    });
    if (overVpn) {
      this.vpc.endpoints.securityGroup.addIngress({
        name: 'https-from-on-premise',
        description: 'The on-premise source calls the private API over the VPN',
        fromPort: 443,
        cidrIpv4: s.hybrid.onPremCidr,
      });
      this.vpn = new SiteToSiteVpn(this, 'vpn', {
        name: prefix,
        vpcId: this.vpc.vpcId,
        customerGatewayIp: s.hybrid.customerGatewayIp,
        customerGatewayBgpAsn: s.hybrid.bgpAsn,
        onPremisesCidrs: [s.hybrid.onPremCidr],
        routeTables: this.vpc.privateRouteTableIdsByAz,
        tunnelLogRetentionDays: s.logRetentionDays,
      });
    }
    const functionsGroup = new SecurityGroup(this, 'functions-security-group', {
      vpcId: this.vpc.vpcId,
      description: `${prefix} functions: HTTPS out to AWS endpoints and the downstream services`,
      egress: [{ name: 'https-out', description: 'HTTPS to VPC endpoints and downstream services', fromPort: 443, cidrIpv4: '0.0.0.0/0' }],
      tags: { Name: `${prefix}-functions` },
    });
    const inVpc = { subnetIds: this.vpc.privateSubnetIds, securityGroupIds: [functionsGroup.securityGroupId] };

    this.queue = new QueueWithDlq(this, 'work-queue', {
      name: `${prefix}-work`,
      consumerTimeoutSeconds: s.consumerTimeoutSeconds,
      maxReceiveCount: s.maxReceiveCount,
    });
    // Every function is invoked synchronously (API Gateway, SQS polling), so this DLQ only catches
    // the rare asynchronous retry; it is the work queue's DLQ, already watched by an alarm.
    const functionDefaults = {
      runtime: 'nodejs22.x' as const,
      deadLetterQueueArn: this.queue.deadLetterArn,
      logRetentionDays: s.logRetentionDays,
      vpc: inVpc,
    };

    this.auth = new SourceAuth(this, 'source-auth', {
      kind: s.authorizer,
      prefix,
      accountId,
      kmsKeyArn: key.arn,
      logRetentionDays: s.logRetentionDays,
      deletionProtection: s.deletionProtection,
      deadLetterQueueArn: this.queue.deadLetterArn,
      vpc: inVpc,
    });
    this.receiver = new LambdaFunction(this, 'receiver', {
      ...functionDefaults,
      name: `${prefix}-receiver`,
      description: 'Validates a message from the on-premise source and enqueues it',
      handler: 'receiver.handler',
      entry: functionEntry('ingest', 'receiver'),
      // The stage's throttling bounds it; reserving capacity would shrink the account's shared pool.
      reservedConcurrency: -1,
      timeoutSeconds: 10,
      access: { sendQueues: [this.queue.arn] },
      environment: { QUEUE_URL: this.queue.url },
    });
    this.consumer = new LambdaFunction(this, 'consumer', {
      ...functionDefaults,
      name: `${prefix}-consumer`,
      description: 'Delivers queued messages to the downstream services; reports failed messages one by one',
      handler: 'consumer.handler',
      entry: functionEntry('ingest', 'consumer'),
      reservedConcurrency: s.consumerReservedConcurrency,
      timeoutSeconds: s.consumerTimeoutSeconds,
      access: { consumeQueues: [this.queue.arn] },
      // The downstream services subscribe to the messages with rules on the default bus.
      environment: { EVENT_BUS_NAME: 'default', EVENT_SOURCE: prefix },
    });
    this.consumer.role.addStatements({
      sid: 'ForwardDownstream',
      actions: ['events:PutEvents'],
      resources: [`arn:${awsAccountContext(this).partition}:events:${region}:${accountId}:event-bus/default`],
    });
    new QueueConsumer(this, 'consumer-mapping', {
      queue: this.queue,
      functionName: this.consumer.arn,
      functionTimeoutSeconds: s.consumerTimeoutSeconds,
    });

    this.api = new RestApi(this, 'api', {
      name: prefix,
      description: `Entry point of the on-premise source (${overVpn ? 'private, over the site-to-site VPN' : 'public HTTPS, WAF-protected'})`,
      endpointType: overVpn ? 'PRIVATE' : 'REGIONAL',
      vpcEndpointIds: overVpn ? [this.vpc.interfaceEndpointIds['execute-api']!] : undefined,
      authorizers: { source: this.auth.authorizer },
      defaultAuthorizer: 'source',
      routes: { [INGEST_ROUTE]: { function: this.receiver, authorizationScopes: this.auth.scopes } },
      stageName: INGEST_STAGE,
      logRetentionDays: s.logRetentionDays,
    });
    if (!overVpn) {
      this.webAcl = new WebAcl(this, 'api-web-acl', {
        scope: 'REGIONAL',
        name: `${prefix}-api`,
        logging: { retentionInDays: s.logRetentionDays },
      });
      this.webAcl.associate('api-stage', this.api.stage.arn);
    }

    const functions: Record<string, LambdaFunction> = { receiver: this.receiver, consumer: this.consumer };
    if (this.auth.function) functions.authorizer = this.auth.function;
    this.monitoring = new IngestMonitoring(this, 'monitoring', {
      prefix,
      alarmTopicArn: this.alarmTopic.arn,
      alsoNotifyArns: alarms.alsoNotifyArns,
      queue: this.queue,
      functions,
      apiName: prefix,
      stageName: INGEST_STAGE,
      // Several full retry cycles (visibility timeout × receives) mean the consumer is not keeping up.
      maxQueueAgeSeconds: Math.min(this.queue.visibilityTimeoutSeconds * s.maxReceiveCount, 1_209_600),
    });
  }
}
