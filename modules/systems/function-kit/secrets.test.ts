import { cachedSecretJson, cachedValue, parseStringMap } from './secrets.js';

describe('cachedSecretJson', () => {
  test('GIVEN a warm function WHEN read again within the TTL THEN Secrets Manager is not called again; after it, it is', async () => {
    let clock = 0;
    let calls = 0;
    const read = cachedSecretJson(
      'the keys',
      async () => `{"a":"v${++calls}"}`,
      1000,
      () => clock,
    );
    expect(await read()).toEqual({ a: 'v1' });
    clock = 999;
    expect(await read()).toEqual({ a: 'v1' });
    clock = 1000;
    expect(await read()).toEqual({ a: 'v2' });
    expect(calls).toBe(2);
  });

  test('GIVEN a failed read WHEN read again THEN it is retried (a failure is not kept)', async () => {
    let calls = 0;
    const read = cachedValue(async () => {
      if (++calls === 1) throw new Error('throttled');
      return 'ok';
    });
    await expect(read()).rejects.toThrow('throttled');
    expect(await read()).toBe('ok');
  });

  test.each([
    ['not JSON', 'token', 'the keys is not JSON: expected an object like {"<name>": "<value>"}'],
    ['a list', '["a"]', 'the keys must be a JSON object like {"<name>": "<value>"}'],
    ['non-string values', '{"a":1,"b":"","c":"ok"}', 'the keys: the values of "a", "b" must be non-empty strings'],
  ])('GIVEN a secret that is %s WHEN parsed THEN the error says what is expected, without the value', (_, text, message) => {
    expect(() => parseStringMap('the keys', text)).toThrow(message);
  });
});
