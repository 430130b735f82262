import { recordEvent } from './handler.js';

const META = { messageId: 'm-7', enqueuedTimeUtc: '2026-12-02T10:00:00.000Z' };

describe('analytics processor', () => {
  test('GIVEN an order placed WHEN recorded THEN one Events row keyed by the message id keeps the whole event', async () => {
    const event = { type: 'order-placed', orderId: 'order-1', userId: 'u-1', amount: 9.1, lines: 2 };
    expect(await recordEvent(event, META)).toEqual({
      event: {
        EventId: 'm-7',
        Type: 'order-placed',
        OrderId: 'order-1',
        UserId: 'u-1',
        Amount: 9.1,
        Payload: JSON.stringify(event),
        OccurredAt: '2026-12-02T10:00:00.000Z',
      },
    });
  });

  test('GIVEN an event without an amount WHEN recorded THEN its Amount is null', async () => {
    const out = await recordEvent(
      JSON.stringify({ type: 'notification-sent', orderId: 'order-1', userId: 'u-1', notification: 'order-received' }),
      META,
    );
    expect(out.event).toMatchObject({ Type: 'notification-sent', Amount: null });
  });

  test('GIVEN a malformed event or one without a message id WHEN recorded THEN one error lists every problem', async () => {
    await expect(recordEvent({ type: 'order-placed', amount: '9' }, META)).rejects.toThrow(
      'malformed analytics-events message: orderId must be a non-empty string of at most 500 characters (got nothing); userId must be a non-empty string of at most 500 characters (got nothing); amount must be absent or a number ≥ 0 with at most 2 decimals (got "9")',
    );
    await expect(recordEvent({ type: 'order-placed', orderId: 'o', userId: 'u' }, { ...META, messageId: '' })).rejects.toThrow(
      'malformed analytics-events message: the message has no id',
    );
  });
});
