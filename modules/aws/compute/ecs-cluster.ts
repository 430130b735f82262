// An ECS cluster for Fargate services: Container Insights on, Fargate and Fargate Spot registered,
// and (when asked) ECS Exec sessions encrypted with a KMS key and logged to CloudWatch.
import { Construct } from 'constructs';
import { EcsCluster as AwsEcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers/index.js';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from './checks.js';

export interface ExecuteCommandLogging {
  /** Encrypts the ECS Exec session and its log group; its key policy must allow `logs.<region>.amazonaws.com`. */
  readonly kmsKeyArn: string;
  /** @default 365 */
  readonly logRetentionDays?: number;
}

export interface EcsClusterProps {
  /** Cluster name: 1-255 letters, digits, `-` and `_`. */
  readonly name: string;
  /** `enhanced` adds task- and container-level metrics (costs more). @default 'enabled' */
  readonly containerInsights?: 'enabled' | 'enhanced';
  /** Log and encrypt ECS Exec sessions (services still opt in with `enableExecuteCommand`). @default ECS Exec not configured */
  readonly executeCommandLogging?: ExecuteCommandLogging;
  /** Run services on Fargate Spot by default (interruptible, ~70% cheaper); services may still choose. @default false: on-demand Fargate */
  readonly preferSpot?: boolean;
}

export class EcsCluster extends Construct {
  public readonly cluster: AwsEcsCluster;
  public readonly arn: string;
  public readonly name: string;
  /** The capacity provider services use unless they choose one. */
  public readonly defaultCapacityProvider: 'FARGATE' | 'FARGATE_SPOT';
  /** Set when `executeCommandLogging` is given. */
  public readonly executeCommandLogGroup?: LogGroup;
  /** Set when `executeCommandLogging` is given. */
  public readonly executeCommandKmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: EcsClusterProps) {
    super(scope, id);
    const exec = props.executeCommandLogging;
    new PropProblems(this, 'EcsCluster')
      .matches('name', props.name, /^[A-Za-z0-9_-]{1,255}$/, '1-255 letters, digits, "-" or "_"')
      .oneOf('containerInsights', props.containerInsights, ['enabled', 'enhanced'])
      .matches('executeCommandLogging.kmsKeyArn', exec?.kmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
      .oneOf('executeCommandLogging.logRetentionDays', exec?.logRetentionDays, LOG_RETENTION_DAYS as readonly number[])
      .throwIfAny();

    this.defaultCapacityProvider = props.preferSpot ? 'FARGATE_SPOT' : 'FARGATE';
    if (exec) {
      this.executeCommandKmsKeyArn = exec.kmsKeyArn;
      this.executeCommandLogGroup = new LogGroup(this, 'execute-command-logs', {
        name: `/aws/ecs/${props.name}/execute-command`,
        retentionInDays: exec.logRetentionDays ?? 365,
        kmsKeyArn: exec.kmsKeyArn,
      });
    }
    this.cluster = new AwsEcsCluster(this, 'cluster', {
      name: props.name,
      setting: [{ name: 'containerInsights', value: props.containerInsights ?? 'enabled' }],
      configuration:
        exec && this.executeCommandLogGroup
          ? {
              executeCommandConfiguration: {
                kmsKeyId: exec.kmsKeyArn,
                logging: 'OVERRIDE',
                logConfiguration: { cloudWatchLogGroupName: this.executeCommandLogGroup.name, cloudWatchEncryptionEnabled: true },
              },
            }
          : undefined,
    });
    this.arn = this.cluster.arn;
    this.name = this.cluster.name;

    new EcsClusterCapacityProviders(this, 'capacity-providers', {
      clusterName: this.cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: this.defaultCapacityProvider, weight: 1, base: 0 }],
    });
  }
}
