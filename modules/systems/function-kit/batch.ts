// Partial batch responses (ReportBatchItemFailures): only the records that failed are retried, the
// others are deleted from the queue (or the stream moves past them).

export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** Runs `each` on every record; a record whose call throws is reported by its id, and logged. */
export async function eachRecord<R>(records: readonly R[], id: (r: R) => string, each: (r: R) => Promise<void>): Promise<BatchResponse> {
  const failed: string[] = [];
  for (const record of records) {
    try {
      await each(record);
    } catch (e) {
      failed.push(id(record));
      console.error(JSON.stringify({ level: 'ERROR', message: 'record failed', id: id(record), error: String(e) }));
    }
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

export interface SqsRecord {
  readonly messageId: string;
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly messageAttributes?: Readonly<Record<string, { readonly stringValue?: string }>>;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}
