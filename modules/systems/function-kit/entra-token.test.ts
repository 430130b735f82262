import { isTransient, withRetries } from './entra-token.js';

/** Answers in turn, then the last one again; records the waits asked for. */
function answers(...statuses: [number, Record<string, string>?][]) {
  let call = 0;
  const waits: number[] = [];
  const attempt = async () => {
    const [status, headers] = statuses[Math.min(call++, statuses.length - 1)]!;
    return new Response(status === 204 ? null : 'x', { status, headers });
  };
  return { attempt, waits, sleep: async (ms: number) => void waits.push(ms), calls: () => call };
}

describe('withRetries', () => {
  test('GIVEN two 503s then a 201 WHEN called THEN it waits 500 then 1000 ms and returns the 201', async () => {
    const far = answers([503], [503], [201]);
    expect((await withRetries(far.attempt, 4, 500, far.sleep)).status).toBe(201);
    expect(far.waits).toEqual([500, 1000]);
  });

  test('GIVEN a 429 asking to retry after 2 s (or after an hour) WHEN called THEN it waits 2 s (at most 30 s)', async () => {
    const polite = answers([429, { 'retry-after': '2' }], [204]);
    await withRetries(polite.attempt, 4, 500, polite.sleep);
    expect(polite.waits).toEqual([2000]);
    const greedy = answers([429, { 'retry-after': '3600' }], [204]);
    await withRetries(greedy.attempt, 4, 500, greedy.sleep);
    expect(greedy.waits).toEqual([30_000]);
  });

  test('GIVEN a far side that keeps failing WHEN called THEN the last answer is returned after the given tries', async () => {
    const down = answers([500]);
    expect((await withRetries(down.attempt, 3, 10, down.sleep)).status).toBe(500);
    expect(down.calls()).toBe(3);
  });

  test('GIVEN a refusal the caller must fix (403) WHEN called THEN it is returned at once, not retried', async () => {
    const denied = answers([403], [201]);
    expect((await withRetries(denied.attempt, 4, 10, denied.sleep)).status).toBe(403);
    expect(denied.calls()).toBe(1);
  });

  test.each([
    [408, true],
    [429, true],
    [500, true],
    [503, true],
    [400, false],
    [401, false],
    [404, false],
    [409, false],
  ])('GIVEN HTTP %i WHEN classified THEN transient is %s', (status, transient) => {
    expect(isTransient(status)).toBe(transient);
  });
});
