export * from './site-to-site-vpn.js';
export * from './failover-record.js';
export { HEALTH_CHECK_REGIONS } from './failover-record-validation.js';
