// The daily backup of the S3 buckets to Azure Blob Storage: every object of product-images and
// static-assets changed since the last successful run is copied to `<bucket kind>/<key>` in the
// backup account's s3-daily container (in blocks when it is large). The time the last successful
// run started is a checkpoint blob in the same container; it moves only when every object was
// copied, so an object that failed is tried again the next day, and the run fails (alarm, DLQ).
import type { BlobContainer } from '../../../function-kit/azure-blob.js';

export interface SourceObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}

/** The buckets as the backup reads them (S3 in the entry, memory in the tests). */
export interface ObjectSource {
  readonly list: (bucket: string) => AsyncIterable<SourceObject>;
  /** Bytes `start` to `end` inclusive of the object. */
  readonly read: (bucket: string, key: string, start: number, end: number) => Promise<Uint8Array>;
}

export interface BlobBackupDeps {
  readonly source: ObjectSource;
  readonly container: BlobContainer;
  /** Bucket names by the prefix their copies get, e.g. `{"product-images": "commerce-prod-product-images-…"}`. */
  readonly buckets: Readonly<Record<string, string>>;
  /** Objects up to this size go in one Put Blob; larger ones in blocks of this size. @default 8 MiB */
  readonly blockBytes?: number;
  /** @default the clock */
  readonly now?: () => Date;
}

export interface BackupReport {
  /** Copied objects changed since this time (undefined on the first run: everything). */
  readonly since?: string;
  readonly copied: number;
  readonly unchanged: number;
}

export const CHECKPOINT_BLOB = '_checkpoint/last-run.json';

export function blobBackup(deps: BlobBackupDeps): () => Promise<BackupReport> {
  const blockBytes = deps.blockBytes ?? 8 * 1024 * 1024;
  const now = deps.now ?? (() => new Date());
  return async () => {
    const startedAt = now().toISOString();
    const since = await lastRun(deps.container);
    let copied = 0;
    let unchanged = 0;
    const failed: string[] = [];
    for (const [kind, bucket] of Object.entries(deps.buckets)) {
      for await (const object of deps.source.list(bucket)) {
        if (since !== undefined && object.lastModified.getTime() < Date.parse(since)) {
          unchanged++;
          continue;
        }
        const name = `${kind}/${object.key}`;
        try {
          if (object.size <= blockBytes) {
            const data = object.size === 0 ? new Uint8Array() : await deps.source.read(bucket, object.key, 0, object.size - 1);
            await deps.container.put(name, data);
          } else {
            await deps.container.putBlocks(name, blocksOf(deps.source, bucket, object, blockBytes));
          }
          copied++;
        } catch (e) {
          failed.push(name);
          console.error(JSON.stringify({ level: 'ERROR', message: 'object not backed up', bucket, key: object.key, error: String(e) }));
        }
      }
    }
    if (failed.length > 0) {
      throw new Error(
        `${failed.length} of ${failed.length + copied} changed objects were not backed up (first: ${failed[0]}); ` +
          `the checkpoint stays at ${since ?? 'none'}, so the next run copies them again`,
      );
    }
    await deps.container.put(CHECKPOINT_BLOB, JSON.stringify({ startedAt, copied }), 'application/json');
    console.log(JSON.stringify({ level: 'INFO', message: 'backup done', since, copied, unchanged }));
    return { since, copied, unchanged };
  };
}

async function lastRun(container: BlobContainer): Promise<string | undefined> {
  const text = await container.read(CHECKPOINT_BLOB);
  if (text === undefined) return undefined;
  const startedAt = (JSON.parse(text) as { startedAt?: unknown }).startedAt;
  if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) {
    throw new Error(`${CHECKPOINT_BLOB} has no valid startedAt (got ${JSON.stringify(startedAt)}): delete it to copy everything again`);
  }
  return startedAt;
}

async function* blocksOf(source: ObjectSource, bucket: string, object: SourceObject, blockBytes: number): AsyncIterable<Uint8Array> {
  for (let start = 0; start < object.size; start += blockBytes) {
    yield await source.read(bucket, object.key, start, Math.min(start + blockBytes, object.size) - 1);
  }
}
