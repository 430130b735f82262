import { fromItem, toAttribute, toItem } from './dynamo.js';

describe('dynamo attribute values', () => {
  test('GIVEN nested JSON WHEN marshalled and back THEN it is unchanged, in DynamoDB attribute form', () => {
    const item = { id: 'p1', price: 9.5, active: true, note: null, tags: ['a', 2], size: { w: 1, unit: 'cm' } };
    expect(toItem(item)).toEqual({
      id: { S: 'p1' },
      price: { N: '9.5' },
      active: { BOOL: true },
      note: { NULL: true },
      tags: { L: [{ S: 'a' }, { N: '2' }] },
      size: { M: { w: { N: '1' }, unit: { S: 'cm' } } },
    });
    expect(fromItem(toItem(item))).toEqual(item);
  });

  test('GIVEN a number DynamoDB cannot store WHEN marshalled THEN it is refused', () => {
    expect(() => toAttribute(Number.NaN)).toThrow('cannot store NaN in DynamoDB');
  });

  test('GIVEN a type the functions never write (a binary) WHEN read THEN it is refused, naming it', () => {
    expect(() => fromItem({ b: { B: 'AAE=' } as never })).toThrow('unsupported DynamoDB attribute type: B');
  });
});
