// A Fargate service in private subnets: a hardened task (see container-definition.ts), separate
// execution and task roles, a security group open only to named groups, circuit-breaker rollback,
// and target-tracking auto scaling between min and max.
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service/index.js';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { PropProblems } from '../../core/validation.js';
import { SecurityGroup, type SecurityGroupRule } from '../network/security-group.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { awsAccountContext } from '../security/account.js';
import type { ResourceAccess } from '../security/iam.js';
import { ServiceRole } from '../security/iam.js';
import { policyDocument, type PolicyStatement } from '../security/policy-document.js';
import { checkKeys, checkNoLiteralSecrets, KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from './checks.js';
import { containerDefinitions, writableVolumeName } from './container-definition.js';
import type { EcsCluster } from './ecs-cluster.js';
import { checkScaling, createScalingPolicies, type ScalingProps } from './fargate-scaling.js';
import { checkFargateSize, ecrRepositoryArn, IMAGE_REFERENCE, SECRET_REFERENCE, secretArnOf } from './fargate-validation.js';

export interface FargateServiceProps extends ScalingProps {
  /** Service name; also the task family and container name. */
  readonly name: string;
  readonly cluster: EcsCluster;
  readonly vpcId: string;
  /** Private subnets (e.g. `vpc.privateSubnetIds`): tasks never get a public IP. */
  readonly subnetIds: readonly string[];
  /** Image with a pinned tag or digest, e.g. `${repo.repositoryUrl}:1.4.2`. */
  readonly image: string;
  /**
   * ECR repositories the execution role may pull from.
   * @default derived from a literal ECR image URI; required when `image` is a token ([] for public registries)
   */
  readonly ecrRepositoryArns?: readonly string[];
  /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Task memory in MiB, within Fargate's range for `cpu`. */
  readonly memory: number;
  /** @default 8080 */
  readonly containerPort?: number;
  /** Log retention of the service's log group. */
  readonly logRetentionDays: number;
  /** @default CloudWatch Logs-owned key */
  readonly logKmsKeyArn?: string;
  /** What the application may touch (task role). @default no access */
  readonly access?: ResourceAccess;
  /** Plain configuration; secret-looking values are refused. @default none */
  readonly environment?: Record<string, string>;
  /** Variable name → Secrets Manager ARN (`arn:...:secret:<name>[:<json-key>::]`), injected at start; only these are readable by the execution role. @default none */
  readonly secrets?: Record<string, string>;
  /** KMS keys of those secrets (when customer-managed). @default none */
  readonly secretsKmsKeyArns?: readonly string[];
  /** `uid[:gid]` the container runs as; root (0 / root) is refused. @default '1000:1000' */
  readonly user?: string;
  /** Paths given a writable scratch volume (the root filesystem is read-only). @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** Container path → an EFS access point mounted there over TLS with the task role's IAM identity. @default none */
  readonly efsVolumes?: Readonly<Record<string, EfsVolume>>;
  /** @default the image's CMD */
  readonly command?: readonly string[];
  /** Container health check, e.g. `['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1']`. @default none */
  readonly healthCheckCommand?: readonly string[];
  /** Named security groups allowed to reach `containerPort`, e.g. `{ alb: alb.securityGroupId }`. @default none */
  readonly ingressSecurityGroups?: Record<string, string>;
  /** Extra outbound rules. @default HTTPS (443) to anywhere only (ECR, AWS APIs, external APIs) */
  readonly egress?: readonly SecurityGroupRule[];
  /** Register tasks with this target group (container name and port). @default no load balancer */
  readonly targetGroupArn?: string;
  /** @default 60 with a target group */
  readonly healthCheckGracePeriodSeconds?: number;
  /** @default 100 */
  readonly minHealthyPercent?: number;
  /** @default 200 */
  readonly maxPercent?: number;
  /** @default 'X86_64' */
  readonly cpuArchitecture?: 'X86_64' | 'ARM64';
  /** @default the cluster's default capacity provider */
  readonly capacityProvider?: 'FARGATE' | 'FARGATE_SPOT';
  /** Allow ECS Exec into tasks (audited by the cluster's executeCommandLogging). @default false */
  readonly enableExecuteCommand?: boolean;
}

/** An EFS file system reached through one of its access points. */
export interface EfsVolume {
  readonly fileSystemId: string;
  readonly accessPointId: string;
}

export class FargateService extends Construct {
  public readonly service: EcsService;
  public readonly name: string;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly securityGroup: SecurityGroup;
  public readonly securityGroupId: string;
  public readonly taskRole: ServiceRole;
  public readonly taskRoleArn: string;
  public readonly executionRole: ServiceRole;
  public readonly executionRoleArn: string;
  public readonly logGroup: LogGroup;
  public readonly scalingTarget: AppautoscalingTarget;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const containerPort = props.containerPort ?? 8080;
    const writablePaths = props.writablePaths ?? ['/tmp'];
    const repositories = validate(this, props, writablePaths);
    const account = awsAccountContext(this);

    this.logGroup = new LogGroup(this, 'logs', {
      name: `/ecs/${props.cluster.name}/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.logKmsKeyArn,
    });

    const secretArns = Object.values(props.secrets ?? {}).map(secretArnOf);
    this.executionRole = new ServiceRole(this, 'execution-role', {
      service: 'ecs-tasks.amazonaws.com',
      description: `Starts ${props.name} tasks: pulls its image, writes its logs, reads its named secrets`,
      access: { logGroups: [this.logGroup.arn], readSecrets: secretArns, decryptKeys: props.secretsKmsKeyArns ?? [] },
    });
    this.executionRoleArn = this.executionRole.arn;
    if (repositories.length > 0) {
      inlinePolicy(this, this.executionRole, 'ecr-pull', [
        // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
        { sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
        {
          sid: 'EcrPull',
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          resources: repositories,
        },
      ]);
    }

    this.taskRole = new ServiceRole(this, 'task-role', {
      service: 'ecs-tasks.amazonaws.com',
      description: `The ${props.name} application`,
      access: props.access,
    });
    this.taskRoleArn = this.taskRole.arn;
    if (props.enableExecuteCommand) this.allowExecuteCommand(props.cluster);

    this.taskDefinition = new EcsTaskDefinition(this, 'task', {
      family: props.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.cpuArchitecture ?? 'X86_64' },
      volume: [
        ...writablePaths.map((path) => ({ name: writableVolumeName(path) })),
        ...Object.entries(props.efsVolumes ?? {}).map(([path, efs]) => ({
          name: writableVolumeName(path),
          efsVolumeConfiguration: {
            fileSystemId: efs.fileSystemId,
            transitEncryption: 'ENABLED',
            authorizationConfig: { accessPointId: efs.accessPointId, iam: 'ENABLED' },
          },
        })),
      ],
      containerDefinitions: containerDefinitions({
        name: props.name,
        image: props.image,
        containerPort,
        user: props.user ?? '1000:1000',
        command: props.command,
        environment: props.environment ?? {},
        secrets: props.secrets ?? {},
        writablePaths: [...writablePaths, ...Object.keys(props.efsVolumes ?? {})],
        healthCheckCommand: props.healthCheckCommand,
        logGroupName: this.logGroup.name,
        region: account.region,
      }),
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      vpcId: props.vpcId,
      description: `${props.name} tasks`,
      ingress: Object.entries(props.ingressSecurityGroups ?? {}).map(([name, sg]) => ({
        name: `from-${name}`,
        description: `${name} to ${props.name}`,
        fromPort: containerPort,
        peerSecurityGroupId: sg,
      })),
      egress: [
        { name: 'https-out', description: 'HTTPS to AWS APIs and ECR', fromPort: 443, cidrIpv4: '0.0.0.0/0' },
        ...(props.egress ?? []),
      ],
      tags: { Name: props.name },
    });
    this.securityGroupId = this.securityGroup.securityGroupId;

    const hasTargetGroup = props.targetGroupArn !== undefined;
    this.service = new EcsService(this, 'service', {
      name: props.name,
      cluster: props.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: [{ capacityProvider: props.capacityProvider ?? props.cluster.defaultCapacityProvider, weight: 1, base: 0 }],
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [this.securityGroupId], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: props.minHealthyPercent ?? 100,
      deploymentMaximumPercent: props.maxPercent ?? 200,
      loadBalancer: hasTargetGroup ? [{ targetGroupArn: props.targetGroupArn, containerName: props.name, containerPort }] : undefined,
      healthCheckGracePeriodSeconds: hasTargetGroup ? (props.healthCheckGracePeriodSeconds ?? 60) : undefined,
      enableExecuteCommand: props.enableExecuteCommand ?? false,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      // Auto scaling owns the running count after creation; min/max below bound it.
      lifecycle: { ignoreChanges: ['desired_count'] },
    });
    this.name = this.service.name;

    this.scalingTarget = createScalingPolicies(this, `service/${props.cluster.name}/${this.service.name}`, props);
  }

  private allowExecuteCommand(cluster: EcsCluster): void {
    inlinePolicy(this, this.taskRole, 'execute-command', [
      // The SSM message channels have no resource-level permissions: AWS requires "*".
      {
        sid: 'EcsExecChannels',
        actions: [
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
        ],
        resources: ['*'],
      },
      ...(cluster.executeCommandLogGroup ? [{ sid: 'EcsExecFindLogGroup', actions: ['logs:DescribeLogGroups'], resources: ['*'] }] : []),
    ]);
    if (cluster.executeCommandLogGroup && cluster.executeCommandKmsKeyArn) {
      this.taskRole.grant({ logGroups: [cluster.executeCommandLogGroup.arn], decryptKeys: [cluster.executeCommandKmsKeyArn] });
    }
  }
}

/** A policy ResourceAccess cannot express (ECR pull, ECS Exec), attached beside the role's own. */
function inlinePolicy(scope: Construct, role: ServiceRole, name: string, statements: PolicyStatement[]): IamRolePolicy {
  return new IamRolePolicy(scope, name, { role: role.role.id, name, policy: policyDocument(statements) });
}

/** Validates the props and returns the ECR repository ARNs the execution role may pull from. */
function validate(scope: Construct, props: FargateServiceProps, writablePaths: readonly string[]): readonly string[] {
  const p = new PropProblems(scope, 'FargateService')
    .matches('name', props.name, /^[A-Za-z][A-Za-z0-9_-]{0,254}$/, '1-255 letters, digits, "_" or "-", starting with a letter')
    .matches('image', props.image, IMAGE_REFERENCE, 'an image with a pinned tag or digest like "<registry>/<repo>:1.2.3" (not ":latest")')
    .range('containerPort', props.containerPort, 1, 65535)
    .oneOf('logRetentionDays', props.logRetentionDays, LOG_RETENTION_DAYS as readonly number[])
    .matches('logKmsKeyArn', props.logKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .matches(
      'user',
      props.user,
      /^(?!(0|root)(:|$))[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/,
      'a non-root "uid[:gid]" like "1000:1000" (not 0 or root)',
    )
    .range('healthCheckGracePeriodSeconds', props.healthCheckGracePeriodSeconds, 0, 2147483647)
    .range('minHealthyPercent', props.minHealthyPercent, 0, 100)
    .range('maxPercent', props.maxPercent, 100, 400)
    .oneOf('cpuArchitecture', props.cpuArchitecture, ['X86_64', 'ARM64'])
    .oneOf('capacityProvider', props.capacityProvider, ['FARGATE', 'FARGATE_SPOT']);
  checkFargateSize(p, props.cpu, props.memory);
  checkScaling(p, props);
  checkKeys(p, 'ingressSecurityGroups', props.ingressSecurityGroups);
  checkNoLiteralSecrets(p, 'environment', props.environment);
  for (const [name, arn] of Object.entries(props.secrets ?? {})) {
    p.matches(
      `secrets.${name}`,
      arn,
      SECRET_REFERENCE,
      'a Secrets Manager ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>[:<json-key>::])',
    );
  }
  for (const arn of props.secretsKmsKeyArns ?? []) p.matches('secretsKmsKeyArns', arn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT);
  const clash = Object.keys(props.environment ?? {}).filter((name) => name in (props.secrets ?? {}));
  p.check(clash.length === 0, `environment and secrets both set ${clash.join(', ')} (a variable comes from one or the other)`);
  for (const path of Object.keys(props.efsVolumes ?? {})) {
    p.matches('efsVolumes', path, /^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/, 'absolute paths like "/var/lib/app"');
    p.check(!writablePaths.includes(path), `efsVolumes and writablePaths both name ${path} (a path is one volume)`, path);
  }
  for (const path of writablePaths) p.matches('writablePaths', path, /^\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$/, 'absolute paths like "/tmp"');
  p.check(
    !(props.healthCheckGracePeriodSeconds !== undefined && props.targetGroupArn === undefined),
    `healthCheckGracePeriodSeconds needs a targetGroupArn (got ${props.healthCheckGracePeriodSeconds} without one)`,
  );

  const derived = Token.isUnresolved(props.image) ? undefined : ecrRepositoryArn(props.image);
  p.check(
    props.ecrRepositoryArns !== undefined || !Token.isUnresolved(props.image),
    'ecrRepositoryArns is required when image is a token (pass [repo.arn], or [] for a public registry)',
  );
  p.throwIfAny();
  return props.ecrRepositoryArns ?? (derived ? [derived] : []);
}
