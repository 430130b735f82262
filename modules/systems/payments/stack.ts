// payments (seed 003, Team Snake): a global payments service. Each region is self-contained
// (its own processors and regulations, no inter-region traffic): a regional API Gateway (REST,
// Cognito-authorized, WAF) → VPC link → internal NLB (TLS) → ECS Fargate web server and external
// API, and a private API Gateway (from the VPC only) → its own NLB (TLS) → the internal API, across
// the AZs; api.<domain> fails over from the primary region to the DR region on health checks;
// SQS queues (with DLQs) between the services and as the database's write buffer; the
// payment-processor integration consumes from SQS and calls out through a NAT gateway per AZ
// (stable egress IPs for the processor's allow-list); PostgreSQL (RDS Multi-AZ or
// Aurora) and Redis; Secrets Manager for the processor's credentials; alarms and a dashboard.
// GuardDuty, Config and CloudTrail are the account's (the account-<env> stacks). The primary stack
// also holds the global parts: the Route 53 zone (when the environment file says `create`; an
// `existing` one is looked up) and the CloudFront + S3 web front (OAC, WAF, ACM in us-east-1, Shield
// Advanced where the account subscribes to it).
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { publicHostedZone } from '../../aws/edge/hosted-zone.js';
import { PostgresDatabase } from '../../aws/data/postgres-database.js';
import { RedisReplicationGroup } from '../../aws/data/redis-replication-group.js';
import { QueueWithDlq } from '../../aws/messaging/queue.js';
import type { AlarmTopic } from '../../aws/messaging/sns-topic.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { Secret } from '../../aws/security/secret.js';
import { zoneNameOf, zoneValidates } from '../dns-settings.js';
import type { SystemContext } from '../types.js';
import { API_STAGE, PaymentsApi } from './api.js';
import { PaymentsApiDns } from './api-dns.js';
import { PaymentsMonitoring } from './monitoring.js';
import { kebab, PaymentsServices, SERVICE_KEYS, type ServiceKey, type ServiceWiring } from './services.js';
import { systemDatabase } from '../database.js';
import { alarmReceivers, awsAccountId, defaultProvider, resourcePrefix, usEast1Provider, systemAlarmTopic, systemVpc } from '../site.js';
import { PaymentsWebFront } from './web-front.js';

/** The database user the APIs sign in as with IAM authentication (no password anywhere). */
export const DB_APP_USER = 'payments_app';
/** Seconds the processor may spend on one batch (a call to the external processor); the queue's visibility is 6×. */
const PROCESSOR_TIMEOUT_SECONDS = 60;

export class PaymentsStack extends TerraformStack {
  public readonly vpc: Vpc;
  public readonly queues: Record<'paymentRequests' | 'paymentResults' | 'ledgerWrites', QueueWithDlq>;
  public readonly database: PostgresDatabase;
  public readonly cache: RedisReplicationGroup;
  public readonly processorCredentials: Secret;
  public readonly services: PaymentsServices;
  /** ACM certificate of `services.<domain>` on the NLBs' TLS listeners. */
  public readonly servicesCertificate: DnsValidatedCertificate;
  public readonly api: PaymentsApi;
  /** `api.<domain>`: failover between the regions with a DR region, else a plain alias. */
  public readonly apiDns: PaymentsApiDns;
  public readonly alarmTopic: AlarmTopic;
  public readonly monitoring: PaymentsMonitoring;
  /** Set in the primary region only: the global web front. */
  public readonly webFront?: PaymentsWebFront;

