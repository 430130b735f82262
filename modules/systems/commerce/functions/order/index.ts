// Entry of the order service: the three tables, and Service Bus for the Azure side.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoTable } from '../../../function-kit/dynamo-table.js';
import { serviceBusFromEnvironment } from '../azure.js';
import { orderService } from './handler.js';

const dynamo = new DynamoDBClient({});
const env = process.env;

export const handler = orderService({
  products: dynamoTable(dynamo, env.PRODUCTS_TABLE ?? '', 'productId'),
  inventory: dynamoTable(dynamo, env.INVENTORY_TABLE ?? '', 'productId'),
  users: dynamoTable(dynamo, env.USERS_TABLE ?? '', 'userId'),
  bus: serviceBusFromEnvironment(env),
  queues: {
    paymentRequests: env.PAYMENT_REQUESTS_QUEUE ?? 'payment-requests',
    paymentResults: env.PAYMENT_RESULTS_QUEUE ?? 'payment-results',
    notifications: env.NOTIFICATIONS_QUEUE ?? 'notifications',
    analytics: env.ANALYTICS_EVENTS_QUEUE ?? 'analytics-events',
  },
});
