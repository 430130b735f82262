// In-memory stand-ins for the ports the function handlers take (tables, Service Bus) and builders
// of the events Lambda hands them: the handlers' logic is tested without AWS or Azure.
import type { Item, Table } from '../../modules/systems/function-kit/table.js';
import type { ProxyEvent } from '../../modules/systems/function-kit/http.js';
import type { ServiceBus } from '../../modules/systems/function-kit/service-bus.js';

/** A table keyed by `keyName`, with the semantics of the DynamoDB adapter (conditional counter). */
export class MemoryTable implements Table {
  readonly items = new Map<string, Item>();
  constructor(
    private readonly keyName: string,
    initial: Item[] = [],
  ) {
    for (const item of initial) this.items.set(String(item[keyName]), { ...item });
  }
  get = async (key: string) => this.items.get(key) && { ...this.items.get(key)! };
  put = async (item: Item) => void this.items.set(String(item[this.keyName]), { ...item });
  remove = async (key: string) => void this.items.delete(key);
  scan = async (limit: number, after?: string) => {
    const keys = [...this.items.keys()].sort();
    const start = after === undefined ? 0 : keys.indexOf(after) + 1;
    const page = keys.slice(start, start + limit);
    const next = start + limit < keys.length ? page.at(-1) : undefined;
    return { items: page.map((k) => this.items.get(k)!), next };
  };
  add = async (key: string, field: string, delta: number, min?: number) => {
    const item = this.items.get(key);
    if (!item) return undefined;
    const sum = (item[field] as number) + delta;
    if (min !== undefined && sum < min) return undefined;
    item[field] = sum;
    return sum;
  };
}

/** Queues in memory; `failSends` makes sends to those queues throw. */
export class MemoryBus implements ServiceBus {
  readonly queues = new Map<string, { body: unknown; messageId?: string }[]>();
  failSends = new Set<string>();
  send = async (queue: string, body: unknown, messageId?: string) => {
    if (this.failSends.has(queue)) throw new Error(`Service Bus refused a message to ${queue}: HTTP 503`);
    this.queues.set(queue, [...(this.queues.get(queue) ?? []), { body, messageId }]);
  };
  receive = async (queue: string) => this.queues.get(queue)?.shift()?.body;
  sent = (queue: string) => (this.queues.get(queue) ?? []).map((m) => m.body);
}

/** An API Gateway proxy event. */
export function request(
  method: string,
  path: string,
  options: { body?: unknown; sub?: string; query?: Record<string, string>; principalId?: string } = {},
): ProxyEvent {
  return {
    httpMethod: method,
    path,
    body: options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    queryStringParameters: options.query ?? null,
    requestContext: {
      authorizer: {
        ...(options.sub ? { claims: { sub: options.sub } } : {}),
        ...(options.principalId ? { principalId: options.principalId } : {}),
      },
    },
  };
}

export const bodyOf = (result: { body: string }): Record<string, unknown> => JSON.parse(result.body) as Record<string, unknown>;
