export * from './azure.js';
export * from './azure-names.js';
export * from './azure-services.js';
