// controller: the release controller itself (`gitops serve`, the project's Dockerfile image) on ECS
// Fargate in private subnets, behind an internet-facing HTTPS load balancer that forwards only the
// webhook path and (unless turned off) the status page; everything else gets a 404 there. The App's
// private key and webhook secret are Secrets Manager secrets whose values are set outside Terraform
// and injected as ECS secrets. The store is SQLite on encrypted EFS (one task) or PostgreSQL on RDS.
// No web ACL: AWS's managed rule sets block request bodies over 8 KB, which many webhooks are.
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';
import { EcrRepository } from '../../aws/compute/ecr-repository.js';
import { EcsCluster } from '../../aws/compute/ecs-cluster.js';
import { FargateService } from '../../aws/compute/fargate-service.js';
import { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { publicHostedZone } from '../../aws/edge/hosted-zone.js';
import type { Vpc } from '../../aws/network/vpc.js';
import type { AlarmTopic } from '../../aws/messaging/sns-topic.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { Secret } from '../../aws/security/secret.js';
import type { SystemContext } from '../types.js';
import { alarmReceivers, defaultProvider, resourcePrefix, systemAlarmTopic, systemVpc } from '../site.js';
import { ControllerAlarms } from './monitoring.js';
import { ControllerStore, NODE_UID, WORK_DIR } from './store.js';

/** The port `gitops serve` listens on in the image (Dockerfile: PORT). */
export const CONTROLLER_PORT = 3000;
/** Probot's webhook path, the one the App's settings point GitHub at (app.yml). */
export const WEBHOOK_PATH = '/api/github/webhooks';

export class ControllerStack extends TerraformStack {
  public readonly vpc: Vpc;
  public readonly repository: EcrRepository;
  public readonly privateKey: Secret;
  public readonly webhookSecret: Secret;
  public readonly loadBalancer: ApplicationLoadBalancer;
  public readonly store: ControllerStore;
  public readonly service: FargateService;
  public readonly alarmTopic: AlarmTopic;
  public readonly alarms: ControllerAlarms;

  constructor(scope: Construct, id: string, context: SystemContext<'controller'>) {
    super(scope, id);
    const s = context.settings;
    const prefix = resourcePrefix(context);
    const region = context.region.aws;
    defaultProvider(this, context);

    const key = new KmsKey(this, 'key', {
      description: `${prefix}: logs, secrets, the store, images and the alarm topic`,
      alias: prefix,
      // CloudWatch must encrypt to publish alarms to the topic (it cannot use the AWS-managed SNS key).
      servicePrincipals: [`logs.${region}.amazonaws.com`, 'cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    this.vpc = systemVpc(this, context, s, { flowLogKmsKeyArn: key.arn });
    this.repository = new EcrRepository(this, 'repository', { name: prefix, kmsKeyArn: key.arn, forceDelete: !s.deletionProtection });
    this.privateKey = new Secret(this, 'private-key', {
      name: `${prefix}/private-key`,
      description: "The GitHub App's private key (PEM, or base64 of it): set its value outside Terraform",
      kmsKeyArn: key.arn,
    });
    this.webhookSecret = new Secret(this, 'webhook-secret', {
      name: `${prefix}/webhook-secret`,
      description: "The GitHub App's webhook secret: set its value outside Terraform",
      kmsKeyArn: key.arn,
    });

    const zone = publicHostedZone(this, 'zone', { ...s.dns.zone, comment: `${prefix}: the release controller` });
    const certificate = new DnsValidatedCertificate(this, 'certificate', {
      domainName: s.domain,
      hostedZoneId: zone.zoneId,
      awaitValidation: zone.validates,
    });
    this.loadBalancer = new ApplicationLoadBalancer(this, 'alb', {
      name: prefix,
      vpcId: this.vpc.vpcId,
      vpcCidr: this.vpc.cidr,
      subnetIds: this.vpc.publicSubnetIds,
      internetFacing: true,
      certificateArn: certificate.arn,
      // GitHub's webhook addresses change; every delivery's signature is checked by the controller.
      ingressCidrs: { internet: '0.0.0.0/0' },
      deletionProtection: s.deletionProtection,
      accessLogRetentionDays: s.logRetentionDays,
      targetGroups: { controller: { port: CONTROLLER_PORT, healthCheck: { path: '/healthz' } } },
      routes: {
        webhooks: { priority: 10, targetGroup: 'controller', pathPatterns: [WEBHOOK_PATH] },
        ...(s.statusPage ? { status: { priority: 20, targetGroup: 'controller', pathPatterns: ['/'] } } : {}),
      },
    });
    new Route53Record(this, 'alias', {
      zoneId: zone.zoneId,
      name: s.domain,
      type: 'A',
      alias: { name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: true },
    });

    this.store = new ControllerStore(this, 'store', { prefix, vpc: this.vpc, kmsKeyArn: key.arn, settings: s });
    const wiring = this.store.wiring;
    const cluster = new EcsCluster(this, 'cluster', {
      name: prefix,
      executeCommandLogging: { kmsKeyArn: key.arn, logRetentionDays: s.logRetentionDays },
    });
    const sqlite = s.store === 'sqlite';
    this.service = new FargateService(this, 'service', {
      name: prefix,
      cluster,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.privateSubnetIds,
      image: `${this.repository.repositoryUrl}:${s.imageTag}`,
      ecrRepositoryArns: [this.repository.arn],
      cpu: s.service.cpu,
      memory: s.service.memory,
      containerPort: CONTROLLER_PORT,
      desiredCount: s.service.desiredCount,
      maxCount: s.service.desiredCount,
      // The SQLite file has one writer: a deployment stops the old task before the new one starts.
      minHealthyPercent: sqlite ? 0 : 100,
      maxPercent: sqlite ? 100 : 200,
      user: `${NODE_UID}:${NODE_UID}`,
      logRetentionDays: s.logRetentionDays,
      logKmsKeyArn: key.arn,
      environment: {
        APP_ID: String(s.appId),
        HOST: '0.0.0.0',
        PORT: String(CONTROLLER_PORT),
        GITOPS_WORK_DIR: WORK_DIR,
        GITOPS_CONCURRENCY: String(s.concurrency),
        ...wiring.environment,
      },
      secrets: { PRIVATE_KEY: this.privateKey.arn, WEBHOOK_SECRET: this.webhookSecret.arn, ...wiring.secrets },
      secretsKmsKeyArns: [key.arn],
      // /home/node: npm and git write there in plans.
      writablePaths: ['/tmp', '/home/node', ...wiring.writablePaths],
      efsVolumes: wiring.efsVolumes,
      healthCheckCommand: [
        'CMD',
        'node',
        '-e',
        `fetch('http://127.0.0.1:${CONTROLLER_PORT}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
      ],
      targetGroupArn: this.loadBalancer.targetGroupArns.controller,
      ingressSecurityGroups: { alb: this.loadBalancer.securityGroupId },
    });
    this.store.connect(this.service);

    this.alarmTopic = systemAlarmTopic(this, context, key.arn);
    this.alarms = new ControllerAlarms(this, 'monitoring', {
      alarmTopicArn: this.alarmTopic.arn,
      alsoNotifyArns: alarmReceivers(context).alsoNotifyArns,
      loadBalancer: this.loadBalancer,
      targetGroup: 'controller',
      clusterName: cluster.name,
      serviceName: this.service.name,
    });

    new TerraformOutput(this, 'webhook_url', { value: `https://${s.domain}${WEBHOOK_PATH}`, description: "The App's webhook URL" });
    new TerraformOutput(this, 'repository_url', { value: this.repository.repositoryUrl, description: 'Push the controller image here' });
    new TerraformOutput(this, 'secret_names', {
      value: { privateKey: this.privateKey.name, webhookSecret: this.webhookSecret.name },
      description: 'Put the App key and webhook secret in these (aws secretsmanager put-secret-value)',
    });
  }
}
