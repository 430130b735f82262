export * from './ecr-repository.js';
export * from './ecs-cluster.js';
export * from './fargate-service.js';
export type { RequestCountScaling, ScalingProps } from './fargate-scaling.js';
export * from './load-balancer.js';
export { literalSecretProblems } from './checks.js';
