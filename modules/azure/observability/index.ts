export * from './log-analytics-workspace.js';
export * from './application-insights.js';
export * from './diagnostic-setting.js';
export * from './action-group.js';
export * from './metric-alerts.js';
