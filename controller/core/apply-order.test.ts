import { listedOrder, runInOrder, wavesOrder, type StackStep } from './apply-order.js';

/** Runs `steps`, each taking `ms` (0 by default), failing those in `fail`; records starts and ends. */
async function trace(steps: StackStep[], fail: string[] = [], concurrency = 2) {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const results = await runInOrder(
    steps,
    async (stack) => {
      events.push(`start ${stack}`);
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      events.push(`end ${stack}`);
      if (stack === 'throws') throw new Error('boom');
      return !fail.includes(stack);
    },
    concurrency,
  );
  return { events, results: Object.fromEntries(results), most };
}

describe('runInOrder', () => {
  test('GIVEN the listed order WHEN the second of three fails THEN they ran one at a time and the third is skipped', async () => {
    const steps = listedOrder('dev', ['account-dev', 'ingest-dev', 'release-dev']);
    expect(steps).toEqual([
      { stack: 'account-dev', after: [] },
      { stack: 'ingest-dev', after: ['account-dev'] },
      { stack: 'release-dev', after: ['ingest-dev'] },
    ]);
    const { events, results, most } = await trace(steps, ['ingest-dev']);
    expect(results).toEqual({ 'account-dev': 'succeeded', 'ingest-dev': 'failed', 'release-dev': 'skipped' });
    expect(events).toEqual(['start account-dev', 'end account-dev', 'start ingest-dev', 'end ingest-dev']);
    expect(most).toBe(1);
  });

  test('GIVEN independent stacks after a common one WHEN run with a bound of 2 THEN at most two run at once and a failure skips only its dependents', async () => {
    const steps: StackStep[] = [
      { stack: 'account', after: [] },
      { stack: 'a', after: ['account'] },
      { stack: 'b', after: ['account'] },
      { stack: 'c', after: ['account'] },
      { stack: 'a2', after: ['a'] },
      { stack: 'release', after: ['a2', 'b', 'c'] },
    ];
    const { results, most } = await trace(steps, ['a']);
    expect(results).toEqual({ account: 'succeeded', a: 'failed', b: 'succeeded', c: 'succeeded', a2: 'skipped', release: 'skipped' });
    expect(most).toBe(2);
  });

  test('GIVEN a step that throws, one after a stack outside the apply, and a cycle WHEN run THEN the thrower fails, the outside name is ignored and the cycle is skipped', async () => {
    const { results } = await trace([
      { stack: 'throws', after: [] },
      { stack: 'x', after: ['not-in-this-apply'] },
      { stack: 'p', after: ['q'] },
      { stack: 'q', after: ['p'] },
    ]);
    expect(results).toEqual({ throws: 'failed', x: 'succeeded', p: 'skipped', q: 'skipped' });
  });

  test('GIVEN a bad bound WHEN run THEN it says what is allowed', async () => {
    await expect(runInOrder([], async () => true, 0)).rejects.toThrow(
      'runInOrder: concurrency must be a whole number of at least 1 (got 0)',
    );
  });
});

describe('wavesOrder', () => {
  const prod = [
    ['account-prod'],
    ['imaging-prod-eu-central-1', 'payments-prod'],
    ['imaging-prod', 'payments-prod-eu-central-1'],
    ['release-prod'],
  ];

  test('GIVEN the recorded waves WHEN some stacks change THEN each runs after the nearest earlier wave with changes, a wave in parallel', () => {
    const steps = wavesOrder(prod)('prod', ['release-prod', 'imaging-prod', 'imaging-prod-eu-central-1', 'payments-prod']);
    expect(steps).toEqual([
      { stack: 'imaging-prod-eu-central-1', after: [] },
      { stack: 'payments-prod', after: [] },
      { stack: 'imaging-prod', after: ['imaging-prod-eu-central-1', 'payments-prod'] },
      { stack: 'release-prod', after: ['imaging-prod'] },
    ]);
  });

  test('GIVEN the DR stack of a wave fails WHEN run THEN every later wave is skipped and its own wave still ran', async () => {
    const steps = wavesOrder(prod)('prod', ['account-prod', 'imaging-prod-eu-central-1', 'payments-prod', 'imaging-prod', 'release-prod']);
    const { results } = await trace(steps, ['imaging-prod-eu-central-1']);
    expect(results).toEqual({
      'account-prod': 'succeeded',
      'imaging-prod-eu-central-1': 'failed',
      'payments-prod': 'succeeded',
      'imaging-prod': 'skipped',
      'release-prod': 'skipped',
    });
  });

  test('GIVEN a stack the waves do not name WHEN ordered THEN it comes last, after the last wave', () => {
    expect(wavesOrder([['a'], ['b']])('dev', ['b', 'x', 'a'])).toEqual([
      { stack: 'a', after: [] },
      { stack: 'b', after: ['a'] },
      { stack: 'x', after: ['b'] },
    ]);
  });
});
