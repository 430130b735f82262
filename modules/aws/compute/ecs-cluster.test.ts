import { EcsCluster as AwsEcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster/index.js';
import { Testing } from 'cdktf';
import { EcsCluster } from './ecs-cluster.js';
import { onlyResource, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('EcsCluster', () => {
  test('GIVEN only a name WHEN synthesized THEN Container Insights is enabled and ECS Exec is not configured', () => {
    const out = Testing.synthScope((scope) => new EcsCluster(scope, 'cluster', { name: 'payments' }));
    expect(out).toHaveResourceWithProperties(AwsEcsCluster, {
      name: 'payments',
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    const s = JSON.parse(out);
    expect(onlyResource(s, 'aws_ecs_cluster').configuration).toBeUndefined();
    expect(resourcesOf(s, 'aws_cloudwatch_log_group')).toEqual({});
  });

  test('GIVEN no preferSpot WHEN synthesized THEN Fargate and Fargate Spot are registered with on-demand as the default', () => {
    const providers = onlyResource(
      synth((scope) => new EcsCluster(scope, 'cluster', { name: 'payments' })),
      'aws_ecs_cluster_capacity_providers',
    );
    expect(providers.capacity_providers).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(providers.default_capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', weight: 1, base: 0 }]);
  });

  test('GIVEN preferSpot and enhanced insights WHEN synthesized THEN Spot is the default and insights are enhanced', () => {
    const s = synth((scope) => new EcsCluster(scope, 'cluster', { name: 'batch', preferSpot: true, containerInsights: 'enhanced' }));
    expect(onlyResource(s, 'aws_ecs_cluster_capacity_providers').default_capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE_SPOT', weight: 1, base: 0 },
    ]);
    expect(onlyResource(s, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
  });

  test('GIVEN executeCommandLogging WHEN synthesized THEN sessions are KMS-encrypted and logged to an encrypted log group with retention', () => {
    const s = synth(
      (scope) => new EcsCluster(scope, 'cluster', { name: 'payments', executeCommandLogging: { kmsKeyArn: KEY, logRetentionDays: 90 } }),
    );
    const group = onlyResource(s, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/ecs/payments/execute-command', retention_in_days: 90, kms_key_id: KEY });
    const exec = (onlyResource(s, 'aws_ecs_cluster').configuration as { execute_command_configuration: Record<string, unknown> })
      .execute_command_configuration;
    expect(exec).toMatchObject({ kms_key_id: KEY, logging: 'OVERRIDE', log_configuration: { cloud_watch_encryption_enabled: true } });
    expect((exec.log_configuration as Record<string, string>).cloud_watch_log_group_name).toMatch(/aws_cloudwatch_log_group\..*\.name/);
  });

  test('GIVEN executeCommandLogging without retention WHEN synthesized THEN its logs are kept 365 days', () => {
    const s = synth((scope) => new EcsCluster(scope, 'cluster', { name: 'payments', executeCommandLogging: { kmsKeyArn: KEY } }));
    expect(onlyResource(s, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test('GIVEN bad name, insights mode, key and retention WHEN constructed THEN one error lists all four with values and allowed values', () => {
    expect(
      () =>
        new EcsCluster(stack(), 'cluster', {
          name: 'pay ments',
          containerInsights: 'disabled' as 'enabled',
          executeCommandLogging: { kmsKeyArn: 'alias/ecs', logRetentionDays: 10 },
        }),
    ).toThrow(
      'EcsCluster test/cluster: name must be 1-255 letters, digits, "-" or "_" (got "pay ments"); ' +
        'containerInsights must be one of "enabled", "enhanced" (got "disabled"); ' +
        'executeCommandLogging.kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "alias/ecs"); ' +
        'executeCommandLogging.logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10)',
    );
  });
});
