// Central logging on Azure: CloudWatch Logs subscription filters hand this function batches of log
// events (gzipped JSON, base64); each event becomes a row of the AwsLogs_CL table in Log Analytics,
// sent through the Logs Ingestion API. A refused batch fails the invocation, so Lambda retries it
// and, when every retry fails, parks the event in the dead-letter queue: nothing is dropped unseen.
import { gunzipSync } from 'node:zlib';

export interface LogsSubscriptionEvent {
  readonly awslogs: { readonly data: string };
}

export interface LogsBatch {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly logEvents: readonly { readonly id: string; readonly timestamp: number; readonly message: string }[];
}

/** One row of the custom table (its columns are declared in aws-ops.ts). */
export interface AwsLogRow {
  readonly TimeGenerated: string;
  readonly Account: string;
  readonly LogGroup: string;
  readonly LogStream: string;
  readonly EventId: string;
  readonly Message: string;
}

/** Log Analytics keeps at most 32 KB of a string column; a longer message is cut and says so. */
export const MAX_MESSAGE_CHARS = 32_000;

export function decodeLogs(event: LogsSubscriptionEvent): LogsBatch {
  return JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as LogsBatch;
}

export function logForwarder(
  upload: (rows: readonly AwsLogRow[]) => Promise<number>,
): (event: LogsSubscriptionEvent) => Promise<{ rows: number }> {
  return async (event) => {
    const batch = decodeLogs(event);
    // CloudWatch Logs checks the destination with a control message when the filter is created.
    if (batch.messageType !== 'DATA_MESSAGE') return { rows: 0 };
    const rows = batch.logEvents.map((e) => ({
      TimeGenerated: new Date(e.timestamp).toISOString(),
      Account: batch.owner,
      LogGroup: batch.logGroup,
      LogStream: batch.logStream,
      EventId: e.id,
      Message: e.message.length > MAX_MESSAGE_CHARS ? `${e.message.slice(0, MAX_MESSAGE_CHARS)}…[truncated]` : e.message,
    }));
    await upload(rows);
    return { rows: rows.length };
  };
}
