import { providerStandIn, type ProviderStandIn } from '../../../../../../test/functions/provider-stand-in.js';
import { sendNotification } from './handler.js';

const META = { messageId: 'm-1', enqueuedTimeUtc: '2026-12-02T10:00:00.000Z' };

let courier: ProviderStandIn;
beforeEach(async () => (courier = await providerStandIn()));
afterEach(() => courier.close());
const notify = (message: unknown) =>
  sendNotification(message, META, { settings: { apiKey: 'key-1', providerUrl: `${courier.url}/send` }, fetch });

describe('notification service', () => {
  test('GIVEN a payment outcome WHEN notified THEN the provider gets the user id, the type as template and an idempotency key, and analytics hears of it', async () => {
    courier.answer(202, { requestId: 'r-1' });
    const out = await notify({ type: 'payment-failed', orderId: 'order-1', userId: 'u-1' });
    expect(courier.seen).toHaveLength(1);
    expect(courier.seen[0]).toMatchObject({ method: 'POST', url: '/send' });
    expect(courier.seen[0]!.headers).toMatchObject({ authorization: 'Bearer key-1', 'idempotency-key': 'payment-failed:order-1' });
    expect(JSON.parse(courier.seen[0]!.body)).toEqual({
      message: { to: { user_id: 'u-1' }, template: 'payment-failed', data: { orderId: 'order-1' } },
    });
    expect(out).toEqual({
      analyticsEvent: { type: 'notification-sent', orderId: 'order-1', userId: 'u-1', notification: 'payment-failed', requestId: 'r-1' },
    });
  });

  test('GIVEN the provider fails WHEN notified THEN it throws with the status (Service Bus delivers again) and nothing is counted', async () => {
    courier.answer(500, { message: 'down' });
    await expect(notify({ type: 'order-received', orderId: 'order-1', userId: 'u-1' })).rejects.toThrow(
      'notification provider answered 500 for order-received of order order-1: down',
    );
  });

  test('GIVEN a message of an unknown type or without its user WHEN notified THEN one error names every problem and the provider is never called', async () => {
    await expect(notify({ type: 'refund', orderId: 'order-1' })).rejects.toThrow(
      'malformed notifications message: userId must be a non-empty string of at most 500 characters (got nothing); type must be one of order-received, payment-succeeded, payment-failed (got "refund")',
    );
    await expect(notify(null)).rejects.toThrow('malformed notifications message: the body must be a JSON object (got null)');
    expect(courier.seen).toEqual([]);
  });
});
