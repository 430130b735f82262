// The four payments services on ECS Fargate: web server, external API, internal API and the
// payment-processor integration. Each has its own ECR repository, task definition, security group
// and auto scaling. The request-serving services sit behind internal NLBs with TLS listeners (the
// regional certificate of `services.<domain>`) that API Gateway reaches through VPC links: web and
// the external API behind the public API's NLB, the internal API alone behind its own NLB that only
// the private API reaches. The processor takes work only from SQS and calls the external processor
// out through the NAT gateways, so nothing can call it.
import { Construct } from 'constructs';
import { EcrRepository } from '../../aws/compute/ecr-repository.js';
import { EcsCluster } from '../../aws/compute/ecs-cluster.js';
import { FargateService } from '../../aws/compute/fargate-service.js';
import { NetworkLoadBalancer } from '../../aws/compute/network-load-balancer.js';
import type { ResourceAccess } from '../../aws/security/iam.js';
import type { ServiceSettings } from '../settings.js';

/** The settings keys of the four services, which also key their constructs. */
export const SERVICE_KEYS = ['web', 'externalApi', 'internalApi', 'processor'] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];
/** The services API Gateway routes to, and their NLB listener ports. */
export const EXPOSED_PORTS = { web: 8081, externalApi: 8082, internalApi: 8083 } as const;
export type ExposedService = keyof typeof EXPOSED_PORTS;
/** Which NLB each routed service sits behind: the public API's, or the internal API's own. */
export const NLB_OF: Record<ExposedService, NlbKey> = { web: 'public', externalApi: 'public', internalApi: 'internal' };
export type NlbKey = 'public' | 'internal';
export const CONTAINER_PORT = 8080;

/** `externalApi` → `external-api`: names of AWS resources and construct ids. */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export interface ServiceWiring {
  /** What the task role may touch (queues, keys). */
  readonly access: ResourceAccess;
  /** Plain configuration (endpoints, queue URLs). */
  readonly environment: Record<string, string>;
  /** Variable → Secrets Manager ARN, injected at start. */
  readonly secrets: Record<string, string>;
}

export interface PaymentsServicesProps {
  /** `payments-<env>[-dr]`. */
  readonly prefix: string;
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  /** ACM certificate of the NLBs' TLS listeners (the name API Gateway's https integrations verify). */
  readonly tlsCertificateArn: string;
  readonly settings: Record<ServiceKey, ServiceSettings>;
  readonly imageTag: string;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  readonly deletionProtection: boolean;
  /** Per service: its access, configuration and secrets. */
  readonly wiring: Record<ServiceKey, ServiceWiring>;
}

export class PaymentsServices extends Construct {
  public readonly cluster: EcsCluster;
  public readonly repositories = {} as Record<ServiceKey, EcrRepository>;
  public readonly services = {} as Record<ServiceKey, FargateService>;
  /** `public`: web and the external API (the public API's VPC link); `internal`: the internal API only. */
  public readonly loadBalancers = {} as Record<NlbKey, NetworkLoadBalancer>;

  constructor(scope: Construct, id: string, props: PaymentsServicesProps) {
    super(scope, id);
    this.cluster = new EcsCluster(this, 'cluster', {
      name: props.prefix,
      executeCommandLogging: { kmsKeyArn: props.kmsKeyArn, logRetentionDays: props.logRetentionDays },
    });

    const exposed = Object.keys(EXPOSED_PORTS) as ExposedService[];
    for (const nlb of ['public', 'internal'] as const) {
      const behind = exposed.filter((key) => NLB_OF[key] === nlb);
      this.loadBalancers[nlb] = new NetworkLoadBalancer(this, nlb === 'public' ? 'nlb' : 'internal-nlb', {
        name: nlb === 'public' ? `${props.prefix}-nlb` : `${props.prefix}-internal-nlb`,
        vpcId: props.vpcId,
        subnetIds: props.privateSubnetIds,
        deletionProtection: props.deletionProtection,
        // Both write to the first one's bucket (which keeps logs the environment's retention), each under its own name.
        ...(nlb === 'public'
          ? { accessLogRetentionDays: props.logRetentionDays }
          : { accessLogs: { bucket: this.loadBalancers.public.accessLogsBucket } }),
        targetGroups: Object.fromEntries(
          behind.map((key) => [
            kebab(key),
            { port: CONTAINER_PORT, healthCheck: { protocol: 'HTTP', path: '/health' }, deregistrationDelaySeconds: 30 },
          ]),
        ),
        listeners: Object.fromEntries(
          behind.map((key) => [kebab(key), { port: EXPOSED_PORTS[key], targetGroup: kebab(key), certificateArn: props.tlsCertificateArn }]),
        ),
      });
    }

    for (const key of SERVICE_KEYS) {
      const name = kebab(key);
      const settings = props.settings[key];
      const wiring = props.wiring[key];
      const repository = new EcrRepository(this, `${name}-repository`, {
        name: `${props.prefix}/${name}`,
        forceDelete: !props.deletionProtection,
      });
      this.repositories[key] = repository;
      const isExposed = key in EXPOSED_PORTS;
      const service = new FargateService(this, name, {
        name: `${props.prefix}-${name}`,
        cluster: this.cluster,
        vpcId: props.vpcId,
        subnetIds: props.privateSubnetIds,
        image: `${repository.repositoryUrl}:${props.imageTag}`,
        ecrRepositoryArns: [repository.arn],
        cpu: settings.cpu,
        memory: settings.memory,
        containerPort: CONTAINER_PORT,
        desiredCount: settings.desiredCount,
        maxCount: settings.maxCount,
        logRetentionDays: props.logRetentionDays,
        logKmsKeyArn: props.kmsKeyArn,
        access: wiring.access,
        environment: wiring.environment,
        secrets: wiring.secrets,
        secretsKmsKeyArns: [props.kmsKeyArn],
        targetGroupArn: isExposed ? this.loadBalancers[NLB_OF[key as ExposedService]].targetGroupArns[name] : undefined,
      });
      if (isExposed) {
        // Client IP preservation is off for IP targets behind a TLS NLB, so requests and health checks
        // arrive from the NLB: the task admits the NLB's security group only, and the NLB (whose group
        // lets in only its VPC link's PrivateLink traffic) reaches its own services and nothing else.
        // TLS ends at the NLB: the service images serve plain HTTP on the container port.
        this.loadBalancers[NLB_OF[key as ExposedService]].allowToTargets(name, service.securityGroup, CONTAINER_PORT);
      }
      this.services[key] = service;
    }
  }
}
