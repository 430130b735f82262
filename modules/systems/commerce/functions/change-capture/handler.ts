// Change capture: each change of the Products, Users and Inventory tables (their streams) goes to
// Azure as a message on backup-jobs, which the backup-service function writes to Azure SQL. The
// stream record's id is the message id, so a retried batch does not store a change twice. A record
// that cannot be sent is reported by its sequence number: Lambda retries from there.
import { eachRecord, type BatchResponse } from '../../../function-kit/batch.js';
import { fromItem, type AttributeValue } from '../../../function-kit/dynamo.js';
import type { ServiceBus } from '../../../function-kit/service-bus.js';

export interface StreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label> */
  readonly eventSourceARN: string;
  readonly dynamodb: {
    readonly SequenceNumber: string;
    readonly ApproximateCreationDateTime?: number;
    readonly Keys: Record<string, AttributeValue>;
    readonly NewImage?: Record<string, AttributeValue>;
  };
}

export interface ChangeCaptureDeps {
  readonly bus: ServiceBus;
  readonly queue: string;
}

export function changeCapture(deps: ChangeCaptureDeps): (event: { Records: readonly StreamRecord[] }) => Promise<BatchResponse> {
  return (event) =>
    eachRecord(
      event.Records,
      (r) => r.dynamodb.SequenceNumber,
      async (record) => {
        const change = {
          table: tableOf(record.eventSourceARN),
          change: record.eventName,
          keys: fromItem(record.dynamodb.Keys),
          item: record.dynamodb.NewImage && fromItem(record.dynamodb.NewImage),
          at: record.dynamodb.ApproximateCreationDateTime,
          sequence: record.dynamodb.SequenceNumber,
        };
        await deps.bus.send(deps.queue, change, record.eventID);
      },
    );
}

/** The table's name without the stack's prefix (`commerce-prod-Products` → `Products`). */
export function tableOf(streamArn: string): string {
  const name = /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
  if (name === undefined) throw new Error(`not a DynamoDB stream ARN: ${JSON.stringify(streamArn)}`);
  return name.slice(name.lastIndexOf('-') + 1);
}
