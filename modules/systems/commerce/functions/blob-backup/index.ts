// Entry of the daily backup: BUCKETS (JSON, prefix → bucket name) into BACKUP_CONTAINER_URL.
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { blobContainer } from '../../../function-kit/azure-blob.js';
import { entraToken } from '../../../function-kit/entra-token.js';
import { entraApplicationFromEnvironment } from '../azure.js';
import { blobBackup, type ObjectSource } from './handler.js';

const s3 = new S3Client({});
const source: ObjectSource = {
  list: async function* (bucket) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const o of page.Contents ?? []) yield { key: o.Key ?? '', size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) };
      token = page.NextContinuationToken;
    } while (token !== undefined);
  },
  read: async (bucket, key, start, end) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }));
    if (!object.Body) throw new Error(`s3://${bucket}/${key} answered without a body`);
    return object.Body.transformToByteArray();
  },
};

export const handler = blobBackup({
  source,
  container: blobContainer({
    url: process.env.BACKUP_CONTAINER_URL ?? '',
    token: entraToken(entraApplicationFromEnvironment(), 'https://storage.azure.com/.default'),
  }),
  buckets: JSON.parse(process.env.BUCKETS ?? '{}') as Record<string, string>,
});
