// The inventory service (Inventory table, Products read):
//   GET  /inventory/{productId}          {"productId", "stock"}, or 404
//   PUT  /inventory/{productId}          {"stock"}: sets the level of a product that exists
//   POST /inventory/{productId}/adjust   {"delta"}: adds atomically; 409 when stock would go below 0
import { handleRequests, json, jsonBody, pathBelow, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';
import type { Table } from '../../../function-kit/table.js';
import { checkFields, checkId } from '../fields.js';

export interface InventoryDeps {
  readonly inventory: Table;
  readonly products: Table;
}

export function inventoryService(deps: InventoryDeps): (event: ProxyEvent) => Promise<ProxyResult> {
  return handleRequests(async (event) => {
    const [rawId, action, ...rest] = pathBelow(event, 'inventory');
    const productId = checkId('the product id', rawId);
    const route = `${event.httpMethod} ${action ?? ''}`;
    if (rest.length > 0 || !['GET ', 'PUT ', 'POST adjust'].includes(route)) {
      throw new RequestError(
        405,
        `${event.httpMethod} ${event.path} is not supported (GET or PUT /inventory/{id}, POST /inventory/{id}/adjust)`,
      );
    }
    if (route === 'GET ') {
      const level = await deps.inventory.get(productId);
      if (!level) throw new RequestError(404, `no stock is recorded for product ${productId}`);
      return json(200, { productId, stock: level.stock });
    }
    if (route === 'PUT ') {
      const { stock } = checkFields(jsonBody(event), { stock: 'count' });
      if (!(await deps.products.get(productId))) throw new RequestError(404, `product ${productId} does not exist`);
      await deps.inventory.put({ productId, stock: stock as number });
      return json(200, { productId, stock });
    }
    const { delta } = checkFields(jsonBody(event), { delta: 'integer' });
    const stock = await deps.inventory.add(productId, 'stock', delta as number, 0);
    if (stock === undefined)
      throw new RequestError(409, `cannot adjust product ${productId} by ${delta}: no stock recorded, or it would fall below 0`);
    return json(200, { productId, stock });
  });
}
