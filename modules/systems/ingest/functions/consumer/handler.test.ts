import { jest } from '@jest/globals';
import type { SqsRecord } from '../../../function-kit/batch.js';
import { consumer, type DownstreamEvent } from './handler.js';

const record = (id: string, body: string, source = 'plant-a'): SqsRecord => ({
  messageId: id,
  body,
  messageAttributes: { source: { stringValue: source } },
});

describe('ingest consumer', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN 12 messages WHEN consumed THEN they are forwarded in batches of 10 and 2, with their callers, none failed', async () => {
    const batches: (readonly DownstreamEvent[])[] = [];
    const handle = consumer({ publish: async (events) => (batches.push(events), events.map(() => true)) });
    const records = Array.from({ length: 12 }, (_, i) => record(`m${i}`, JSON.stringify({ n: i }), i === 11 ? 'plant-b' : 'plant-a'));
    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(batches.map((b) => b.length)).toEqual([10, 2]);
    expect(batches[1]).toEqual([
      { detail: '{"n":10}', caller: 'plant-a' },
      { detail: '{"n":11}', caller: 'plant-b' },
    ]);
  });

  test('GIVEN the bus refuses one entry and a message is not JSON WHEN consumed THEN exactly those two are reported for retry', async () => {
    const handle = consumer({ publish: async (events) => events.map((e) => !e.detail.includes('refused')) });
    const result = await handle({ Records: [record('ok', '{"a":1}'), record('bad', 'not json'), record('no', '{"refused":true}')] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }, { itemIdentifier: 'no' }]);
  });

  test('GIVEN the bus is unreachable for one batch WHEN consumed THEN that batch is reported, the next still forwarded', async () => {
    let call = 0;
    const handle = consumer({
      publish: async (events) => {
        if (++call === 1) throw new Error('timeout');
        return events.map(() => true);
      },
    });
    const records = Array.from({ length: 11 }, (_, i) => record(`m${i}`, '{}'));
    const result = await handle({ Records: records });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.slice(0, 10).map((r) => r.messageId));
  });
});
