export * from './policy-statement.js';
export * from './bucket-replication.js';
export * from './s3-bucket.js';
export * from './client-security-group.js';
export * from './postgres-database.js';
export * from './redis-replication-group.js';
export * from './dynamodb-table.js';
