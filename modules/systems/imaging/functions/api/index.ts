// Entry of the imaging API: images in IMAGE_BUCKET, renderings requested on REQUEST_QUEUE_URL.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { objectExists } from '../../../function-kit/s3.js';
import { imagingApi } from './handler.js';

const s3 = new S3Client({});
const sqs = new SQSClient({});
const bucket = process.env.IMAGE_BUCKET ?? '';

export const handler = imagingApi({
  cdnDomain: process.env.CDN_DOMAIN,
  images: {
    exists: objectExists(s3, bucket),
    list: async (prefix, limit, after) => {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: limit, ContinuationToken: after }));
      return { keys: (page.Contents ?? []).map((o) => o.Key ?? ''), next: page.NextContinuationToken };
    },
  },
  requestRendering: async (body, group) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.REQUEST_QUEUE_URL ?? '', MessageBody: body, MessageGroupId: group }));
  },
});
