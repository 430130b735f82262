import { bodyOf, MemoryTable, request } from '../../../../../test/functions/fakes.js';
import { PAGE_SIZE, productService } from './handler.js';

function service(items = [{ productId: 'mug', name: 'Mug', price: 4.5 }]) {
  const products = new MemoryTable('productId', items);
  const images = new Set(['mug.png']);
  return { products, handle: productService({ products, imageExists: async (key) => images.has(key) }) };
}

describe('product service', () => {
  test('GIVEN a product WHEN read THEN it is answered; an unknown one is 404', async () => {
    const { handle } = service();
    expect(bodyOf(await handle(request('GET', '/v1/products/mug')))).toEqual({ productId: 'mug', name: 'Mug', price: 4.5 });
    expect((await handle(request('GET', '/v1/products/cup'))).statusCode).toBe(404);
  });

  test('GIVEN a new product with an uploaded image WHEN put THEN it is stored under the path id', async () => {
    const { handle, products } = service();
    const result = await handle(
      request('PUT', '/v1/products/cup', { body: { name: 'Cup', price: 3, imageKey: 'mug.png', productId: 'x' } }),
    );
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result).message).toBe('unknown fields: productId (allowed: name, price, description, imageKey)');
    expect((await handle(request('PUT', '/v1/products/cup', { body: { name: 'Cup', price: 3, imageKey: 'mug.png' } }))).statusCode).toBe(
      200,
    );
    expect(products.items.get('cup')).toEqual({ productId: 'cup', name: 'Cup', price: 3, imageKey: 'mug.png' });
  });

  test('GIVEN an image key not in the bucket WHEN put THEN 400 and nothing stored', async () => {
    const { handle, products } = service();
    const result = await handle(request('PUT', '/v1/products/cup', { body: { name: 'Cup', price: 3, imageKey: 'cup.png' } }));
    expect(bodyOf(result)).toEqual({ message: 'imageKey "cup.png" is not in the product-images bucket' });
    expect(products.items.has('cup')).toBe(false);
  });

  test('GIVEN more products than a page WHEN listed THEN pages follow each other through next', async () => {
    const items = Array.from({ length: PAGE_SIZE + 3 }, (_, i) => ({ productId: `p${String(i).padStart(3, '0')}`, name: 'x', price: 1 }));
    const { handle } = service(items);
    const first = bodyOf(await handle(request('GET', '/v1/products')));
    const second = bodyOf(await handle(request('GET', '/v1/products', { query: { next: first.next as string } })));
    expect([(first.products as unknown[]).length, (second.products as unknown[]).length, second.next]).toEqual([PAGE_SIZE, 3, undefined]);
  });

  test('GIVEN a product WHEN deleted THEN 204 and it is gone; other methods and paths are refused', async () => {
    const { handle, products } = service();
    expect((await handle(request('DELETE', '/v1/products/mug'))).statusCode).toBe(204);
    expect(products.items.size).toBe(0);
    expect((await handle(request('POST', '/v1/products'))).statusCode).toBe(405);
    expect((await handle(request('PATCH', '/v1/products/mug'))).statusCode).toBe(405);
    expect((await handle(request('GET', '/v1/products/mug/reviews'))).statusCode).toBe(404);
  });
});
