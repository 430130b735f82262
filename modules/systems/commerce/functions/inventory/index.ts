// Entry of the inventory service: INVENTORY_TABLE, and PRODUCTS_TABLE to check products exist.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoTable } from '../../../function-kit/dynamo-table.js';
import { inventoryService } from './handler.js';

const dynamo = new DynamoDBClient({});

export const handler = inventoryService({
  inventory: dynamoTable(dynamo, process.env.INVENTORY_TABLE ?? '', 'productId'),
  products: dynamoTable(dynamo, process.env.PRODUCTS_TABLE ?? '', 'productId'),
});
