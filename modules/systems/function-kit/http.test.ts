import { jest } from '@jest/globals';
import { handleRequests, json, jsonBody, pathBelow, RequestError } from './http.js';
import { request } from '../../../test/functions/fakes.js';

describe('http', () => {
  test('GIVEN a JSON object body, plain or base64 WHEN read THEN it is parsed', () => {
    expect(jsonBody(request('POST', '/x', { body: { a: 1 } }))).toEqual({ a: 1 });
    expect(jsonBody({ ...request('POST', '/x'), body: Buffer.from('{"b":2}').toString('base64'), isBase64Encoded: true })).toEqual({
      b: 2,
    });
  });

  test.each([
    ['no body', undefined, 400, 'the request needs a JSON object body'],
    ['bad JSON', '{', 400, 'the body is not valid JSON'],
    ['a list', '[1]', 400, 'the body must be a JSON object'],
    ['a body over the limit', JSON.stringify({ a: 'x'.repeat(20) }), 413, 'the body must be at most 16 bytes (got 28)'],
  ])('GIVEN %s WHEN read THEN a RequestError with status and reason', (_, body, status, message) => {
    const read = () => jsonBody(request('POST', '/x', { body }), 16);
    expect(read).toThrow(RequestError);
    expect(read).toThrow(message);
    try {
      read();
    } catch (e) {
      expect((e as RequestError).status).toBe(status);
    }
  });

  test('GIVEN a route that fails WHEN handled THEN a RequestError is its answer and anything else a 500 hiding the cause', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const answer = handleRequests(async (e) => {
      if (e.path === '/bad') throw new RequestError(409, 'taken');
      if (e.path === '/boom') throw new Error('password=hunter2');
      return json(200, { ok: true });
    });
    expect(await answer(request('GET', '/ok'))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    expect(await answer(request('GET', '/bad'))).toMatchObject({ statusCode: 409, body: '{"message":"taken"}' });
    expect(await answer(request('GET', '/boom'))).toMatchObject({ statusCode: 500, body: '{"message":"internal error"}' });
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  test('GIVEN a stage-prefixed path WHEN split below the service prefix THEN the decoded parts follow it', () => {
    expect(pathBelow(request('GET', '/v1/products/a%20b/stock'), 'products')).toEqual(['a b', 'stock']);
    expect(pathBelow(request('GET', '/products'), 'products')).toEqual([]);
    expect(pathBelow(request('GET', '/other/1'), 'products')).toEqual([]);
  });
});
