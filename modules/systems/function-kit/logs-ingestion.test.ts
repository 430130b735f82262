import { inBatches } from './logs-ingestion.js';

describe('inBatches', () => {
  test('GIVEN rows WHEN grouped under a limit THEN every row is kept, in order, and each group as an array fits the limit', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ n: i, text: 'x'.repeat(20) }));
    const batches = inBatches(rows, 100);
    expect(batches.flat().map((r) => (JSON.parse(r) as { n: number }).n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(Buffer.byteLength(`[${b.join(',')}]`)).toBeLessThanOrEqual(100);
  });

  test('GIVEN no rows WHEN grouped THEN there is no call to make', () => {
    expect(inBatches([], 100)).toEqual([]);
  });

  test('GIVEN a row larger than a call WHEN grouped THEN it is refused with its size and the limit', () => {
    expect(() => inBatches([{ text: 'x'.repeat(200) }], 100)).toThrow(
      'a row of 212 bytes does not fit in a Logs Ingestion call (at most 100)',
    );
  });
});
