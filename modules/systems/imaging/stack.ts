// imaging (seed 001, solution 1): the "cat and hat" image app. Images live in a private S3 bucket
// served by CloudFront (origin access control) behind WAF; the Fargate front end sits behind an
// HTTPS load balancer (regional WAF) and calls Lambda REST APIs on a private API Gateway through
// the VPC's execute-api endpoint; Redis caches rendered-image links; a FIFO queue de-duplicates
// rendering requests. The DR copy (role 'dr') is the seed's "basic infrastructure" in the second
// region: the replica bucket, the same stack with the front end stopped, no CloudFront.
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { RedisReplicationGroup } from '../../aws/data/redis-replication-group.js';
import { GlobalAccelerator } from '../../aws/edge/global-accelerator.js';
import { publicHostedZone } from '../../aws/edge/hosted-zone.js';
import { S3OriginDistribution } from '../../aws/edge/s3-origin-distribution.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { alarmReceivers, awsAccountId, defaultProvider, resourcePrefix, systemAlarmTopic, systemVpc } from '../site.js';
import type { SystemContext } from '../types.js';
import { API_STAGE, ImagingBackend } from './backend.js';
import { ImagingFrontend, loadBalancerName } from './frontend.js';
import { ImagingMonitoring } from './monitoring.js';
import { CacheBackup } from './cache-backup.js';
import { ImageStorage, type ReplicatedBucketSite } from './storage.js';

export class ImagingStack extends TerraformStack {
  public readonly vpc: Vpc;
  public readonly storage: ImageStorage;
  public readonly cache: RedisReplicationGroup;
  public readonly backend: ImagingBackend;
  public readonly frontend: ImagingFrontend;
  public readonly monitoring: ImagingMonitoring;
  /** Primary only, when `cdn` is on. */
  public readonly distribution?: S3OriginDistribution;
  /** With `dr`: the cache's daily snapshot export (primary) and its replica bucket (DR copy). */
  public readonly cacheBackup?: CacheBackup;
  /** Primary only, when `globalAccelerator` is on. */
  public readonly accelerator?: GlobalAccelerator;

