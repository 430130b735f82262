// The props of ServiceBusNamespace: the tier, network access, and queues and topics keyed by name.
import type { Placement } from '../core/placement.js';
import type { PrivateLinkOptions } from '../network/private-endpoint.js';

export const SERVICE_BUS_SKUS = ['Basic', 'Standard', 'Premium'] as const;
export type ServiceBusSku = (typeof SERVICE_BUS_SKUS)[number];

export interface QueueOptions {
  /** Deliveries before a message is dead-lettered, 1-2000. @default 10 */
  readonly maxDeliveryCount?: number;
  /** How long a receiver holds a message, ISO 8601, at most PT5M. @default 'PT1M' */
  readonly lockDuration?: string;
  /** Time to live, ISO 8601. Expired messages go to the dead-letter queue. @default 'P14D' */
  readonly defaultMessageTtl?: string;
  /** Drop duplicates by message id for 10 minutes (Standard and Premium). @default false */
  readonly duplicateDetection?: boolean;
  /** FIFO per session id (Standard and Premium). @default false */
  readonly requiresSession?: boolean;
}

export interface TopicOptions {
  /** @default 'P14D' */
  readonly defaultMessageTtl?: string;
  /** @default false */
  readonly duplicateDetection?: boolean;
  /** Subscriptions keyed by name. */
  readonly subscriptions: Readonly<Record<string, Omit<QueueOptions, 'duplicateDetection'>>>;
}

export interface ServiceBusNamespaceProps extends Placement {
  /** 6-50 lowercase letters, digits or hyphens, starting with a letter, globally unique. */
  readonly name: string;
  /**
   * `Premium` is the only tier that can turn the public endpoint off and take a private endpoint.
   * `Basic` has no topics. @default 'Premium'
   */
  readonly sku?: ServiceBusSku;
  /** Premium messaging units: 1, 2, 4, 8 or 16. @default 1 */
  readonly capacity?: number;
  /**
   * Let the public endpoint answer (Entra ID and TLS 1.2 still required). Standard and Basic cannot
   * turn it off, so they need this set to true, and the policy gate then reports CKV_AZURE_204 (waive
   * it per environment). @default false
   */
  readonly allowPublicNetworkAccess?: boolean;
  /** With public access, only these IPv4 CIDRs may connect (Standard and Premium). @default any address */
  readonly allowedIpRanges?: readonly string[];
  /** With public access, subnets (with the Microsoft.ServiceBus service endpoint) allowed in, keyed by name (Premium only). @default none */
  readonly allowedSubnetIds?: Readonly<Record<string, string>>;
  /** Private endpoint (Premium only). @default none */
  readonly privateLink?: PrivateLinkOptions;
  /** Accept SAS keys besides Entra ID. @default false */
  readonly allowLocalAuth?: boolean;
  /** Queues keyed by name. @default none */
  readonly queues?: Readonly<Record<string, QueueOptions>>;
  /** Topics keyed by name (Standard and Premium). @default none */
  readonly topics?: Readonly<Record<string, TopicOptions>>;
}
