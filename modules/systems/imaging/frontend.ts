// The front end of solution 1: an ECS Fargate service in private subnets behind an internet-facing
// ALB (HTTPS only, regional WAF with managed rules and the per-IP rate limit). Its image lives in
// ECR; the primary replicates the repository to the DR region (seed: "sync docker images").
import { Construct } from 'constructs';
import { EcrReplicationConfiguration } from '@cdktf/provider-aws/lib/ecr-replication-configuration/index.js';
import { ApplicationLoadBalancer } from '../../aws/compute/application-load-balancer.js';
import { EcrRepository } from '../../aws/compute/ecr-repository.js';
import { EcsCluster } from '../../aws/compute/ecs-cluster.js';
import { FargateService } from '../../aws/compute/fargate-service.js';
import type { SecurityGroupRule } from '../../aws/network/security-group.js';
import type { Vpc } from '../../aws/network/vpc.js';
import { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import type { ResourceAccess } from '../../aws/security/iam.js';
import type { ServiceSettings } from '../settings.js';

/** Repository of the front-end image (one per account; each environment has its own account). */
export const FRONTEND_REPOSITORY = 'imaging/frontend';
const CONTAINER_PORT = 8080;

export interface ImagingFrontendProps {
  readonly prefix: string;
  readonly accountId: string;
  readonly region: string;
  /** The primary owns the repository (and replicates it here); the DR copy pulls its replica. */
  readonly role: 'primary' | 'dr';
  /** Replicate the repository to this region. @default no replication */
  readonly replicateImagesTo?: string;
  readonly vpc: Vpc;
  readonly service: ServiceSettings;
  readonly imageTag: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  /** Wait for the front end's certificate to be issued (false while the zone is not yet delegated). @default true */
  readonly awaitCertificateValidation?: boolean;
  readonly rateLimitPer5Min: number;
  readonly logRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly access: ResourceAccess;
  readonly environment: Record<string, string>;
  /** Variable → Secrets Manager ARN, injected at task start. */
  readonly secrets: Record<string, string>;
  readonly secretsKmsKeyArns: readonly string[];
  readonly egress: readonly SecurityGroupRule[];
}

/** The load balancer's name: the DR copy's is predictable, so Global Accelerator can find it. */
export function loadBalancerName(prefix: string): string {
  return `${prefix}-fe`;
}

export class ImagingFrontend extends Construct {
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: ApplicationLoadBalancer;
  public readonly webAcl: WebAcl;
  public readonly service: FargateService;
  /** Set in the primary. */
  public readonly repository?: EcrRepository;

  constructor(scope: Construct, id: string, props: ImagingFrontendProps) {
    super(scope, id);
    const { prefix } = props;
    let image = `${props.accountId}.dkr.ecr.${props.region}.amazonaws.com/${FRONTEND_REPOSITORY}:${props.imageTag}`;
    let ecrRepositoryArns: string[] | undefined;
    if (props.role === 'primary') {
      this.repository = new EcrRepository(this, 'repository', { name: FRONTEND_REPOSITORY, forceDelete: !props.deletionProtection });
      image = `${this.repository.repositoryUrl}:${props.imageTag}`;
      ecrRepositoryArns = [this.repository.arn];
      if (props.replicateImagesTo !== undefined) {
        // Registry-wide setting (one per account and region): it replicates only imaging/ repositories.
        new EcrReplicationConfiguration(this, 'image-replication', {
          replicationConfiguration: {
            rule: [
              {
                destination: [{ region: props.replicateImagesTo, registryId: props.accountId }],
                repositoryFilter: [{ filter: 'imaging', filterType: 'PREFIX_MATCH' }],
              },
            ],
          },
        });
      }
    }

    const certificate = new DnsValidatedCertificate(this, 'certificate', {
      domainName: props.domain,
      hostedZoneId: props.hostedZoneId,
      awaitValidation: props.awaitCertificateValidation,
    });
    this.loadBalancer = new ApplicationLoadBalancer(this, 'load-balancer', {
      name: loadBalancerName(prefix),
      vpcId: props.vpc.vpcId,
      vpcCidr: props.vpc.cidr,
      subnetIds: props.vpc.publicSubnetIds,
      internetFacing: true,
      certificateArn: certificate.arn,
      ingressCidrs: { internet: '0.0.0.0/0' },
      deletionProtection: props.deletionProtection,
      accessLogRetentionDays: props.logRetentionDays,
      targetGroups: { frontend: { port: CONTAINER_PORT, healthCheck: { path: '/health' } } },
      defaultTargetGroup: 'frontend',
    });
    this.webAcl = new WebAcl(this, 'web-acl', {
      scope: 'REGIONAL',
      name: `${prefix}-frontend`,
      rateLimit: props.rateLimitPer5Min,
      logging: { retentionInDays: props.logRetentionDays },
    });
    this.webAcl.associate('load-balancer', this.loadBalancer.arn);

    this.cluster = new EcsCluster(this, 'cluster', { name: prefix });
    this.service = new FargateService(this, 'service', {
      name: `${prefix}-frontend`,
      cluster: this.cluster,
      vpcId: props.vpc.vpcId,
      subnetIds: props.vpc.privateSubnetIds,
      image,
      ecrRepositoryArns,
      cpu: props.service.cpu,
      memory: props.service.memory,
      containerPort: CONTAINER_PORT,
      desiredCount: props.service.desiredCount,
      maxCount: props.service.maxCount,
      logRetentionDays: props.logRetentionDays,
      access: props.access,
      environment: props.environment,
      secrets: props.secrets,
      secretsKmsKeyArns: props.secretsKmsKeyArns,
      ingressSecurityGroups: { alb: this.loadBalancer.securityGroupId },
      egress: props.egress,
      targetGroupArn: this.loadBalancer.targetGroupArns.frontend,
    });
  }
}
