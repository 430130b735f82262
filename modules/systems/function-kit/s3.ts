// S3 calls more than one function makes, over the runtime's SDK client.
import { HeadObjectCommand } from '@aws-sdk/client-s3';

/** Whether `key` exists in `bucket` (HeadObject: a 404 is "no", any other error is thrown). */
export function objectExists(s3: SdkClient, bucket: string): (key: string) => Promise<boolean> {
  return async (key) => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'NotFound') return false;
      throw e;
    }
  };
}
