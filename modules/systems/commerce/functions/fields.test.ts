import { RequestError } from '../../function-kit/http.js';
import { checkFields, checkId } from './fields.js';

describe('checkFields', () => {
  test('GIVEN a valid body WHEN checked THEN it is returned', () => {
    expect(checkFields({ name: 'Mug', price: 4.5 }, { name: 'string', price: 'price', description: 'optional string' })).toEqual({
      name: 'Mug',
      price: 4.5,
    });
  });

  test('GIVEN several problems WHEN checked THEN one 400 lists each with the value given and unknown fields', () => {
    let error: RequestError | undefined;
    try {
      checkFields({ name: '', price: 1.005, stock: -1, extra: true }, { name: 'string', price: 'price', stock: 'count', email: 'email' });
    } catch (e) {
      error = e as RequestError;
    }
    expect(error?.status).toBe(400);
    expect(error?.message).toBe(
      'name must be a non-empty string of at most 500 characters (got ""); ' +
        'price must be a number ≥ 0 with at most 2 decimals (got 1.005); ' +
        'stock must be an integer ≥ 0 (got -1); ' +
        'email must be an e-mail address (got nothing); ' +
        'unknown fields: extra (allowed: name, price, stock, email)',
    );
  });

  test('GIVEN an id with a slash or too long WHEN checked THEN it is refused, naming what it is', () => {
    expect(checkId('the product id', 'p-1_a')).toBe('p-1_a');
    expect(() => checkId('the product id', 'a/b')).toThrow('the product id must be 1-64 letters, digits, "-" or "_" (got "a/b")');
    expect(() => checkId('the product id', 'x'.repeat(65))).toThrow(RequestError);
  });
});
