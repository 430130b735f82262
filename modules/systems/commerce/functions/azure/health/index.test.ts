import { run } from './index.js';

describe('health', () => {
  test('GIVEN the loaded app WHEN /api/health is probed THEN it answers 200 with status ok in JSON', async () => {
    const context: { res?: unknown } = {};
    await run(context);
    expect(context.res).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { status: 'ok' } });
  });
});
