// The backup service: each change of the AWS tables (Products, Users, Inventory) that change capture
// put on backup-jobs is kept twice on Azure: as a JSON blob in the backup account's dynamodb-exports
// container (named by the stream event id, the message id) and as a row of dbo.TableChanges in the
// Transactions database (keyed by the same id, so a redelivered change is stored once).
import { checkMessage, type MessageMeta } from '../message.js';

export const BACKED_UP_TABLES = ['Products', 'Users', 'Inventory'] as const;
const CHANGES = ['INSERT', 'MODIFY', 'REMOVE'];

/** A row of dbo.TableChanges (the SQL output binding upserts by ChangeId). */
export interface ChangeRow {
  readonly ChangeId: string;
  readonly TableName: string;
  readonly Change: string;
  /** JSON of the item's key attributes. */
  readonly ItemKeys: string;
  /** JSON of the item after the change; null when it was removed. */
  readonly Item: string | null;
  readonly Sequence: string;
  readonly ChangedAt: string;
}

export interface BackupOutputs {
  /** The blob's content: the change as change capture sent it. */
  readonly backup: string;
  readonly change: ChangeRow;
}

export async function backUpChange(message: unknown, meta: MessageMeta): Promise<BackupOutputs> {
  const body = checkMessage('backup-jobs', message, { sequence: 'string' }, (b) => [
    ...(BACKED_UP_TABLES.includes(b.table as never)
      ? []
      : [`table must be one of ${BACKED_UP_TABLES.join(', ')} (got ${JSON.stringify(b.table) ?? 'nothing'})`]),
    ...(CHANGES.includes(b.change as string)
      ? []
      : [`change must be one of ${CHANGES.join(', ')} (got ${JSON.stringify(b.change) ?? 'nothing'})`]),
    ...(isObject(b.keys) && Object.keys(b.keys).length > 0
      ? []
      : [`keys must be an object of the item's key attributes (got ${JSON.stringify(b.keys) ?? 'nothing'})`]),
    ...(b.item === undefined || b.item === null || isObject(b.item)
      ? []
      : [`item must be an object or absent (got ${JSON.stringify(b.item)})`]),
    ...(b.change !== 'REMOVE' && !isObject(b.item) ? [`item is required for an ${String(b.change)}`] : []),
    ...(b.at === undefined || (typeof b.at === 'number' && Number.isFinite(b.at))
      ? []
      : [`at must be epoch seconds or absent (got ${JSON.stringify(b.at)})`]),
    ...(meta.messageId === '' ? ['the message has no id'] : []),
  ]);
  return {
    backup: JSON.stringify(body),
    change: {
      ChangeId: meta.messageId,
      TableName: body.table as string,
      Change: body.change as string,
      ItemKeys: JSON.stringify(body.keys),
      Item: isObject(body.item) ? JSON.stringify(body.item) : null,
      Sequence: body.sequence as string,
      ChangedAt: typeof body.at === 'number' ? new Date(body.at * 1000).toISOString() : meta.enqueuedTimeUtc,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
