// The commerce system's Azure Functions and the Service Bus queues between them (seed 004).

/** The four Azure Functions of the seed, keyed by service name. */
export const COMMERCE_FUNCTIONS = ['payment-processor', 'notification', 'analytics-processor', 'backup-service'] as const;
export type CommerceFunction = (typeof COMMERCE_FUNCTIONS)[number];

export interface QueueFlow {
  /** Who puts messages on the queue (`aws` for the order service on the AWS side). */
  readonly senders: readonly (CommerceFunction | 'aws')[];
  readonly receiver: CommerceFunction | 'aws';
  /** Payments are retried less (each retry may charge again; the processor is idempotent by message id). */
  readonly maxDeliveryCount: number;
  readonly duplicateDetection: boolean;
}

/** Inter-service messages: AWS Lambda → Service Bus → Azure Functions, and back. */
export const COMMERCE_QUEUES: Readonly<Record<string, QueueFlow>> = {
  'payment-requests': { senders: ['aws'], receiver: 'payment-processor', maxDeliveryCount: 5, duplicateDetection: true },
  'payment-results': { senders: ['payment-processor'], receiver: 'aws', maxDeliveryCount: 10, duplicateDetection: true },
  notifications: { senders: ['payment-processor', 'aws'], receiver: 'notification', maxDeliveryCount: 10, duplicateDetection: false },
  'analytics-events': {
    senders: ['payment-processor', 'notification', 'aws'],
    receiver: 'analytics-processor',
    maxDeliveryCount: 10,
    duplicateDetection: false,
  },
  'backup-jobs': { senders: ['aws'], receiver: 'backup-service', maxDeliveryCount: 3, duplicateDetection: true },
};

/** Secrets each function reads from Key Vault (set out of band; never in code or state). */
export const COMMERCE_SECRETS: Readonly<Partial<Record<CommerceFunction, Readonly<Record<string, string>>>>> = {
  'payment-processor': { STRIPE_API_KEY: 'stripe-api-key', PAYPAL_CLIENT_SECRET: 'paypal-client-secret' },
  notification: { EMAIL_PROVIDER_API_KEY: 'email-provider-api-key', SMS_PROVIDER_AUTH_TOKEN: 'sms-provider-auth-token' },
};

/** The two Azure SQL databases of the seed. */
export const COMMERCE_DATABASES = ['Transactions', 'Analytics'] as const;
