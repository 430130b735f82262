// The ingest consumer: forwards each queued message to the downstream services as an event on the
// EventBridge bus (they subscribe with rules on its source). Messages are sent ten at a time; one
// the bus refuses, or that is not JSON, is reported alone so SQS retries only it and, after
// maxReceiveCount tries, parks it in the dead-letter queue.
import type { BatchResponse, SqsEvent, SqsRecord } from '../../../function-kit/batch.js';

export interface DownstreamEvent {
  /** The message as it was posted (JSON). */
  readonly detail: string;
  /** Who posted it (the receiver's `source` attribute). */
  readonly caller: string;
}

export interface ConsumerDeps {
  /** Publishes up to ten events; returns, in order, whether each was accepted. */
  readonly publish: (events: readonly DownstreamEvent[]) => Promise<readonly boolean[]>;
}

/** PutEvents takes at most ten entries. */
export const PUBLISH_BATCH = 10;

export function consumer(deps: ConsumerDeps): (event: SqsEvent) => Promise<BatchResponse> {
  return async (event) => {
    const failed: string[] = [];
    const deliverable: SqsRecord[] = [];
    for (const record of event.Records) {
      if (isJsonObject(record.body)) deliverable.push(record);
      else {
        console.error(JSON.stringify({ level: 'ERROR', message: 'message is not a JSON object', id: record.messageId }));
        failed.push(record.messageId);
      }
    }
    for (let i = 0; i < deliverable.length; i += PUBLISH_BATCH) {
      const chunk = deliverable.slice(i, i + PUBLISH_BATCH);
      const events = chunk.map((r) => ({ detail: r.body, caller: r.messageAttributes?.source?.stringValue ?? 'unknown' }));
      let accepted: readonly boolean[];
      try {
        accepted = await deps.publish(events);
      } catch (e) {
        console.error(JSON.stringify({ level: 'ERROR', message: 'publish failed', error: String(e) }));
        accepted = [];
      }
      chunk.forEach((r, n) => {
        if (accepted[n] !== true) failed.push(r.messageId);
      });
    }
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

function isJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}
