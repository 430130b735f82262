// The three application tiers on ECS Fargate, each with its own ECR repository, task definition,
// security group, load balancer and auto scaling:
//   users ⇔ FE (Dash)     internet-facing ALB at <domain>
//   FE    ⇔ BE (FastAPI)  internal ALB at backend.<domain> (the farm's sync service reaches it over the VPN)
//   BE    ⇔ ML model      internal ALB at ml.<domain>
// Internal ALBs rather than service discovery between BE and ML: TLS to the ML service, health
// checks that take bad tasks out, and request-count scaling, with the same construct as the other tiers.
import { Construct } from 'constructs';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';
import { EcrRepository } from '../../aws/compute/ecr-repository.js';
import { EcsCluster } from '../../aws/compute/ecs-cluster.js';
import { FargateService } from '../../aws/compute/fargate-service.js';
import type { SecureBucket } from '../../aws/data/s3-bucket.js';
import type { ServiceSettings } from '../settings.js';

export const TIER_KEYS = ['frontend', 'backend', 'ml'] as const;
export type TierKey = (typeof TIER_KEYS)[number];

interface TierSpec {
  /** Container port (the seed's docker-compose ports for FE and BE). */
  readonly port: number;
  readonly healthCheckPath: string;
  /** Requests per task per minute the ALB scaling policy aims for. */
  readonly requestsPerTarget: number;
}
export const TIERS: Record<TierKey, TierSpec> = {
  frontend: { port: 8050, healthCheckPath: '/', requestsPerTarget: 600 },
  backend: { port: 8000, healthCheckPath: '/health', requestsPerTarget: 600 },
  // Model inference is the expensive call: scale out earlier.
  ml: { port: 8080, healthCheckPath: '/health', requestsPerTarget: 120 },
};

export interface AgriTiersProps {
  readonly prefix: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: readonly string[];
  readonly privateSubnetIds: readonly string[];
  /** Covers `<domain>` and `*.<domain>`. */
  readonly certificateArn: string;
  readonly settings: Record<TierKey, ServiceSettings>;
  readonly imageTag: string;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  readonly deletionProtection: boolean;
  /** Shared bucket for the three load balancers' access logs. */
  readonly accessLogsBucket: SecureBucket;
  /** Networks besides the FE that may call the BE (the farm's CIDR over the VPN). @default none */
  readonly backendClientCidrs?: Record<string, string>;
  /** Per tier: plain configuration added to the endpoints wired here. */
  readonly environment: Record<TierKey, Record<string, string>>;
}

export class AgriTiers extends Construct {
  public readonly cluster: EcsCluster;
  public readonly repositories = {} as Record<TierKey, EcrRepository>;
  public readonly loadBalancers = {} as Record<TierKey, ApplicationLoadBalancer>;
  public readonly services = {} as Record<TierKey, FargateService>;
  /** Host names of the internal tiers. */
  public readonly backendHost: string;
  public readonly mlHost: string;

  constructor(scope: Construct, id: string, props: AgriTiersProps) {
    super(scope, id);
    this.backendHost = `backend.${props.domain}`;
    this.mlHost = `ml.${props.domain}`;
    this.cluster = new EcsCluster(this, 'cluster', {
      name: props.prefix,
      executeCommandLogging: { kmsKeyArn: props.kmsKeyArn, logRetentionDays: props.logRetentionDays },
    });

    // Built user-side first: each tier's load balancer admits the security group of the tier in front.
    const frontend = this.tier(
      props,
      'frontend',
      { internetFacing: true, ingressCidrs: { internet: '0.0.0.0/0' } },
      {
        API_URL: `https://${this.backendHost}`,
      },
    );
    const backend = this.tier(
      props,
      'backend',
      { ingressSecurityGroups: { frontend: frontend.securityGroupId }, ingressCidrs: props.backendClientCidrs },
      { ML_URL: `https://${this.mlHost}` },
    );
    this.tier(props, 'ml', { ingressSecurityGroups: { backend: backend.securityGroupId } }, {});

    for (const [tier, host] of [
      ['backend', this.backendHost],
      ['ml', this.mlHost],
    ] as const) {
      const alb = this.loadBalancers[tier];
      new Route53Record(this, `${tier}-record`, {
        zoneId: props.hostedZoneId,
        name: host,
        type: 'A',
        alias: { name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true },
      });
    }
  }

  private tier(
    props: AgriTiersProps,
    key: TierKey,
    exposure: { internetFacing?: boolean; ingressCidrs?: Record<string, string>; ingressSecurityGroups?: Record<string, string> },
    endpoints: Record<string, string>,
  ): FargateService {
    const spec = TIERS[key];
    const settings = props.settings[key];
    const repository = new EcrRepository(this, `${key}-repository`, {
      name: `${props.prefix}/${key}`,
      forceDelete: !props.deletionProtection,
    });
    this.repositories[key] = repository;
    const alb = new ApplicationLoadBalancer(this, `${key}-alb`, {
      name: `${props.prefix}-${key}`,
      vpcId: props.vpcId,
      vpcCidr: props.vpcCidr,
      subnetIds: exposure.internetFacing ? props.publicSubnetIds : props.privateSubnetIds,
      internetFacing: exposure.internetFacing,
      certificateArn: props.certificateArn,
      ingressCidrs: exposure.ingressCidrs,
      ingressSecurityGroups: exposure.ingressSecurityGroups,
      deletionProtection: props.deletionProtection,
      accessLogs: { bucket: props.accessLogsBucket, prefix: key },
      targetGroups: { [key]: { port: spec.port, healthCheck: { path: spec.healthCheckPath } } },
      defaultTargetGroup: key,
    });
    this.loadBalancers[key] = alb;
    const service = new FargateService(this, key, {
      name: `${props.prefix}-${key}`,
      cluster: this.cluster,
      vpcId: props.vpcId,
      subnetIds: props.privateSubnetIds,
      image: `${repository.repositoryUrl}:${props.imageTag}`,
      ecrRepositoryArns: [repository.arn],
      cpu: settings.cpu,
      memory: settings.memory,
      containerPort: spec.port,
      desiredCount: settings.desiredCount,
      maxCount: settings.maxCount,
      logRetentionDays: props.logRetentionDays,
      logKmsKeyArn: props.kmsKeyArn,
      environment: { ...endpoints, ...props.environment[key] },
      targetGroupArn: alb.targetGroupArns[key],
      ingressSecurityGroups: { alb: alb.securityGroupId },
      requestCountScaling: { resourceLabel: alb.requestCountResourceLabel(key), requestsPerTarget: spec.requestsPerTarget },
    });
    this.services[key] = service;
    return service;
  }
}
