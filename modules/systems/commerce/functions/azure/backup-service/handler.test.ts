import { backUpChange } from './handler.js';

const META = { messageId: 'stream-event-1', enqueuedTimeUtc: '2026-12-02T10:00:00.000Z' };
const CHANGE = {
  table: 'Inventory',
  change: 'MODIFY',
  keys: { productId: 'mug' },
  item: { productId: 'mug', stock: 2 },
  at: 1767225600,
  sequence: '42',
};

describe('backup service', () => {
  test('GIVEN a change of a table WHEN backed up THEN the blob holds it as sent and the TableChanges row is keyed by the stream event id', async () => {
    expect(await backUpChange(CHANGE, META)).toEqual({
      backup: JSON.stringify(CHANGE),
      change: {
        ChangeId: 'stream-event-1',
        TableName: 'Inventory',
        Change: 'MODIFY',
        ItemKeys: '{"productId":"mug"}',
        Item: '{"productId":"mug","stock":2}',
        Sequence: '42',
        ChangedAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  test('GIVEN a removal without an item or a time WHEN backed up THEN Item is null and the time is when Service Bus took it', async () => {
    const out = await backUpChange({ table: 'Users', change: 'REMOVE', keys: { userId: 'u-1' }, sequence: '43' }, META);
    expect(out.change).toMatchObject({ TableName: 'Users', Change: 'REMOVE', Item: null, ChangedAt: '2026-12-02T10:00:00.000Z' });
  });

  test('GIVEN a malformed change WHEN backed up THEN one error lists every problem and nothing is written', async () => {
    await expect(backUpChange({ table: 'Orders', change: 'UPSERT', keys: {}, item: 'x', at: 'today' }, META)).rejects.toThrow(
      'malformed backup-jobs message: sequence must be a non-empty string of at most 500 characters (got nothing); table must be one of Products, Users, Inventory (got "Orders"); change must be one of INSERT, MODIFY, REMOVE (got "UPSERT"); keys must be an object of the item\'s key attributes (got {}); item must be an object or absent (got "x"); item is required for an UPSERT; at must be epoch seconds or absent (got "today")',
    );
    await expect(backUpChange({ ...CHANGE, item: undefined }, META)).rejects.toThrow(
      'malformed backup-jobs message: item is required for an MODIFY',
    );
  });
});
