// For the Fargate tests: a FargateService (and its cluster) with the props every test starts from.
import type { Construct } from 'constructs';
import { EcsCluster } from '../../modules/aws/compute/ecs-cluster.js';
import { FargateService, type FargateServiceProps } from '../../modules/aws/compute/fargate-service.js';

export const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/payments/web:1.4.2';

/** What `synth` builds: cluster `payments` and service `web` (two tasks of 256 CPU / 512 MB) with `overrides` applied. */
export function fargateService(
  overrides: Partial<FargateServiceProps> = {},
  clusterProps: Partial<ConstructorParameters<typeof EcsCluster>[2]> = {},
) {
  return (scope: Construct) => {
    const cluster = new EcsCluster(scope, 'cluster', { name: 'payments', ...clusterProps });
    new FargateService(scope, 'web', {
      name: 'web',
      cluster,
      vpcId: 'vpc-123',
      subnetIds: ['subnet-a', 'subnet-b'],
      image: IMAGE,
      cpu: 256,
      memory: 512,
      desiredCount: 2,
      logRetentionDays: 30,
      ...overrides,
    });
  };
}
