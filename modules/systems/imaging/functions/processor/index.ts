// Entry of the imaging processor: images are written to IMAGE_BUCKET.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectExists } from '../../../function-kit/s3.js';
import { processor } from './handler.js';

const s3 = new S3Client({});
const bucket = process.env.IMAGE_BUCKET ?? '';

export const handler = processor({
  exists: objectExists(s3, bucket),
  put: async (key, body, contentType) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  },
});
