// The commerce system's AWS Lambda services (seed 004) and what each may touch: its tables, its
// bucket, and the Service Bus queues it uses on the Azure side. Functions are keyed by service name.
import type { CommerceBucket, CommerceTable } from './aws-data.js';

/** The four Lambda functions of the seed behind API Gateway. */
export const COMMERCE_SERVICES = ['product', 'inventory', 'order', 'user'] as const;
export type CommerceService = (typeof COMMERCE_SERVICES)[number];

/** The function that ships table changes to Azure (DynamoDB streams → Service Bus → backup-service → Azure SQL). */
export const CHANGE_CAPTURE = 'change-capture';

export interface ServiceSpec {
  /** API path prefix: the service answers `ANY /<path>` and `ANY /<path>/{proxy+}`. */
  readonly path: string;
  readonly description: string;
  readonly readTables: readonly CommerceTable[];
  readonly writeTables: readonly CommerceTable[];
  readonly readBuckets?: readonly CommerceBucket[];
  readonly writeBuckets?: readonly CommerceBucket[];
  /** Service Bus queues it sends to / receives from (the Azure side grants the AWS principal these). */
  readonly sendQueues?: readonly string[];
  readonly receiveQueues?: readonly string[];
  /** Reads the Cognito user pool's id (to look users up). */
  readonly userPool?: boolean;
  /** Keeps shopper sessions in the session store (Redis). */
  readonly sessions?: boolean;
}

export const SERVICE_SPECS: Readonly<Record<CommerceService, ServiceSpec>> = {
  product: {
    path: 'products',
    description: 'Product catalog: products and their images (pre-signed uploads to product-images)',
    readTables: ['Products'],
    writeTables: ['Products'],
    readBuckets: ['product-images'],
    writeBuckets: ['product-images'],
  },
  inventory: {
    path: 'inventory',
    description: 'Stock levels per product',
    readTables: ['Inventory', 'Products'],
    writeTables: ['Inventory'],
  },
  order: {
    path: 'orders',
    description: 'Order processing: reserves stock, asks Azure to take the payment, notifies, records analytics',
    readTables: ['Products', 'Inventory', 'Users'],
    writeTables: ['Inventory'],
    sendQueues: ['payment-requests', 'notifications', 'analytics-events'],
    receiveQueues: ['payment-results'],
    sessions: true,
  },
  user: {
    path: 'users',
    description: 'User profiles (sign-in itself is Cognito)',
    readTables: ['Users'],
    writeTables: ['Users'],
    userPool: true,
    sessions: true,
  },
};

/** The queue change capture sends table changes to. */
export const CHANGE_CAPTURE_QUEUE = 'backup-jobs';
