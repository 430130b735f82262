export * from './storage-account.js';
export * from './sql-database.js';
export * from './sql-server.js';
export * from './redis-cache.js';
