export * from './service-bus-namespace.js';
export { durationSeconds } from './service-bus-validation.js';
