// The notification service: each message on notifications (an order received, a payment that went
// through or failed) becomes one message to the user through the notification provider (Courier's
// send API: it holds the user's e-mail address and phone number by user id and picks the channel),
// and an analytics event. The provider's idempotency key is the notification's type and order, so a
// redelivered message is not sent twice.
import { checkMessage, type MessageMeta } from '../message.js';

export const NOTIFICATION_TYPES = ['order-received', 'payment-succeeded', 'payment-failed'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NotificationSettings {
  /** The provider's API key (a Key Vault reference in the app settings). */
  readonly apiKey: string;
  /** @default 'https://api.courier.com/send' */
  readonly providerUrl?: string;
}

export interface NotificationDeps {
  readonly settings: NotificationSettings;
  readonly fetch: typeof fetch;
}

export interface NotificationOutputs {
  readonly analyticsEvent: {
    readonly type: 'notification-sent';
    readonly orderId: string;
    readonly userId: string;
    readonly notification: NotificationType;
    readonly requestId: string;
  };
}

export async function sendNotification(message: unknown, _meta: MessageMeta, deps: NotificationDeps): Promise<NotificationOutputs> {
  const body = checkMessage('notifications', message, { orderId: 'string', userId: 'string' }, (b) =>
    NOTIFICATION_TYPES.includes(b.type as NotificationType)
      ? []
      : [`type must be one of ${NOTIFICATION_TYPES.join(', ')} (got ${JSON.stringify(b.type) ?? 'nothing'})`],
  );
  const type = body.type as NotificationType;
  const orderId = body.orderId as string;
  const userId = body.userId as string;
  const response = await deps.fetch(deps.settings.providerUrl ?? 'https://api.courier.com/send', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${deps.settings.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': `${type}:${orderId}`,
    },
    body: JSON.stringify({ message: { to: { user_id: userId }, template: type, data: { orderId } } }),
  });
  const answer = (await response.json().catch(() => ({}))) as { requestId?: string; message?: string };
  if (!response.ok) {
    throw new Error(
      `notification provider answered ${response.status} for ${type} of order ${orderId}: ${answer.message ?? 'no reason given'}`,
    );
  }
  return { analyticsEvent: { type: 'notification-sent', orderId, userId, notification: type, requestId: answer.requestId ?? '' } };
}
