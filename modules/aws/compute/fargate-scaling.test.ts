import { onlyResource, resourcesOf, synth } from '../../../test/modules/synth.js';
import { fargateService as build } from '../../../test/modules/fargate-service.js';

describe('Fargate service scaling', () => {
  test('GIVEN desiredCount 2 WHEN synthesized THEN it scales 2-4 tasks on 60% CPU only', () => {
    const s = synth(build());
    expect(onlyResource(s, 'aws_appautoscaling_target')).toMatchObject({
      min_capacity: 2,
      max_capacity: 4,
      scalable_dimension: 'ecs:service:DesiredCount',
      service_namespace: 'ecs',
    });
    expect(onlyResource(s, 'aws_appautoscaling_target').resource_id).toMatch(
      /^service\/\$\{aws_ecs_cluster\..*\.name\}\/\$\{aws_ecs_service\..*\.name\}$/,
    );
    const policy = onlyResource(s, 'aws_appautoscaling_policy');
    expect(policy.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 60,
      predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' },
    });
  });

  test('GIVEN min/max, memory and request-count targets WHEN synthesized THEN three policies track them', () => {
    const s = synth(
      build({
        minCount: 1,
        maxCount: 10,
        cpuTargetPercent: 70,
        memoryTargetPercent: 80,
        requestCountScaling: { resourceLabel: 'app/a/1/targetgroup/b/2', requestsPerTarget: 500 },
      }),
    );
    expect(onlyResource(s, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 1, max_capacity: 10 });
    const policies = Object.values(resourcesOf(s, 'aws_appautoscaling_policy')).map((p) => {
      const config = p.target_tracking_scaling_policy_configuration as {
        target_value: number;
        predefined_metric_specification: Record<string, string>;
      };
      return [
        p.name,
        config.target_value,
        config.predefined_metric_specification.predefined_metric_type,
        config.predefined_metric_specification.resource_label,
      ];
    });
    expect(policies).toEqual([
      ['cpu', 70, 'ECSServiceAverageCPUUtilization', undefined],
      ['memory', 80, 'ECSServiceAverageMemoryUtilization', undefined],
      ['requests', 500, 'ALBRequestCountPerTarget', 'app/a/1/targetgroup/b/2'],
    ]);
  });

  test('GIVEN desiredCount 0 and a maxCount WHEN synthesized THEN the service is parked at 0-0 tasks', () => {
    const s = synth(build({ desiredCount: 0, maxCount: 4 }));
    expect(onlyResource(s, 'aws_ecs_service').desired_count).toBe(0);
    expect(onlyResource(s, 'aws_appautoscaling_target')).toMatchObject({ min_capacity: 0, max_capacity: 0 });
  });
});
