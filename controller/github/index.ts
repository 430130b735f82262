export * from './client.js';
export * from './trunk-commits.js';
