import { bodyOf, MemoryTable, request } from '../../../../../test/functions/fakes.js';
import { inventoryService } from './handler.js';

function service() {
  const inventory = new MemoryTable('productId', [{ productId: 'mug', stock: 5 }]);
  const products = new MemoryTable('productId', [{ productId: 'mug' }, { productId: 'cup' }]);
  return { inventory, handle: inventoryService({ inventory, products }) };
}

describe('inventory service', () => {
  test('GIVEN stock WHEN read THEN the level is answered; a product without stock is 404', async () => {
    const { handle } = service();
    expect(bodyOf(await handle(request('GET', '/v1/inventory/mug')))).toEqual({ productId: 'mug', stock: 5 });
    expect((await handle(request('GET', '/v1/inventory/cup'))).statusCode).toBe(404);
  });

  test('GIVEN a product WHEN its level is set THEN it is stored; for an unknown product 404 and nothing stored', async () => {
    const { handle, inventory } = service();
    expect((await handle(request('PUT', '/v1/inventory/cup', { body: { stock: 7 } }))).statusCode).toBe(200);
    expect(inventory.items.get('cup')).toEqual({ productId: 'cup', stock: 7 });
    expect((await handle(request('PUT', '/v1/inventory/bowl', { body: { stock: 7 } }))).statusCode).toBe(404);
    expect(inventory.items.has('bowl')).toBe(false);
    expect(bodyOf(await handle(request('PUT', '/v1/inventory/cup', { body: { stock: 1.5 } }))).message).toBe(
      'stock must be an integer ≥ 0 (got 1.5)',
    );
  });

  test('GIVEN adjustments WHEN one would go below zero THEN it is refused with 409 and the level kept', async () => {
    const { handle, inventory } = service();
    expect(bodyOf(await handle(request('POST', '/v1/inventory/mug/adjust', { body: { delta: -5 } })))).toEqual({
      productId: 'mug',
      stock: 0,
    });
    const refused = await handle(request('POST', '/v1/inventory/mug/adjust', { body: { delta: -1 } }));
    expect(refused.statusCode).toBe(409);
    expect(inventory.items.get('mug')!.stock).toBe(0);
    expect(bodyOf(await handle(request('POST', '/v1/inventory/mug/adjust', { body: { delta: 3 } }))).stock).toBe(3);
  });

  test('GIVEN unsupported routes WHEN called THEN 405 naming what is supported', async () => {
    const { handle } = service();
    const result = await handle(request('DELETE', '/v1/inventory/mug'));
    expect(result.statusCode).toBe(405);
    expect(bodyOf(result).message).toContain('GET or PUT /inventory/{id}, POST /inventory/{id}/adjust');
    expect((await handle(request('POST', '/v1/inventory/mug/reset', { body: {} }))).statusCode).toBe(405);
  });
});
