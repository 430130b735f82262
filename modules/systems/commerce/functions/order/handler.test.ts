import { jest } from '@jest/globals';
import { bodyOf, MemoryBus, MemoryTable, request } from '../../../../../test/functions/fakes.js';
import { orderService, type OrderEvent } from './handler.js';

const QUEUES = {
  paymentRequests: 'payment-requests',
  paymentResults: 'payment-results',
  notifications: 'notifications',
  analytics: 'analytics-events',
};

function service() {
  const products = new MemoryTable('productId', [
    { productId: 'mug', price: 4.5 },
    { productId: 'cup', price: 0.1 },
  ]);
  const inventory = new MemoryTable('productId', [
    { productId: 'mug', stock: 3 },
    { productId: 'cup', stock: 1 },
  ]);
  const users = new MemoryTable('userId', [{ userId: 'u-1', name: 'Al' }]);
  const bus = new MemoryBus();
  let n = 0;
  const handle = orderService({ products, inventory, users, bus, queues: QUEUES, newId: () => `order-${++n}` });
  const call = (event: OrderEvent) => handle(event) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
  return { products, inventory, users, bus, handle, call };
}

const order = (items: unknown, sub = 'u-1') => request('POST', '/v1/orders', { sub, body: { items } });
const stock = (t: MemoryTable) => Object.fromEntries([...t.items.values()].map((i) => [i.productId, i.stock]));

describe('order service', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN stock for every line WHEN ordered THEN stock is reserved, payment requested with the order id, user notified, order counted', async () => {
    const { call, inventory, bus } = service();
    const result = await call(
      order([
        { productId: 'mug', quantity: 2 },
        { productId: 'cup', quantity: 1 },
      ]),
    );
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toEqual({ orderId: 'order-1', status: 'payment-pending', total: 9.1 });
    expect(stock(inventory)).toEqual({ mug: 1, cup: 0 });
    expect(bus.queues.get('payment-requests')).toEqual([
      {
        messageId: 'order-1',
        body: {
          orderId: 'order-1',
          userId: 'u-1',
          amount: 9.1,
          items: [
            { productId: 'mug', quantity: 2 },
            { productId: 'cup', quantity: 1 },
          ],
        },
      },
    ]);
    expect(bus.sent('notifications')).toEqual([{ type: 'order-received', orderId: 'order-1', userId: 'u-1' }]);
    expect(bus.sent('analytics-events')).toEqual([{ type: 'order-placed', orderId: 'order-1', userId: 'u-1', amount: 9.1, lines: 2 }]);
  });

  test('GIVEN one line without enough stock WHEN ordered THEN 409, the lines already reserved are given back, nothing is sent', async () => {
    const { call, inventory, bus } = service();
    const result = await call(
      order([
        { productId: 'mug', quantity: 3 },
        { productId: 'cup', quantity: 2 },
      ]),
    );
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result).message).toBe('not enough stock of product cup for 2');
    expect(stock(inventory)).toEqual({ mug: 3, cup: 1 });
    expect(bus.queues.size).toBe(0);
  });

  test('GIVEN Service Bus is down WHEN ordered THEN 500 and the reservation is released', async () => {
    const { call, inventory, bus } = service();
    bus.failSends.add('payment-requests');
    expect((await call(order([{ productId: 'mug', quantity: 1 }]))).statusCode).toBe(500);
    expect(stock(inventory)).toEqual({ mug: 3, cup: 1 });
  });

  test('GIVEN a failed notification WHEN ordered THEN the order still stands (the payment was asked for)', async () => {
    const { call, bus } = service();
    bus.failSends.add('notifications');
    expect((await call(order([{ productId: 'mug', quantity: 1 }]))).statusCode).toBe(202);
    expect(bus.sent('payment-requests')).toHaveLength(1);
  });

  test.each([
    ['no items', [], 400, 'items must be a list of 1-50 {"productId", "quantity"} (got [])'],
    [
      'a bad quantity and a bad id',
      [{ productId: 'a/b', quantity: 0 }],
      400,
      'items[0].productId must be a product id; items[0].quantity must be an integer from 1 to 100 (got 0)',
    ],
    [
      'a product twice',
      [
        { productId: 'mug', quantity: 1 },
        { productId: 'mug', quantity: 1 },
      ],
      400,
      'product mug appears twice: give one line per product',
    ],
    ['an unknown product', [{ productId: 'bowl', quantity: 1 }], 404, 'product bowl does not exist'],
  ])('GIVEN %s WHEN ordered THEN %s and nothing reserved', async (_, items, status, message) => {
    const { call, inventory, bus } = service();
    const result = await call(order(items));
    expect([result.statusCode, bodyOf(result).message]).toEqual([status, message]);
    expect(stock(inventory)).toEqual({ mug: 3, cup: 1 });
    expect(bus.queues.size).toBe(0);
  });

  test('GIVEN no profile or no sign-in WHEN ordered THEN 409 or 401', async () => {
    const { call } = service();
    expect((await call(order([{ productId: 'mug', quantity: 1 }], 'u-2'))).statusCode).toBe(409);
    expect((await call(request('POST', '/v1/orders', { body: { items: [] } }))).statusCode).toBe(401);
    expect((await call(request('GET', '/v1/orders/1', { sub: 'u-1' }))).statusCode).toBe(405);
  });

  test('GIVEN payment outcomes on payment-results WHEN drained THEN a failed payment gives its stock back, a success keeps it, junk is dropped', async () => {
    const { handle, call, inventory, bus } = service();
    await call(order([{ productId: 'mug', quantity: 2 }]));
    await call(order([{ productId: 'cup', quantity: 1 }]));
    await bus.send('payment-results', { orderId: 'order-1', userId: 'u-1', status: 'failed', items: [{ productId: 'mug', quantity: 2 }] });
    await bus.send('payment-results', {
      orderId: 'order-2',
      userId: 'u-1',
      status: 'succeeded',
      items: [{ productId: 'cup', quantity: 1 }],
    });
    await bus.send('payment-results', { nonsense: true });
    expect(await handle({ action: 'drain-payment-results' })).toEqual({ drained: 3, released: 1 });
    expect(stock(inventory)).toEqual({ mug: 3, cup: 0 });
    expect(await handle({ action: 'drain-payment-results' })).toEqual({ drained: 0, released: 0 });
  });
});
