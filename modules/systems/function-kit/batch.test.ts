import { jest } from '@jest/globals';
import { eachRecord } from './batch.js';

describe('eachRecord', () => {
  test('GIVEN a batch where two records fail WHEN processed THEN every record is tried and only those two are reported', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: number[] = [];
    const result = await eachRecord(
      [1, 2, 3, 4],
      (n) => `m${n}`,
      async (n) => {
        seen.push(n);
        if (n % 2 === 0) throw new Error(`bad ${n}`);
      },
    );
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm4' }] });
    expect(errors.mock.calls.map((c) => JSON.parse(c[0] as string).id)).toEqual(['m2', 'm4']);
    errors.mockRestore();
  });
});
