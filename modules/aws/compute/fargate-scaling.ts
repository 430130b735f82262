// Application Auto Scaling for a Fargate service: a scalable target between min and max tasks and
// target-tracking policies on CPU (always), memory and ALB requests per target (when asked).
import { Construct } from 'constructs';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target/index.js';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy/index.js';
import type { PropProblems } from '../../core/validation.js';

export interface RequestCountScaling {
  /** `alb.requestCountResourceLabel('<target group>')`. */
  readonly resourceLabel: string;
  /** Requests per task per minute to aim for. */
  readonly requestsPerTarget: number;
}

export interface ScalingProps {
  /** Tasks at creation; 0 parks the service (min and max capacity become 0 whatever maxCount says). */
  readonly desiredCount: number;
  /** @default desiredCount */
  readonly minCount?: number;
  /** @default 2 × desiredCount */
  readonly maxCount?: number;
  /** Average CPU utilisation to aim for. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Average memory utilisation to aim for. @default no memory policy */
  readonly memoryTargetPercent?: number;
  /** @default no request-count policy */
  readonly requestCountScaling?: RequestCountScaling;
}

/** The [min, max] capacity of the scalable target. */
export function capacityRange(props: ScalingProps): [number, number] {
  if (props.desiredCount === 0) return [0, 0];
  return [props.minCount ?? props.desiredCount, props.maxCount ?? 2 * props.desiredCount];
}

export function checkScaling(p: PropProblems, props: ScalingProps): void {
  p.range('desiredCount', props.desiredCount, 0, 1000)
    .range('minCount', props.minCount, 0, 1000)
    .range('maxCount', props.maxCount, 0, 1000)
    .range('cpuTargetPercent', props.cpuTargetPercent, 10, 95)
    .range('memoryTargetPercent', props.memoryTargetPercent, 10, 95)
    .range('requestCountScaling.requestsPerTarget', props.requestCountScaling?.requestsPerTarget, 1, 1000000);
  if (props.desiredCount === 0) {
    p.check((props.minCount ?? 0) === 0, `minCount must be 0 when desiredCount is 0 (got minCount ${props.minCount})`);
    return;
  }
  const [min, max] = capacityRange(props);
  p.check(
    min <= props.desiredCount && props.desiredCount <= max,
    `counts must satisfy minCount <= desiredCount <= maxCount (got ${min} <= ${props.desiredCount} <= ${max})`,
  );
}

const SCALE_IN_COOLDOWN = 300;
const SCALE_OUT_COOLDOWN = 60;

/** Creates the scalable target (construct id `scaling-target`) and its policies. */
export function createScalingPolicies(scope: Construct, resourceId: string, props: ScalingProps): AppautoscalingTarget {
  const [minCapacity, maxCapacity] = capacityRange(props);
  const target = new AppautoscalingTarget(scope, 'scaling-target', {
    serviceNamespace: 'ecs',
    scalableDimension: 'ecs:service:DesiredCount',
    resourceId,
    minCapacity,
    maxCapacity,
  });
  const policy = (name: string, targetValue: number, predefinedMetricType: string, resourceLabel?: string) =>
    new AppautoscalingPolicy(scope, `scale-on-${name}`, {
      name,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue,
        predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
        scaleInCooldown: SCALE_IN_COOLDOWN,
        scaleOutCooldown: SCALE_OUT_COOLDOWN,
      },
    });
  policy('cpu', props.cpuTargetPercent ?? 60, 'ECSServiceAverageCPUUtilization');
  if (props.memoryTargetPercent !== undefined) policy('memory', props.memoryTargetPercent, 'ECSServiceAverageMemoryUtilization');
  if (props.requestCountScaling) {
    policy('requests', props.requestCountScaling.requestsPerTarget, 'ALBRequestCountPerTarget', props.requestCountScaling.resourceLabel);
  }
  return target;
}
