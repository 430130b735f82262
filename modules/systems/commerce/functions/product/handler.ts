// The product service (Products table):
//   GET /products            a page of the catalog (`?next=` continues)
//   GET /products/{id}       one product, or 404
//   PUT /products/{id}       {"name", "price", "description"?, "imageKey"?}: creates or replaces it
//   DELETE /products/{id}    removes it
// An imageKey must name an object already in the product-images bucket.
import { handleRequests, json, jsonBody, pathBelow, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';
import type { Table } from '../../../function-kit/table.js';
import { checkFields, checkId } from '../fields.js';

export interface ProductDeps {
  readonly products: Table;
  readonly imageExists: (key: string) => Promise<boolean>;
}

export const PAGE_SIZE = 50;

export function productService(deps: ProductDeps): (event: ProxyEvent) => Promise<ProxyResult> {
  return handleRequests(async (event) => {
    const [rawId, ...rest] = pathBelow(event, 'products');
    if (rest.length > 0) throw new RequestError(404, `no such resource: ${event.path}`);
    if (rawId === undefined) {
      if (event.httpMethod !== 'GET') throw new RequestError(405, `${event.httpMethod} /products is not supported (GET)`);
      const page = await deps.products.scan(PAGE_SIZE, event.queryStringParameters?.next);
      return json(200, { products: page.items, next: page.next });
    }
    const productId = checkId('the product id', rawId);
    switch (event.httpMethod) {
      case 'GET': {
        const product = await deps.products.get(productId);
        if (!product) throw new RequestError(404, `product ${productId} does not exist`);
        return json(200, product);
      }
      case 'PUT': {
        const body = checkFields(jsonBody(event), {
          name: 'string',
          price: 'price',
          description: 'optional string',
          imageKey: 'optional string',
        });
        if (typeof body.imageKey === 'string' && !(await deps.imageExists(body.imageKey))) {
          throw new RequestError(400, `imageKey ${JSON.stringify(body.imageKey)} is not in the product-images bucket`);
        }
        const product = { ...(body as Record<string, string | number>), productId };
        await deps.products.put(product);
        return json(200, product);
      }
      case 'DELETE':
        await deps.products.remove(productId);
        return { statusCode: 204, headers: {}, body: '' };
      default:
        throw new RequestError(405, `${event.httpMethod} /products/{id} is not supported (GET, PUT, DELETE)`);
    }
  });
}
