// agri (seed 002, Uni-Corn crop analytics), the cloud and hybrid deployments: a VPC with private
// subnets over the environment's AZs; the Dash front end, FastAPI back end and ML model service on
// ECS Fargate (own task definition, ECR repository and auto scaling each) behind a load balancer
// per tier; PostgreSQL reachable from the back end (and DMS) only; CloudWatch logs, alarms, a dashboard;
// an S3 bucket for the on-premise release bundles. Hybrid (farms with intermittent connectivity):
// a site-to-site VPN to the farm and Route 53 failover — the farm's deployment primary behind an
// HTTPS health check, the cloud ALB secondary — and DMS replicating the farm's PostgreSQL into RDS.
// Managed Prometheus (and Grafana) where the environment file turns them on.
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { PostgresDatabase } from '../../aws/data/postgres-database.js';
import { SecureBucket } from '../../aws/data/s3-bucket.js';
import { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { publicHostedZone, type PublicHostedZone } from '../../aws/edge/hosted-zone.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import type { AlarmTopic } from '../../aws/messaging/sns-topic.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import type { SystemContext } from '../types.js';
import { FarmDataSync } from './data-sync.js';
import { AgriEntry } from './hybrid.js';
import { AgriObservability } from './observability.js';
import { AgriMonitoring } from './monitoring.js';
import { systemDatabase } from '../database.js';
import { alarmReceivers, defaultProvider, resourcePrefix, systemAlarmTopic, systemVpc } from '../site.js';
import { AgriTiers, TIER_KEYS } from './tiers.js';

/** The database user the back end signs in as with IAM authentication (no password anywhere). */
export const DB_APP_USER = 'agri_app';

export class AgriStack extends TerraformStack {
  public readonly vpc: Vpc;
  public readonly zone: PublicHostedZone;
  public readonly certificate: DnsValidatedCertificate;
  public readonly tiers: AgriTiers;
  public readonly database: PostgresDatabase;
  public readonly bundles: SecureBucket;
  public readonly webAcl: WebAcl;
  public readonly entry: AgriEntry;
  public readonly alarmTopic: AlarmTopic;
  public readonly monitoring: AgriMonitoring;
  /** The farm → RDS replication (`dataSync.enabled`). */
  public readonly dataSync?: FarmDataSync;
  /** Managed Prometheus (and Grafana) (`observability`). */
  public readonly observability?: AgriObservability;

  constructor(scope: Construct, id: string, context: SystemContext<'agri'>) {
    super(scope, id);
    const s = context.settings;
    const prefix = resourcePrefix(context);
    const region = context.region.aws;
    checkSettings(context);
    defaultProvider(this, context);
    const overVpn = s.hybrid && s.farm.mode === 'vpn';

    const key = new KmsKey(this, 'key', {
      description: `${prefix}: logs, bundles, database and the alarm topic`,
      alias: prefix,
      servicePrincipals: [`logs.${region}.amazonaws.com`, 'cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    const alarms = alarmReceivers(context);
    this.alarmTopic = systemAlarmTopic(this, context, key.arn);

    this.vpc = systemVpc(this, context, s, {
      flowLogKmsKeyArn: key.arn,
      // The farm's sync service reaches the back end over the VPN.
      privateNetworkCidrs: overVpn ? [s.farm.onPremCidr] : [],
    });

    this.zone = publicHostedZone(this, 'zone', { ...s.dns.zone, comment: `${prefix}: the crop dashboard and its internal tiers` });
    this.certificate = new DnsValidatedCertificate(this, 'certificate', {
      domainName: s.domain,
      subjectAlternativeNames: [`*.${s.domain}`],
      hostedZoneId: this.zone.zoneId,
      awaitValidation: this.zone.validates,
    });
    // Installers for the air-gapped and hybrid farms (images, docker-compose.yml, documentation).
    this.bundles = new SecureBucket(this, 'bundles', {
      bucketPrefix: `${prefix}-bundles-`,
      kmsKeyArn: key.arn,
      forceDestroy: !s.deletionProtection,
    });
    const accessLogs = new SecureBucket(this, 'lb-logs', {
      bucketPrefix: `${prefix}-lb-logs-`,
      lifecycleRules: [{ id: 'expire-access-logs', expirationDays: s.logRetentionDays }],
      forceDestroy: !s.deletionProtection,
    });

    this.database = systemDatabase(this, { name: prefix, vpc: this.vpc, kmsKeyArn: key.arn, databaseName: 'corn', settings: s });
    if (s.observability.prometheus) {
      this.observability = new AgriObservability(this, 'observability', {
        prefix,
        kmsKeyArn: key.arn,
        logRetentionDays: s.logRetentionDays,
        grafana: s.observability.grafana,
      });
    }
    const metrics: Record<string, string> = this.observability ? { PROMETHEUS_REMOTE_WRITE_URL: this.observability.remoteWriteUrl } : {};

    this.tiers = new AgriTiers(this, 'tiers', {
      prefix,
      domain: s.domain,
      hostedZoneId: this.zone.zoneId,
      vpcId: this.vpc.vpcId,
      vpcCidr: this.vpc.cidr,
      publicSubnetIds: this.vpc.publicSubnetIds,
      privateSubnetIds: this.vpc.privateSubnetIds,
      certificateArn: this.certificate.arn,
      settings: { frontend: s.frontend, backend: s.backend, ml: s.ml },
      imageTag: s.imageTag,
      logRetentionDays: s.logRetentionDays,
      kmsKeyArn: key.arn,
      deletionProtection: s.deletionProtection,
      accessLogsBucket: accessLogs,
      backendClientCidrs: overVpn ? { farm: s.farm.onPremCidr } : undefined,
      environment: {
        frontend: { ...metrics },
        backend: {
          ...metrics,
          DB_HOST: this.database.endpoint,
          DB_PORT: String(this.database.port),
          DB_NAME: 'corn',
          DB_USER: DB_APP_USER,
          DB_IAM_AUTH: 'true',
        },
        ml: { ...metrics },
      },
    });
    this.connectBackendToDatabase();
    for (const tier of TIER_KEYS) this.observability?.allowRemoteWrite(this.tiers.services[tier].taskRole);

    this.webAcl = new WebAcl(this, 'web-acl', {
      scope: 'REGIONAL',
      name: `${prefix}-dashboard`,
      logging: { retentionInDays: s.logRetentionDays },
    });
    this.webAcl.associate('frontend-alb', this.tiers.loadBalancers.frontend.arn);

    this.entry = new AgriEntry(this, 'entry', {
      prefix,
      domain: s.domain,
      hostedZoneId: this.zone.zoneId,
      publicLoadBalancer: this.tiers.loadBalancers.frontend,
      failover: s.hybrid ? { farmAppIps: s.farmAppIps, healthCheckPath: s.healthCheckPath } : undefined,
      vpn: overVpn
        ? {
            vpcId: this.vpc.vpcId,
            customerGatewayIp: s.farm.customerGatewayIp,
            bgpAsn: s.farm.bgpAsn,
            onPremCidr: s.farm.onPremCidr,
            routeTables: this.vpc.privateRouteTableIdsByAz,
            logRetentionDays: s.logRetentionDays,
          }
        : undefined,
    });

    this.monitoring = new AgriMonitoring(this, 'monitoring', {
      prefix,
      alarmTopicArn: this.alarmTopic.arn,
      alsoNotifyArns: alarms.alsoNotifyArns,
      clusterName: this.tiers.cluster.name,
      tiers: Object.fromEntries(
        TIER_KEYS.map((tier) => {
          const service = this.tiers.services[tier];
          return [tier, { service: service.name, logGroup: service.logGroup.name, alb: this.tiers.loadBalancers[tier] }];
        }),
      ),
      userFacingTier: 'frontend',
      userLatencyP99Ms: 3000,
      database: { engine: s.database.engine, identifier: prefix, instanceClass: s.database.instanceClass },
      vpnConnectionId: this.entry.vpn?.vpnConnectionId,
    });

    if (s.dataSync.enabled) {
      this.dataSync = new FarmDataSync(this, 'farm-sync', {
        prefix,
        region,
        vpcId: this.vpc.vpcId,
        subnetIds: this.vpc.privateSubnetIds,
        kmsKeyArn: key.arn,
        farm: s.dataSync,
        target: { database: this.database, databaseName: 'corn' },
        instanceClass: s.dataSync.instanceClass,
        allocatedStorage: s.dataSync.allocatedStorage,
        multiAz: s.multiAz,
        logRetentionDays: s.logRetentionDays,
      });
      new TerraformOutput(this, 'farm_sync_task_arn', {
        value: this.dataSync.task.replicationTaskArn,
        description:
          'Start once both farm-sync secrets hold credentials: aws dms start-replication-task --start-replication-task-type start-replication',
      });
    }
    if (this.observability?.grafana) {
      new TerraformOutput(this, 'grafana_url', { value: `https://${this.observability.grafana.endpoint}` });
    }

    new TerraformOutput(this, 'dashboard_url', { value: `https://${s.domain}/` });
    if (this.entry.vpn) {
      new TerraformOutput(this, 'farm_vpn_tunnel_addresses', {
        value: this.entry.vpn.tunnelAddresses,
        description: "AWS tunnel endpoints to configure on the farm's VPN device",
      });
    }
  }

  /** The back end alone reaches PostgreSQL: ingress from its group, egress from it, IAM auth as DB_APP_USER. */
  private connectBackendToDatabase(): void {
    const backend = this.tiers.services.backend;
    const account = awsAccountContext(this);
    this.database.allowFrom('backend', backend.securityGroupId);
    backend.securityGroup.addEgress({
      name: 'to-database',
      description: 'PostgreSQL (TLS)',
      fromPort: this.database.port,
      peerSecurityGroupId: this.database.securityGroupId,
    });
    backend.taskRole.addStatements({
      sid: 'ConnectToDatabase',
      actions: ['rds-db:connect'],
      resources: [
        `arn:${account.partition}:rds-db:${account.region}:${account.accountId}:dbuser:${this.database.resourceId}/${DB_APP_USER}`,
      ],
    });
  }
}

/** Combinations zod cannot see: each problem names the field, the bad value and what is allowed. */
function checkSettings(context: SystemContext<'agri'>): void {
  const s = context.settings;
  const at = `environment ${context.environment.name}: systems.agri`;
  const problems: string[] = [];
  if (context.role === 'dr' || s.dr) {
    problems.push(`${at}.dr must be false: seed 002 defines no DR copy (the farm's own deployment is the fallback) (got ${s.dr})`);
  }
  if (s.database.engine === 'aurora-postgresql' && /\.(micro|small)$/.test(s.database.instanceClass)) {
    problems.push(
      `${at}.database.instanceClass must be db.t4g.medium or larger for engine aurora-postgresql (got ${s.database.instanceClass})`,
    );
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
}
