// The order service. POST /orders {"items": [{"productId", "quantity"}]} from a signed-in user whose
// profile exists: prices come from Products, stock is reserved item by item in Inventory (all or
// nothing), and Azure is asked to take the payment (payment-requests; the order id is the message id,
// so a repeat is dropped); the user is notified and the order counted (notifications, analytics-events).
// Every minute the scheduler invokes it with {"action": "drain-payment-results"}: it takes the
// outcomes Azure put on payment-results and gives the stock of a failed payment back.
import { randomUUID } from 'node:crypto';
import { handleRequests, json, jsonBody, pathBelow, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';
import type { ServiceBus } from '../../../function-kit/service-bus.js';
import type { Table } from '../../../function-kit/table.js';

export interface OrderDeps {
  readonly products: Table;
  readonly inventory: Table;
  readonly users: Table;
  readonly bus: ServiceBus;
  readonly queues: {
    readonly paymentRequests: string;
    readonly paymentResults: string;
    readonly notifications: string;
    readonly analytics: string;
  };
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
}

export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

export interface PaymentResult {
  readonly orderId: string;
  readonly userId: string;
  readonly status: 'succeeded' | 'failed';
  readonly items: readonly OrderLine[];
}

/** Outcomes taken per invocation; the next minute takes the rest. */
export const DRAIN_LIMIT = 100;
export const MAX_LINES = 50;

export type OrderEvent = ProxyEvent | { readonly action: 'drain-payment-results' };

export function orderService(deps: OrderDeps): (event: OrderEvent) => Promise<ProxyResult | { drained: number; released: number }> {
  const http = handleRequests((event) => placeOrder(deps, event));
  return async (event) => ('action' in event ? drainPaymentResults(deps) : http(event));
}

async function placeOrder(deps: OrderDeps, event: ProxyEvent): Promise<ProxyResult> {
  const userId = event.requestContext?.authorizer?.claims?.sub;
  if (!userId) throw new RequestError(401, 'the request carries no signed-in user');
  if (event.httpMethod !== 'POST' || pathBelow(event, 'orders').length > 0) {
    throw new RequestError(405, `${event.httpMethod} ${event.path} is not supported (POST /orders)`);
  }
  const lines = orderLines(jsonBody(event));
  if (!(await deps.users.get(userId))) throw new RequestError(409, 'create your profile (PUT /users/me) before ordering');
  const prices: number[] = [];
  for (const line of lines) {
    const product = await deps.products.get(line.productId);
    if (!product || typeof product.price !== 'number') throw new RequestError(404, `product ${line.productId} does not exist`);
    prices.push(product.price);
  }

  const reserved: OrderLine[] = [];
  for (const line of lines) {
    if ((await deps.inventory.add(line.productId, 'stock', -line.quantity, 0)) === undefined) {
      await release(deps, reserved);
      throw new RequestError(409, `not enough stock of product ${line.productId} for ${line.quantity}`);
    }
    reserved.push(line);
  }
  const orderId = (deps.newId ?? randomUUID)();
  const total = Math.round(lines.reduce((sum, line, i) => sum + line.quantity * prices[i]! * 100, 0)) / 100;
  try {
    await deps.bus.send(deps.queues.paymentRequests, { orderId, userId, amount: total, items: lines }, orderId);
  } catch (e) {
    await release(deps, reserved);
    throw e;
  }
  // The order stands once the payment is asked for; a lost notification or count is not worth failing it.
  await Promise.allSettled([
    deps.bus.send(deps.queues.notifications, { type: 'order-received', orderId, userId }),
    deps.bus.send(deps.queues.analytics, { type: 'order-placed', orderId, userId, amount: total, lines: lines.length }),
  ]);
  return json(202, { orderId, status: 'payment-pending', total });
}

/** The body's order lines, each product once, quantities 1-100; a 400 lists every problem. */
export function orderLines(body: Record<string, unknown>): OrderLine[] {
  const items = body.items;
  const problems: string[] = [];
  const unknown = Object.keys(body).filter((k) => k !== 'items');
  if (unknown.length > 0) problems.push(`unknown fields: ${unknown.join(', ')} (allowed: items)`);
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES) {
    problems.push(`items must be a list of 1-${MAX_LINES} {"productId", "quantity"} (got ${JSON.stringify(items) ?? 'nothing'})`);
  } else {
    items.forEach((item: unknown, i) => {
      const line = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      if (typeof line.productId !== 'string' || !/^[\w-]{1,64}$/.test(line.productId))
        problems.push(`items[${i}].productId must be a product id`);
      if (!Number.isInteger(line.quantity) || (line.quantity as number) < 1 || (line.quantity as number) > 100) {
        problems.push(`items[${i}].quantity must be an integer from 1 to 100 (got ${JSON.stringify(line.quantity)})`);
      }
    });
    const ids = items.map((item: { productId?: unknown }) => item?.productId);
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    if (repeated !== undefined) problems.push(`product ${String(repeated)} appears twice: give one line per product`);
  }
  if (problems.length > 0) throw new RequestError(400, problems.join('; '));
  return (items as OrderLine[]).map((l) => ({ productId: l.productId, quantity: l.quantity }));
}

async function release(deps: OrderDeps, lines: readonly OrderLine[]): Promise<number> {
  for (const line of lines) await deps.inventory.add(line.productId, 'stock', line.quantity);
  return lines.length;
}

async function drainPaymentResults(deps: OrderDeps): Promise<{ drained: number; released: number }> {
  let drained = 0;
  let released = 0;
  for (; drained < DRAIN_LIMIT; drained++) {
    const result = (await deps.bus.receive(deps.queues.paymentResults)) as PaymentResult | undefined;
    if (result === undefined) break;
    if (!isPaymentResult(result)) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'malformed payment result dropped', result }));
      continue;
    }
    if (result.status === 'failed') released += await release(deps, result.items);
  }
  return { drained, released };
}

function isPaymentResult(value: unknown): value is PaymentResult {
  const r = value as Partial<PaymentResult> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.orderId === 'string' &&
    (r.status === 'succeeded' || r.status === 'failed') &&
    Array.isArray(r.items) &&
    r.items.every((l) => typeof l?.productId === 'string' && Number.isInteger(l.quantity) && l.quantity > 0)
  );
}
