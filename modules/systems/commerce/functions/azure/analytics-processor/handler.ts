// The analytics processor: every event on analytics-events (orders placed, payments, notifications
// sent) becomes one row of dbo.Events in the Analytics database. The row's key is the message id,
// so a redelivered event overwrites its own row instead of counting twice.
import { checkMessage, type MessageMeta } from '../message.js';

/** A row of dbo.Events (the SQL output binding upserts by EventId). */
export interface EventRow {
  readonly EventId: string;
  readonly Type: string;
  readonly OrderId: string;
  readonly UserId: string;
  readonly Amount: number | null;
  /** The whole event, JSON: fields a type adds (lines, notification) stay queryable with OPENJSON. */
  readonly Payload: string;
  readonly OccurredAt: string;
}

export interface AnalyticsOutputs {
  readonly event: EventRow;
}

export async function recordEvent(message: unknown, meta: MessageMeta): Promise<AnalyticsOutputs> {
  const body = checkMessage(
    'analytics-events',
    message,
    { type: 'string', orderId: 'string', userId: 'string', amount: 'optional price' },
    () => (meta.messageId === '' ? ['the message has no id'] : []),
  );
  return {
    event: {
      EventId: meta.messageId,
      Type: body.type as string,
      OrderId: body.orderId as string,
      UserId: body.userId as string,
      Amount: (body.amount as number | undefined) ?? null,
      Payload: JSON.stringify(body),
      OccurredAt: meta.enqueuedTimeUtc,
    },
  };
}
