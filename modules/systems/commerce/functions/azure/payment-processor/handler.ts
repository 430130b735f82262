// The payment processor: takes a payment request the order service put on payment-requests, asks
// Stripe to charge it (a confirmed PaymentIntent; the order id is the idempotency key, so a
// redelivered request never charges twice) and answers with the outcome: payment-results for the
// order service, a notification for the user, an analytics event, and the payment's row in the
// Transactions database. A declined charge is an outcome; an unreachable or failing provider is an
// error, so Service Bus delivers the request again.
import { RequestError } from '../../../../function-kit/http.js';
import { orderLines, type OrderLine, type PaymentResult } from '../../order/handler.js';
import { checkMessage, type MessageMeta } from '../message.js';

export interface PaymentSettings {
  /** Stripe's secret key (a Key Vault reference in the app settings). */
  readonly stripeApiKey: string;
  /** ISO 4217, lowercase. @default 'usd' */
  readonly currency?: string;
  /** @default 'https://api.stripe.com' */
  readonly stripeUrl?: string;
}

export interface PaymentDeps {
  readonly settings: PaymentSettings;
  readonly fetch: typeof fetch;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** A row of dbo.Payments (the SQL output binding upserts by OrderId). */
export interface PaymentRow {
  readonly OrderId: string;
  readonly UserId: string;
  readonly Amount: number;
  readonly Currency: string;
  readonly Status: PaymentResult['status'];
  readonly ProviderReference: string;
  readonly Reason: string | null;
  readonly ProcessedAt: string;
}

/** What the function writes, by output binding name. */
export interface PaymentOutputs {
  readonly paymentResult: PaymentResult;
  readonly notification: { readonly type: 'payment-succeeded' | 'payment-failed'; readonly orderId: string; readonly userId: string };
  readonly analyticsEvent: {
    readonly type: 'payment-succeeded' | 'payment-failed';
    readonly orderId: string;
    readonly userId: string;
    readonly amount: number;
  };
  readonly payment: PaymentRow;
}

/** PaymentIntent states in which the money is taken or on its way. */
const CHARGED = ['succeeded', 'processing', 'requires_capture'];

export async function processPayment(message: unknown, meta: MessageMeta, deps: PaymentDeps): Promise<PaymentOutputs> {
  const request = checkMessage('payment-requests', message, { orderId: 'string', userId: 'string', amount: 'price' }, (body) => {
    try {
      orderLines({ items: body.items });
      return [];
    } catch (e) {
      return [(e as RequestError).message];
    }
  });
  const orderId = request.orderId as string;
  const userId = request.userId as string;
  const amount = request.amount as number;
  const items = request.items as OrderLine[];
  const currency = deps.settings.currency ?? 'usd';

  const response = await deps.fetch(`${deps.settings.stripeUrl ?? 'https://api.stripe.com'}/v1/payment_intents`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${deps.settings.stripeApiKey}`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': orderId,
    },
    body: new URLSearchParams({
      amount: String(Math.round(amount * 100)),
      currency,
      confirm: 'true',
      'metadata[orderId]': orderId,
      'metadata[userId]': userId,
      'metadata[messageId]': meta.messageId,
    }).toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as { id?: string; status?: string; error?: { message?: string } };
  // 400 (the request cannot be charged) and 402 (declined) are the customer's outcome; anything
  // else that is not a success (401, 429, 5xx) is ours to retry.
  if (!response.ok && response.status !== 400 && response.status !== 402) {
    throw new Error(`payment provider answered ${response.status} for order ${orderId}: ${answer.error?.message ?? 'no reason given'}`);
  }
  const charged = response.ok && CHARGED.includes(answer.status ?? '');
  const status = charged ? 'succeeded' : 'failed';
  const event = charged ? 'payment-succeeded' : 'payment-failed';
  const reason = charged ? null : (answer.error?.message ?? `payment ended as ${answer.status ?? 'unknown'}`);
  return {
    paymentResult: { orderId, userId, status, items },
    notification: { type: event, orderId, userId },
    analyticsEvent: { type: event, orderId, userId, amount },
    payment: {
      OrderId: orderId,
      UserId: userId,
      Amount: amount,
      Currency: currency,
      Status: status,
      ProviderReference: answer.id ?? '',
      Reason: reason,
      ProcessedAt: (deps.now ?? (() => new Date()))().toISOString(),
    },
  };
}
