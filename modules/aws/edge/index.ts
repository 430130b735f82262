export * from './certificate.js';
export * from './web-acl.js';
export * from './security-headers-policy.js';
export * from './s3-origin-distribution.js';
export * from './global-accelerator.js';
export { CLOUDFRONT_REGION } from './us-east-1.js';
export * from './hosted-zone.js';