  constructor(scope: Construct, id: string, context: SystemContext<'imaging'>) {
    super(scope, id);
    const s = context.settings;
    const env = context.environment.name;
    const prefix = resourcePrefix(context);
    const region = context.region.aws;
    const accountId = awsAccountId(context);
    const primary = context.role === 'primary';
    // The primary replicates to the DR copy whenever the environment deploys one.
    const drRegion = primary && s.dr ? context.drRegion?.aws : undefined;
    defaultProvider(this, context);

    const key = new KmsKey(this, 'key', {
      description: `${prefix}: alarm topic, cache, API keys`,
      alias: prefix,
      servicePrincipals: ['cloudwatch.amazonaws.com', 'sns.amazonaws.com'],
    });
    const alarms = alarmReceivers(context);
    const alarmTopic = systemAlarmTopic(this, context, key.arn);
    const zone = publicHostedZone(this, 'zone', { ...s.dns.zone, comment: `${prefix}: front end and images` });

    this.vpc = systemVpc(this, context, s, { gatewayEndpoints: ['s3'], interfaceEndpoints: ['execute-api'] });
    const site: ReplicatedBucketSite = {
      environment: env,
      accountId,
      partition: awsAccountContext(this).partition,
      role: context.role,
      region,
      replicateToRegion: drRegion,
      forceDestroy: !s.deletionProtection,
    };
    this.storage = new ImageStorage(this, 'storage', {
      ...site,
      imageVersionExpiryDays: s.imageVersionExpiryDays,
      processedImageExpiryDays: s.processedImageExpiryDays,
    });
    const bucket = this.storage.bucket;

    const functionsGroup = new SecurityGroup(this, 'functions-security-group', {
      vpcId: this.vpc.vpcId,
      description: `${prefix} functions: HTTPS to AWS APIs, Redis inside the VPC`,
      egress: [{ name: 'https-out', description: 'HTTPS to S3, SQS, Secrets Manager', fromPort: 443, cidrIpv4: '0.0.0.0/0' }],
      tags: { Name: `${prefix}-functions` },
    });
    this.cache = new RedisReplicationGroup(this, 'cache', {
      name: prefix,
      vpcId: this.vpc.vpcId,
      subnetIds: this.vpc.isolatedSubnetIds,
      allowedSecurityGroups: { functions: functionsGroup.securityGroupId },
      nodeType: s.cache.nodeType,
      replicas: s.multiAz ? Math.max(1, s.cache.replicas) : s.cache.replicas,
      kmsKeyArn: key.arn,
      // Before the daily export (CACHE_BACKUP_SCHEDULE), so the copy is at most a few hours old.
      snapshotWindow: '03:00-04:00',
    });
    const toRedis = {
      name: 'redis',
      description: 'Redis link cache',
      fromPort: this.cache.port,
      peerSecurityGroupId: this.cache.securityGroupId,
    };
    functionsGroup.addEgress(toRedis);

    const cdnDomain = primary && s.cdn ? s.cdnDomain : undefined;
    this.backend = new ImagingBackend(this, 'image-api', {
      prefix,
      kmsKeyArn: key.arn,
      logRetentionDays: s.logRetentionDays,
      bucketArn: bucket.arn,
      bucketName: bucket.bucketName,
      redis: { host: this.cache.primaryEndpoint, authTokenSecretArn: this.cache.authTokenSecretArn },
      vpc: { subnetIds: this.vpc.privateSubnetIds, securityGroupIds: [functionsGroup.securityGroupId] },
      executeApiEndpointId: this.vpc.interfaceEndpointIds['execute-api']!,
      cdnDomain,
    });

    if (s.dr) {
      this.cacheBackup = new CacheBackup(this, 'cache-backup', {
        ...site,
        retentionDays: s.cacheBackupRetentionDays,
        exporter: primary
          ? {
              replicationGroupId: prefix,
              prefix,
              logRetentionDays: s.logRetentionDays,
              deadLetterQueueArn: this.backend.asyncFailures.arn,
              vpc: { subnetIds: this.vpc.privateSubnetIds, securityGroupIds: [functionsGroup.securityGroupId] },
            }
          : undefined,
      });
    }

    this.frontend = new ImagingFrontend(this, 'frontend', {
      prefix,
      accountId,
      region,
      role: context.role,
      replicateImagesTo: drRegion,
      vpc: this.vpc,
      // The DR copy keeps the service defined but stopped until a failover raises drFrontendDesiredCount.
      service: primary ? s.frontend : { ...s.frontend, desiredCount: s.drFrontendDesiredCount },
      imageTag: s.frontendImageTag,
      domain: s.domain,
      hostedZoneId: zone.zoneId,
      awaitCertificateValidation: zone.validates,
      rateLimitPer5Min: s.rateLimitPer5Min,
      logRetentionDays: s.logRetentionDays,
      deletionProtection: s.deletionProtection,
      access: { readBuckets: [bucket.arn], sendQueues: [this.backend.requests.arn] },
      environment: {
        API_URL: this.backend.api.url,
        IMAGE_BUCKET: bucket.bucketName,
        REDIS_HOST: this.cache.primaryEndpoint,
        ...(cdnDomain ? { CDN_DOMAIN: cdnDomain } : {}),
      },
      secrets: { API_KEY: this.backend.apiKeys.arn, REDIS_AUTH_TOKEN: this.cache.authTokenSecretArn },
      secretsKmsKeyArns: [key.arn],
      egress: [toRedis],
    });
    this.cache.allowFrom('frontend', this.frontend.service.securityGroupId);
    this.storage.restrictToVpcEndpoint(this.vpc.gatewayEndpointIds.s3!, [
      this.frontend.service.taskRoleArn,
      this.backend.functions.api.role.arn,
      this.backend.functions.processor.role.arn,
    ]);

    if (cdnDomain !== undefined) {
      const usEast1 = new AwsProvider(this, 'aws-us-east-1', { alias: 'us-east-1', region: 'us-east-1', allowedAccountIds: [accountId] });
      this.distribution = new S3OriginDistribution(this, 'cdn', {
        name: `${prefix}-images`,
        originBucket: bucket,
        domainNames: [cdnDomain],
        hostedZoneId: zone.zoneId,
        awaitCertificateValidation: zone.validates,
        usEast1Provider: usEast1,
        webAcl: { rateLimit: s.rateLimitPer5Min, logging: { retentionInDays: s.logRetentionDays } },
        logRetentionDays: s.logRetentionDays,
      });
    }
    if (primary) this.accelerator = this.publishFrontEnd(context, prefix, zone.zoneId, accountId);

    this.monitoring = new ImagingMonitoring(this, 'monitoring', {
      prefix,
      alarmTopicArn: alarmTopic.arn,
      alsoNotifyArns: alarms.alsoNotifyArns,
      requests: this.backend.requests,
      asyncFailuresQueueName: this.backend.asyncFailures.name,
      functions: { ...this.backend.functions, ...(this.cacheBackup?.exporter ? { 'cache-backup': this.cacheBackup.exporter } : {}) },
      api: { name: this.backend.apiName, stage: API_STAGE, accessLogGroupName: this.backend.api.logGroup.name },
      loadBalancerArnSuffix: this.frontend.loadBalancer.arnSuffix,
      ecs: {
        clusterName: this.frontend.cluster.name,
        serviceName: this.frontend.service.name,
        logGroupName: this.frontend.service.logGroup.name,
      },
    });
  }

  /**
   * Points the front end's name at the accelerator or, without one, straight at the load balancer.
   * The DR endpoint group is dialled to 100 % but receives nothing while the DR service runs no
   * tasks (an ALB without healthy targets is an unhealthy endpoint): failing over is then one
   * change to the DR stack alone (drFrontendDesiredCount), which still applies when this region is down.
   */
  private publishFrontEnd(
    context: SystemContext<'imaging'>,
    prefix: string,
    zoneId: string,
    accountId: string,
  ): GlobalAccelerator | undefined {
    const s = context.settings;
    const alb = this.frontend.loadBalancer;
    let target = { name: alb.dnsName, zoneId: alb.zoneId };
    let accelerator: GlobalAccelerator | undefined;
    if (s.globalAccelerator) {
      const endpointGroups: Record<string, { albArns: string[]; trafficDialPercentage?: number }> = {
        [context.region.aws]: { albArns: [alb.arn] },
      };
      if (s.dr && context.drRegion) {
        // The DR stack is applied first (it also holds the replication destination), so its
        // load balancer exists when this looks it up by its predictable name.
        const dr = new AwsProvider(this, 'aws-dr', { alias: 'dr', region: context.drRegion.aws, allowedAccountIds: [accountId] });
        const drLoadBalancer = new DataAwsLb(this, 'dr-load-balancer', { provider: dr, name: loadBalancerName(`${prefix}-dr`) });
        endpointGroups[context.drRegion.aws] = { albArns: [drLoadBalancer.arn] };
      }
      accelerator = new GlobalAccelerator(this, 'accelerator', { name: prefix, endpointGroups });
      target = { name: accelerator.dnsName, zoneId: accelerator.hostedZoneId };
    }
    new Route53Record(this, 'frontend-alias', {
      zoneId,
      name: s.domain,
      type: 'A',
      alias: { name: target.name, zoneId: target.zoneId, evaluateTargetHealth: true },
    });
    return accelerator;
  }
}
