// Entry of the product service: PRODUCTS_TABLE and PRODUCT_IMAGES_BUCKET.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { dynamoTable } from '../../../function-kit/dynamo-table.js';
import { objectExists } from '../../../function-kit/s3.js';
import { productService } from './handler.js';

export const handler = productService({
  products: dynamoTable(new DynamoDBClient({}), process.env.PRODUCTS_TABLE ?? '', 'productId'),
  imageExists: objectExists(new S3Client({}), process.env.PRODUCT_IMAGES_BUCKET ?? ''),
});
