// A DynamoDB table as the commerce services use it: items by one partition key, pages of a scan, and
// an atomic counter that refuses to go below a floor (stock cannot be negative).
import type { Json } from './dynamo.js';

export type Item = Record<string, Json>;

export interface Table {
  readonly get: (key: string) => Promise<Item | undefined>;
  readonly put: (item: Item) => Promise<void>;
  readonly remove: (key: string) => Promise<void>;
  /** Up to `limit` items; `after` is the `next` of the previous page. */
  readonly scan: (limit: number, after?: string) => Promise<{ items: Item[]; next?: string }>;
  /** Adds `delta` to the number `field` of an existing item; undefined when the item is missing or the sum would fall below `min`. */
  readonly add: (key: string, field: string, delta: number, min?: number) => Promise<number | undefined>;
}