  constructor(scope: Construct, id: string, context: SystemContext<'payments'>) {
    super(scope, id);
    const s = context.settings;
    const prefix = resourcePrefix(context);
    const region = context.region.aws;
    const accountId = awsAccountId(context);
    const primary = context.role === 'primary';
    checkSettings(context);
    defaultProvider(this, context);

    const key = new KmsKey(this, 'key', {
      description: `${prefix}: logs, queues, secrets, database, cache and the alarm topic`,
      alias: prefix,
      servicePrincipals: [`logs.${region}.amazonaws.com`, 'cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    this.alarmTopic = systemAlarmTopic(this, context, key.arn);

    // The execute-api endpoint is the only way to the private internal API.
    this.vpc = systemVpc(this, context, s, { flowLogKmsKeyArn: key.arn, interfaceEndpoints: ['execute-api'] });

    const queue = (name: string, consumerTimeoutSeconds?: number) =>
      new QueueWithDlq(this, `${name}-queue`, { name: `${prefix}-${name}`, consumerTimeoutSeconds, kmsKeyArn: key.arn });
    this.queues = {
      paymentRequests: queue('payment-requests', PROCESSOR_TIMEOUT_SECONDS),
      paymentResults: queue('payment-results'),
      // Writes queue up here so a burst of transactions never exceeds what the database takes.
      ledgerWrites: queue('ledger-writes'),
    };
    this.processorCredentials = new Secret(this, 'processor-credentials', {
      name: `${prefix}/processor/api-credentials`,
      description: `API credentials of this region's external payment processor (set out of band, never in Terraform)`,
      kmsKeyArn: key.arn,
    });

    this.database = systemDatabase(this, { name: prefix, vpc: this.vpc, kmsKeyArn: key.arn, databaseName: 'payments', settings: s });
    this.cache = new RedisReplicationGroup(this, 'cache', {
      name: prefix,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.isolatedSubnetIds,
      allowedSecurityGroups: {},
      nodeType: s.cache.nodeType,
      // Multi-AZ means automatic failover, which needs a replica in another AZ.
      replicas: s.multiAz ? Math.max(1, s.cache.replicas) : s.cache.replicas,
      kmsKeyArn: key.arn,
    });

    // The DR copy looks up the zone the primary created (or the existing one) and waits for validation only
    // where the primary's certificates can be validated too.
    const zone = publicHostedZone(
      this,
      'zone',
      primary ? { ...s.dns.zone, comment: `${prefix}: web front and regional APIs` } : { existing: zoneNameOf(s.dns.zone) },
    );
    const awaitCertificateValidation = zoneValidates(s.dns.zone);
    // The NLBs' TLS name: API Gateway's https integrations verify it. No record points at it (the VPC
    // links carry the requests), so the internal addresses stay out of the public zone.
    const servicesHost = `services.${s.domain}`;
    this.servicesCertificate = new DnsValidatedCertificate(this, 'services-certificate', {
      domainName: servicesHost,
      hostedZoneId: zone.zoneId,
      awaitValidation: awaitCertificateValidation,
    });
    this.services = new PaymentsServices(this, 'services', {
      prefix,
      vpcId: this.vpc.vpcId,
      privateSubnetIds: this.vpc.privateSubnetIds,
      tlsCertificateArn: this.servicesCertificate.arn,
      settings: s.services,
      imageTag: s.imageTag,
      logRetentionDays: s.logRetentionDays,
      kmsKeyArn: key.arn,
      deletionProtection: s.deletionProtection,
      wiring: this.wiring(key.arn),
    });
    this.connectDataStores();

    this.api = new PaymentsApi(this, 'api', {
      prefix,
      domain: s.domain,
      servicesHost,
      hostedZoneId: zone.zoneId,
      awaitCertificateValidation,
      accountId,
      nlbArns: { public: this.services.loadBalancers.public.arn, internal: this.services.loadBalancers.internal.arn },
      executeApiEndpointId: this.vpc.interfaceEndpointIds['execute-api']!,
      logRetentionDays: s.logRetentionDays,
      kmsKeyArn: key.arn,
      throttleRps: s.apiThrottleRps,
      rateLimitPer5Min: s.apiRateLimitPer5Min,
      deletionProtection: s.deletionProtection,
    });
    if (primary) {
      this.webFront = new PaymentsWebFront(this, 'web-front', {
        prefix,
        domain: s.domain,
        hostedZoneId: zone.zoneId,
        hostedZoneArn: zone.arn,
        awaitCertificateValidation,
        usEast1Provider: usEast1Provider(this, context),
        logRetentionDays: s.logRetentionDays,
        shieldAdvanced: context.environment.accounts.aws?.shieldAdvanced ?? false,
        deletionProtection: s.deletionProtection,
      });
    }

    this.monitoring = this.createMonitoring(prefix, context);
    this.apiDns = new PaymentsApiDns(this, 'api-dns', {
      hostedZoneId: zone.zoneId,
      apiDomain: this.api.apiDomain,
      target: { name: this.api.domainName.regionalDomainName, zoneId: this.api.domainName.regionalZoneId },
      failover: s.dr ? (primary ? 'PRIMARY' : 'SECONDARY') : undefined,
      region,
      healthAlarmNames: this.monitoring.regionHealthAlarms.map((alarm) => alarm.alarmName),
    });
    this.createOutputs();
  }

  /** Who talks to whom: queues, secrets and data-store endpoints per service (least privilege). */
  private wiring(keyArn: string): Record<ServiceKey, ServiceWiring> {
    const { paymentRequests, paymentResults, ledgerWrites } = this.queues;
    const keys = { encryptKeys: [keyArn], decryptKeys: [keyArn] };
    const cache = {
      environment: { REDIS_HOST: this.cache.primaryEndpoint, REDIS_PORT: String(this.cache.port), REDIS_TLS: 'true' },
      secrets: { REDIS_AUTH_TOKEN: this.cache.authTokenSecretArn },
    };
    const database = {
      DB_HOST: this.database.endpoint,
      DB_READER_HOST: this.database.readerEndpoint,
      DB_PORT: String(this.database.port),
      DB_NAME: 'payments',
      DB_USER: DB_APP_USER,
      DB_IAM_AUTH: 'true',
    };
    return {
      web: {
        access: { sendQueues: [paymentRequests.arn], ...keys },
        environment: { ...cache.environment, PAYMENT_REQUESTS_QUEUE_URL: paymentRequests.url },
        secrets: cache.secrets,
      },
      externalApi: {
        access: { sendQueues: [paymentRequests.arn, ledgerWrites.arn], ...keys },
        environment: {
          ...cache.environment,
          ...database,
          PAYMENT_REQUESTS_QUEUE_URL: paymentRequests.url,
          LEDGER_WRITES_QUEUE_URL: ledgerWrites.url,
        },
        secrets: cache.secrets,
      },
      internalApi: {
        access: { consumeQueues: [paymentResults.arn, ledgerWrites.arn], ...keys },
        environment: {
          ...cache.environment,
          ...database,
          PAYMENT_RESULTS_QUEUE_URL: paymentResults.url,
          LEDGER_WRITES_QUEUE_URL: ledgerWrites.url,
        },
        secrets: cache.secrets,
      },
      processor: {
        access: { consumeQueues: [paymentRequests.arn], sendQueues: [paymentResults.arn, ledgerWrites.arn], ...keys },
        environment: {
          ...cache.environment,
          PAYMENT_REQUESTS_QUEUE_URL: paymentRequests.url,
          PAYMENT_RESULTS_QUEUE_URL: paymentResults.url,
          LEDGER_WRITES_QUEUE_URL: ledgerWrites.url,
        },
        secrets: { ...cache.secrets, PROCESSOR_API_CREDENTIALS: this.processorCredentials.arn },
      },
    };
  }

  /** Opens the database to the two APIs (IAM auth as DB_APP_USER) and the cache to every service, both ways. */
  private connectDataStores(): void {
    const account = awsAccountContext(this);
    for (const key of SERVICE_KEYS) {
      const service = this.services.services[key];
      const name = kebab(key);
      this.cache.allowFrom(name, service.securityGroupId);
      service.securityGroup.addEgress({
        name: 'to-cache',
        description: 'Redis (TLS)',
        fromPort: this.cache.port,
        peerSecurityGroupId: this.cache.securityGroupId,
      });
      if (key !== 'externalApi' && key !== 'internalApi') continue;
      this.database.allowFrom(name, service.securityGroupId);
      service.securityGroup.addEgress({
        name: 'to-database',
        description: 'PostgreSQL (TLS)',
        fromPort: this.database.port,
        peerSecurityGroupId: this.database.securityGroupId,
      });
      service.taskRole.addStatements({
        sid: 'ConnectToDatabase',
        actions: ['rds-db:connect'],
        resources: [
          `arn:${account.partition}:rds-db:${account.region}:${account.accountId}:dbuser:${this.database.resourceId}/${DB_APP_USER}`,
        ],
      });
    }
  }

  private createMonitoring(prefix: string, context: SystemContext<'payments'>): PaymentsMonitoring {
    const s = context.settings;
    const { services, loadBalancers, cluster } = this.services;
    const roles = SERVICE_KEYS.map((key) => [kebab(key), services[key]] as const);
    return new PaymentsMonitoring(this, 'monitoring', {
      prefix,
      alarmTopicArn: this.alarmTopic.arn,
      alsoNotifyArns: alarmReceivers(context).alsoNotifyArns,
      apiName: this.api.apiName,
      internalApiName: this.api.internalApiName,
      apiStage: API_STAGE,
      apiLatencyP99Ms: 2000,
      clusterName: cluster.name,
      services: Object.fromEntries(roles.map(([role, service]) => [role, service.name])),
      logGroups: Object.fromEntries(roles.map(([role, service]) => [role, service.logGroup.name])),
      targetGroups: Object.fromEntries(
        Object.values(loadBalancers).flatMap((nlb) =>
          Object.entries(nlb.targetGroups).map(([role, group]) => [role, { loadBalancer: nlb.arnSuffix, targetGroup: group.arnSuffix }]),
        ),
      ),
      publicRoles: Object.keys(loadBalancers.public.targetGroups),
      queues: {
        'payment-requests': this.queues.paymentRequests,
        'payment-results': this.queues.paymentResults,
        'ledger-writes': this.queues.ledgerWrites,
      },
      maxQueueAgeSeconds: { 'payment-requests': 120, 'payment-results': 300, 'ledger-writes': 300 },
      database: { engine: s.database.engine, identifier: prefix, instanceClass: s.database.instanceClass },
      cacheReplicationGroupId: prefix,
      natGateways: this.vpc.natGatewayIds,
    });
  }

  private createOutputs(): void {
    new TerraformOutput(this, 'api_url', {
      value: `https://${this.api.apiDomain}/`,
      description: 'The public API (web and external API; fails over to the DR region where there is one)',
    });
    new TerraformOutput(this, 'internal_api_url', {
      value: this.api.internalApi.url,
      description: "The internal API, callable only from this region's VPC (through its execute-api endpoint)",
    });
    // The NAT gateways' public IPs are what payment processors allow-list.
    const egressIps = Object.values(this.vpc.natPublicIps);
    if (egressIps.length > 0) {
      new TerraformOutput(this, 'processor_egress_ips', {
        value: egressIps,
        description: 'Source IPs of calls to the payment processor (its allow-list)',
      });
    }
  }
}

/** Combinations zod cannot see: each problem names the field, the bad value and what is allowed. */
function checkSettings(context: SystemContext<'payments'>): void {
  const s = context.settings;
  const at = `environment ${context.environment.name}: systems.payments`;
  const problems: string[] = [];
  if (s.database.engine === 'aurora-postgresql' && /\.(micro|small)$/.test(s.database.instanceClass)) {
    problems.push(
      `${at}.database.instanceClass must be db.t4g.medium or larger for engine aurora-postgresql (got ${s.database.instanceClass})`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}
