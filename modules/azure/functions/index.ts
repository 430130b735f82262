export * from './app-settings.js';
export * from './key-vault.js';
export * from './function-plan.js';
export * from './runtimes.js';
export * from './function-app.js';
export * from './function-app-package.js';
