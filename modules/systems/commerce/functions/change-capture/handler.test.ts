import { jest } from '@jest/globals';
import { MemoryBus } from '../../../../../test/functions/fakes.js';
import { changeCapture, tableOf, type StreamRecord } from './handler.js';

const ARN = 'arn:aws:dynamodb:eu-west-1:111111111111:table/commerce-prod-Inventory/stream/2026-01-01T00:00:00.000';
const change = (seq: string, eventName: StreamRecord['eventName'], stock?: number): StreamRecord => ({
  eventID: `e-${seq}`,
  eventName,
  eventSourceARN: ARN,
  dynamodb: {
    SequenceNumber: seq,
    ApproximateCreationDateTime: 1767225600,
    Keys: { productId: { S: 'mug' } },
    ...(stock === undefined ? {} : { NewImage: { productId: { S: 'mug' }, stock: { N: String(stock) } } }),
  },
});

describe('change capture', () => {
  test('GIVEN an insert and a removal WHEN captured THEN each goes to backup-jobs as plain JSON, its event id the message id', async () => {
    const bus = new MemoryBus();
    const result = await changeCapture({ bus, queue: 'backup-jobs' })({ Records: [change('1', 'INSERT', 5), change('2', 'REMOVE')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(bus.queues.get('backup-jobs')).toEqual([
      {
        messageId: 'e-1',
        body: {
          table: 'Inventory',
          change: 'INSERT',
          keys: { productId: 'mug' },
          item: { productId: 'mug', stock: 5 },
          at: 1767225600,
          sequence: '1',
        },
      },
      {
        messageId: 'e-2',
        body: { table: 'Inventory', change: 'REMOVE', keys: { productId: 'mug' }, item: undefined, at: 1767225600, sequence: '2' },
      },
    ]);
  });

  test('GIVEN Service Bus refuses WHEN captured THEN each record is reported by sequence number (Lambda retries from the first)', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const bus = new MemoryBus();
    bus.failSends.add('backup-jobs');
    const result = await changeCapture({ bus, queue: 'backup-jobs' })({ Records: [change('7', 'MODIFY', 1), change('8', 'MODIFY', 2)] });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '7' }, { itemIdentifier: '8' }]);
    jest.restoreAllMocks();
  });

  test('GIVEN stream ARNs WHEN the table is named THEN the stack prefix is dropped; another ARN is refused', () => {
    expect(tableOf(ARN)).toBe('Inventory');
    expect(() => tableOf('arn:aws:sqs:eu-west-1:111111111111:q')).toThrow('not a DynamoDB stream ARN');
  });
});
