export * from './security-group.js';
export * from './flow-log.js';
export * from './network-acls.js';
export * from './vpc-endpoints.js';
export * from './vpc.js';
