import { jest } from '@jest/globals';
import { blobContainer } from '../../../function-kit/azure-blob.js';
import { entraToken } from '../../../function-kit/entra-token.js';
import { azureStandIn, type AzureStandIn } from '../../../../../test/functions/azure-stand-in.js';
import { blobBackup, CHECKPOINT_BLOB, type ObjectSource } from './handler.js';

/** Buckets in memory: the objects with their bytes and modification times. */
function memorySource(buckets: Record<string, { key: string; data: string; at: string }[]>): ObjectSource {
  return {
    list: async function* (bucket) {
      for (const o of buckets[bucket] ?? []) yield { key: o.key, size: Buffer.byteLength(o.data), lastModified: new Date(o.at) };
    },
    read: async (bucket, key, start, end) => Buffer.from(buckets[bucket]!.find((o) => o.key === key)!.data).subarray(start, end + 1),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  jest.restoreAllMocks();
});

async function backupAgainst(buckets: Parameters<typeof memorySource>[0], prepare: (azure: AzureStandIn) => void = () => undefined) {
  const azure = await azureStandIn();
  closers.push(azure.close);
  prepare(azure);
  const container = blobContainer({
    url: `${azure.base}/s3-daily`,
    token: entraToken(
      { tenantId: 't1', clientId: 'c1', clientSecret: async () => 's', authority: azure.base },
      'https://storage.azure.com/.default',
    ),
    sleep: async () => undefined,
  });
  const run = blobBackup({
    source: memorySource(buckets),
    container,
    buckets: { 'product-images': 'images-bucket', 'static-assets': 'assets-bucket' },
    blockBytes: 4,
    now: () => new Date('2026-12-02T02:00:00.000Z'),
  });
  return { azure, run };
}

const text = (azure: AzureStandIn, path: string) => azure.blobs.get(path)?.toString();

