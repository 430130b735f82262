// The load balancers, under the file name the module contracts fix.
export * from './application-load-balancer.js';
export * from './network-load-balancer.js';
export type { AccessLogsDestination, HealthCheck, TargetGroupSpec } from './load-balancer-parts.js';
