import { providerStandIn, type ProviderStandIn } from '../../../../../../test/functions/provider-stand-in.js';
import { processPayment } from './handler.js';

const META = { messageId: 'order-1', enqueuedTimeUtc: '2026-12-02T10:00:00.000Z' };
const REQUEST = { orderId: 'order-1', userId: 'u-1', amount: 9.1, items: [{ productId: 'mug', quantity: 2 }] };
const NOW = () => new Date('2026-12-02T10:00:05.000Z');

let stripe: ProviderStandIn;
beforeEach(async () => (stripe = await providerStandIn()));
afterEach(() => stripe.close());
const pay = (message: unknown) =>
  processPayment(message, META, { settings: { stripeApiKey: 'sk_test_x', stripeUrl: stripe.url }, fetch, now: NOW });

describe('payment processor', () => {
  test('GIVEN a payment request WHEN Stripe charges it THEN the order id is the idempotency key and every output says succeeded', async () => {
    stripe.answer(200, { id: 'pi_1', status: 'succeeded' });
    const out = await pay(REQUEST);
    expect(stripe.seen).toHaveLength(1);
    const [call] = stripe.seen;
    expect(call).toMatchObject({ method: 'POST', url: '/v1/payment_intents' });
    expect(call!.headers).toMatchObject({ authorization: 'Bearer sk_test_x', 'idempotency-key': 'order-1' });
    expect(Object.fromEntries(new URLSearchParams(call!.body))).toEqual({
      amount: '910',
      currency: 'usd',
      confirm: 'true',
      'metadata[orderId]': 'order-1',
      'metadata[userId]': 'u-1',
      'metadata[messageId]': 'order-1',
    });
    expect(out).toEqual({
      paymentResult: { orderId: 'order-1', userId: 'u-1', status: 'succeeded', items: [{ productId: 'mug', quantity: 2 }] },
      notification: { type: 'payment-succeeded', orderId: 'order-1', userId: 'u-1' },
      analyticsEvent: { type: 'payment-succeeded', orderId: 'order-1', userId: 'u-1', amount: 9.1 },
      payment: {
        OrderId: 'order-1',
        UserId: 'u-1',
        Amount: 9.1,
        Currency: 'usd',
        Status: 'succeeded',
        ProviderReference: 'pi_1',
        Reason: null,
        ProcessedAt: '2026-12-02T10:00:05.000Z',
      },
    });
  });

  test('GIVEN a JSON text body WHEN processed THEN it is read like a parsed one', async () => {
    stripe.answer(200, { id: 'pi_1', status: 'processing' });
    expect((await pay(JSON.stringify(REQUEST))).paymentResult.status).toBe('succeeded');
  });

  test('GIVEN a declined card (402) WHEN processed THEN the outcome is failed with the reason, so the order service gives the stock back', async () => {
    stripe.answer(402, { error: { message: 'Your card was declined.' } });
    const out = await pay(REQUEST);
    expect(out.paymentResult.status).toBe('failed');
    expect(out.notification.type).toBe('payment-failed');
    expect(out.payment).toMatchObject({ Status: 'failed', Reason: 'Your card was declined.', ProviderReference: '' });
  });

  test('GIVEN a PaymentIntent that still needs a payment method WHEN processed THEN the payment failed', async () => {
    stripe.answer(200, { id: 'pi_2', status: 'requires_payment_method' });
    expect((await pay(REQUEST)).payment).toMatchObject({ Status: 'failed', Reason: 'payment ended as requires_payment_method' });
  });

  test.each([401, 429, 500, 503])(
    'GIVEN Stripe answers %i WHEN processed THEN it throws (Service Bus delivers again) and writes nothing',
    async (status) => {
      stripe.answer(status, { error: { message: 'try later' } });
      await expect(pay(REQUEST)).rejects.toThrow(`payment provider answered ${status} for order order-1: try later`);
    },
  );

  test('GIVEN a malformed request WHEN processed THEN one error lists every problem and Stripe is never called', async () => {
    await expect(pay({ orderId: '', amount: -1, items: [{ productId: 'mug', quantity: 0 }] })).rejects.toThrow(
      'malformed payment-requests message: orderId must be a non-empty string of at most 500 characters (got ""); userId must be a non-empty string of at most 500 characters (got nothing); amount must be a number ≥ 0 with at most 2 decimals (got -1); items[0].quantity must be an integer from 1 to 100 (got 0)',
    );
    await expect(pay('not json')).rejects.toThrow('malformed payment-requests message: the body must be a JSON object (got "not json")');
    await expect(pay([REQUEST])).rejects.toThrow('the body must be a JSON object');
    expect(stripe.seen).toEqual([]);
  });
});