describe('blob backup', () => {
  test('GIVEN no earlier run WHEN backing up THEN every object is copied under its bucket kind, a large one in blocks, and the checkpoint set', async () => {
    const { azure, run } = await backupAgainst({
      'images-bucket': [{ key: 'mugs/red mug.jpg', data: 'abc', at: '2026-11-01T00:00:00Z' }],
      'assets-bucket': [{ key: 'app.js', data: 'console.log(1)', at: '2026-11-02T00:00:00Z' }],
    });
    jest.spyOn(console, 'log').mockImplementation(() => undefined);

    const report = await run();

    expect(report).toEqual({ since: undefined, copied: 2, unchanged: 0 });
    expect(text(azure, '/s3-daily/product-images/mugs/red mug.jpg')).toBe('abc');
    expect(text(azure, '/s3-daily/static-assets/app.js')).toBe('console.log(1)');
    const blockPuts = azure.seen.filter((s) => s.url.includes('comp=block&'));
    expect(blockPuts.map((s) => s.body.toString())).toEqual(['cons', 'ole.', 'log(', '1)']);
    expect(JSON.parse(text(azure, `/s3-daily/${CHECKPOINT_BLOB}`)!)).toEqual({ startedAt: '2026-12-02T02:00:00.000Z', copied: 2 });
    const blobCalls = azure.seen.filter((s) => !s.url.endsWith('/token'));
    expect(azure.seen.filter((s) => s.url.endsWith('/token'))).toHaveLength(1);
    expect(blobCalls.every((s) => s.headers.authorization === 'Bearer token-1' && s.headers['x-ms-version'] === '2023-11-03')).toBe(true);
    expect(blobCalls.find((s) => s.url === '/s3-daily/product-images/mugs/red%20mug.jpg')!.headers['x-ms-blob-type']).toBe('BlockBlob');
  });

  test('GIVEN a checkpoint WHEN backing up THEN only objects changed since it are copied', async () => {
    const { azure, run } = await backupAgainst(
      {
        'images-bucket': [
          { key: 'old.jpg', data: 'o', at: '2026-11-30T00:00:00Z' },
          { key: 'new.jpg', data: 'n', at: '2026-12-01T03:00:00Z' },
        ],
      },
      (a) => a.blobs.set(`/s3-daily/${CHECKPOINT_BLOB}`, Buffer.from('{"startedAt":"2026-12-01T02:00:00.000Z","copied":9}')),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);

    expect(await run()).toEqual({ since: '2026-12-01T02:00:00.000Z', copied: 1, unchanged: 1 });
    expect(azure.blobs.has('/s3-daily/product-images/old.jpg')).toBe(false);
    expect(text(azure, '/s3-daily/product-images/new.jpg')).toBe('n');
  });

  test('GIVEN Blob Storage throttles then answers WHEN backing up THEN the call is retried and nothing fails', async () => {
    const { azure, run } = await backupAgainst({ 'images-bucket': [{ key: 'a.jpg', data: 'a', at: '2026-11-01T00:00:00Z' }] }, (a) =>
      a.fail(/^PUT \/s3-daily\/product-images\/a\.jpg$/, 503, 2),
    );
    jest.spyOn(console, 'log').mockImplementation(() => undefined);

    expect((await run()).copied).toBe(1);
    expect(azure.seen.filter((s) => s.url === '/s3-daily/product-images/a.jpg')).toHaveLength(3);
  });

  test('GIVEN Blob Storage refuses one object WHEN backing up THEN the others are copied, the run fails naming it, and the checkpoint does not move', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { azure, run } = await backupAgainst(
      {
        'images-bucket': [
          { key: 'denied.jpg', data: 'd', at: '2026-12-01T05:00:00Z' },
          { key: 'fine.jpg', data: 'f', at: '2026-12-01T05:00:00Z' },
        ],
      },
      (a) => {
        a.blobs.set(`/s3-daily/${CHECKPOINT_BLOB}`, Buffer.from('{"startedAt":"2026-12-01T02:00:00.000Z"}'));
        a.fail(/denied\.jpg/, 403);
      },
    );

    await expect(run()).rejects.toThrow(
      '1 of 2 changed objects were not backed up (first: product-images/denied.jpg); the checkpoint stays at 2026-12-01T02:00:00.000Z',
    );
    expect(text(azure, '/s3-daily/product-images/fine.jpg')).toBe('f');
    expect(azure.seen.filter((s) => s.url.includes('denied.jpg'))).toHaveLength(1);
    expect(text(azure, `/s3-daily/${CHECKPOINT_BLOB}`)).toBe('{"startedAt":"2026-12-01T02:00:00.000Z"}');
    expect(JSON.parse(errors.mock.calls[0]![0] as string)).toMatchObject({ bucket: 'images-bucket', key: 'denied.jpg' });
    expect(errors.mock.calls[0]![0]).toContain('Blob Storage refused Put Blob of product-images/denied.jpg: HTTP 403');
  });

  test('GIVEN Blob Storage keeps answering 500 WHEN backing up THEN it gives up after four tries and the run fails', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const { azure, run } = await backupAgainst(
      { 'assets-bucket': [{ key: 'big.css', data: '0123456789', at: '2026-11-01T00:00:00Z' }] },
      (a) => a.fail(/comp=blocklist/, 500),
    );

    await expect(run()).rejects.toThrow('1 of 1 changed objects were not backed up (first: static-assets/big.css)');
    expect(azure.seen.filter((s) => s.url.includes('comp=blocklist'))).toHaveLength(4);
    expect(azure.blobs.has(`/s3-daily/${CHECKPOINT_BLOB}`)).toBe(false);
  });

  test('GIVEN a checkpoint without a time WHEN backing up THEN the run stops before copying, naming the blob', async () => {
    const { azure, run } = await backupAgainst({ 'images-bucket': [{ key: 'a.jpg', data: 'a', at: '2026-11-01T00:00:00Z' }] }, (a) =>
      a.blobs.set(`/s3-daily/${CHECKPOINT_BLOB}`, Buffer.from('{"startedAt":"yesterday"}')),
    );

    await expect(run()).rejects.toThrow(`${CHECKPOINT_BLOB} has no valid startedAt (got "yesterday"): delete it to copy everything again`);
    expect(azure.blobs.has('/s3-daily/product-images/a.jpg')).toBe(false);
  });

  test('GIVEN Entra ID refuses the token WHEN backing up THEN the run fails before writing anything', async () => {
    const { azure, run } = await backupAgainst({ 'images-bucket': [] }, (a) => a.fail(/\/token$/, 401));
    await expect(run()).rejects.toThrow('Entra ID refused the token request: HTTP 401');
    expect(azure.blobs.size).toBe(0);
  });
});
