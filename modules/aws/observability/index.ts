export * from './log-group.js';
export * from './alarm-base.js';
export * from './alarms.js';
export * from './dashboard.js';
