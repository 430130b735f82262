import { AFTER_ACCOUNT, type SystemDefinition } from '../types.js';
import { CommerceStack } from './stack.js';

export * from './azure.js';
export * from './azure-names.js';
export * from './azure-services.js';
export { CommerceAws, type AzurePeer, type CommerceAwsProps } from './aws.js';
export { COMMERCE_BUCKETS, COMMERCE_TABLES, COMMERCE_TABLE_NAMES } from './aws-data.js';
export { CHANGE_CAPTURE, COMMERCE_SERVICES, SERVICE_SPECS } from './aws-services.js';
export { BLOB_BACKUP, CommerceOps, LOG_FORWARDER, type CommerceOpsProps } from './aws-ops.js';
export { CommerceStack } from './stack.js';

/** Multi-cloud (AWS + Azure in one stack per site); registered as `aws` because the app's SystemDefinition knows no `multi`. */
export const commerceSystem: SystemDefinition<'commerce'> = {
  name: 'commerce',
  cloud: 'aws',
  cidrIndex: 4,
  after: {
    primary: [AFTER_ACCOUNT],
    // The primary's global tables create the DR replicas and their key; the DR copy looks both up, and
    // replicates the primary's buckets (which must exist) into its own.
    dr: [
      AFTER_ACCOUNT,
      {
        system: 'commerce',
        site: 'primary',
        reason:
          "the DynamoDB replicas of the primary's global tables (data aws_dynamodb_table), their key's alias (data aws_kms_alias), the primary's buckets, replicated from, and, with a SQL failover group, the primary's SQL server, databases, private-endpoint subnet and SQL private DNS zone (data azurerm_mssql_server / _database / _subnet / _private_dns_zone)",
      },
    ],
  },
  create: (scope, id, context) => new CommerceStack(scope, id, context),
};
