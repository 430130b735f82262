// Azure Monitor's Logs Ingestion API: rows of a data collection rule's custom stream, posted as JSON
// to the data collection endpoint with an Entra ID bearer token. A call carries at most 1 MB, so rows
// are sent in batches under that; throttling and 5xx answers are retried, anything else is an error.
import { withRetries } from './entra-token.js';

/** The API's limit per call is 1 MB; the batches stay under it with room for the array's commas. */
export const MAX_BATCH_BYTES = 1_000_000;

export interface LogsIngestionOptions {
  /** The data collection endpoint's logs ingestion URL, `https://<dce>.<region>.ingest.monitor.azure.com`. */
  readonly endpoint: string;
  /** The data collection rule's immutable id, `dcr-…`. */
  readonly ruleId: string;
  /** The rule's input stream, `Custom-<table>`. */
  readonly stream: string;
  readonly token: () => Promise<string>;
  /** @default MAX_BATCH_BYTES */
  readonly maxBatchBytes?: number;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** Waits between retries. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Sends every row; resolves with the number of calls made, rejects on the first batch refused. */
export function logsIngestion(options: LogsIngestionOptions): (rows: readonly object[]) => Promise<number> {
  const http = options.fetch ?? fetch;
  const url = `${options.endpoint.replace(/\/$/, '')}/dataCollectionRules/${encodeURIComponent(options.ruleId)}/streams/${encodeURIComponent(options.stream)}?api-version=2023-01-01`;
  return async (rows) => {
    const batches = inBatches(rows, options.maxBatchBytes ?? MAX_BATCH_BYTES);
    for (const batch of batches) {
      const response = await withRetries(
        async () =>
          http(url, {
            method: 'POST',
            headers: { authorization: `Bearer ${await options.token()}`, 'content-type': 'application/json' },
            body: `[${batch.join(',')}]`,
          }),
        4,
        500,
        options.sleep,
      );
      await response.body?.cancel();
      if (response.status !== 204) {
        throw new Error(`Logs Ingestion refused ${batch.length} rows of ${options.stream}: HTTP ${response.status}`);
      }
    }
    return batches.length;
  };
}

/** The rows as JSON, grouped so that each group's array stays within `maxBytes`. */
export function inBatches(rows: readonly object[], maxBytes: number): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const text = JSON.stringify(row);
    const bytes = Buffer.byteLength(text) + 1;
    if (bytes + 2 > maxBytes) throw new Error(`a row of ${bytes} bytes does not fit in a Logs Ingestion call (at most ${maxBytes})`);
    if (size + bytes > maxBytes && current.length > 0) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(text);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
