import { gzipSync } from 'node:zlib';
import { entraToken } from '../../../function-kit/entra-token.js';
import { logsIngestion } from '../../../function-kit/logs-ingestion.js';
import { azureStandIn, type AzureStandIn } from '../../../../../test/functions/azure-stand-in.js';
import { logForwarder, MAX_MESSAGE_CHARS, type LogsBatch } from './handler.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => Promise.all(closers.splice(0).map((c) => c())));

const STREAM = 'Custom-AwsLogs_CL';
const event = (batch: Partial<LogsBatch>) => ({
  awslogs: {
    data: gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '111111111111',
        logGroup: '/aws/lambda/commerce-prod-order',
        logStream: 's1',
        logEvents: [],
        ...batch,
      }),
    ).toString('base64'),
  },
});
const lines = (n: number, size = 10) =>
  Array.from({ length: n }, (_, i) => ({ id: `e${i}`, timestamp: Date.UTC(2026, 11, 2, 1, 0, i), message: 'x'.repeat(size) }));

async function forwarderAgainst(prepare: (azure: AzureStandIn) => void = () => undefined, maxBatchBytes?: number) {
  const azure = await azureStandIn();
  closers.push(azure.close);
  prepare(azure);
  const forward = logForwarder(
    logsIngestion({
      endpoint: azure.base,
      ruleId: 'dcr-0123',
      stream: STREAM,
      token: entraToken(
        { tenantId: 't1', clientId: 'c1', clientSecret: async () => 's', authority: azure.base },
        'https://monitor.azure.com/.default',
      ),
      maxBatchBytes,
      sleep: async () => undefined,
    }),
  );
  return { azure, forward };
}

describe('log forwarder', () => {
  test('GIVEN a batch of log events WHEN forwarded THEN each is a row of the custom stream, posted to the rule with a monitor token', async () => {
    const { azure, forward } = await forwarderAgainst();

    expect(await forward(event({ logEvents: [{ id: 'e1', timestamp: Date.UTC(2026, 11, 2, 1), message: '{"level":"ERROR"}' }] }))).toEqual({
      rows: 1,
    });

    expect(azure.rows.get(STREAM)).toEqual([
      {
        TimeGenerated: '2026-12-02T01:00:00.000Z',
        Account: '111111111111',
        LogGroup: '/aws/lambda/commerce-prod-order',
        LogStream: 's1',
        EventId: 'e1',
        Message: '{"level":"ERROR"}',
      },
    ]);
    const [token, post] = azure.seen;
    expect(new URLSearchParams(token!.body.toString()).get('scope')).toBe('https://monitor.azure.com/.default');
    expect(post).toMatchObject({ method: 'POST', url: `/dataCollectionRules/dcr-0123/streams/${STREAM}?api-version=2023-01-01` });
    expect(post!.headers).toMatchObject({ authorization: 'Bearer token-1', 'content-type': 'application/json' });
  });

  test('GIVEN more rows than one call may carry WHEN forwarded THEN they go in several calls under the limit, none lost', async () => {
    const { azure, forward } = await forwarderAgainst(undefined, 1000);
    await forward(event({ logEvents: lines(20, 100) }));
    const posts = azure.seen.filter((s) => s.method === 'POST' && !s.url.endsWith('/token'));
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((p) => p.body.length <= 1000)).toBe(true);
    expect((azure.rows.get(STREAM) as { EventId: string }[]).map((r) => r.EventId)).toEqual(lines(20).map((l) => l.id));
  });

  test('GIVEN a message longer than a column holds WHEN forwarded THEN it is cut and marked', async () => {
    const { azure, forward } = await forwarderAgainst();
    await forward(event({ logEvents: lines(1, MAX_MESSAGE_CHARS + 5) }));
    expect((azure.rows.get(STREAM)![0] as { Message: string }).Message).toBe(`${'x'.repeat(MAX_MESSAGE_CHARS)}…[truncated]`);
  });

  test('GIVEN the control message CloudWatch Logs sends first WHEN forwarded THEN nothing is posted', async () => {
    const { azure, forward } = await forwarderAgainst();
    expect(await forward(event({ messageType: 'CONTROL_MESSAGE', logEvents: lines(1) }))).toEqual({ rows: 0 });
    expect(azure.seen).toHaveLength(0);
  });

  test('GIVEN Logs Ingestion throttles twice WHEN forwarded THEN the call is retried and the rows arrive', async () => {
    const { azure, forward } = await forwarderAgainst((a) => a.fail(/dataCollectionRules/, 429, 2));
    await forward(event({ logEvents: lines(3) }));
    expect(azure.rows.get(STREAM)).toHaveLength(3);
    expect(azure.seen.filter((s) => s.url.includes('dataCollectionRules'))).toHaveLength(3);
  });

  test.each([
    ['refuses the rows (403)', 403, 1],
    ['keeps failing (503)', 503, 4],
  ])(
    'GIVEN Logs Ingestion %s WHEN forwarded THEN the invocation fails naming the status (Lambda retries, then the DLQ)',
    async (_, status, tries) => {
      const { azure, forward } = await forwarderAgainst((a) => a.fail(/dataCollectionRules/, status));
      await expect(forward(event({ logEvents: lines(2) }))).rejects.toThrow(`Logs Ingestion refused 2 rows of ${STREAM}: HTTP ${status}`);
      expect(azure.seen.filter((s) => s.url.includes('dataCollectionRules'))).toHaveLength(tries);
    },
  );

  test('GIVEN a row larger than a call WHEN batched THEN it is refused, naming the sizes', async () => {
    const { forward } = await forwarderAgainst(undefined, 100);
    await expect(forward(event({ logEvents: lines(1, 200) }))).rejects.toThrow('does not fit in a Logs Ingestion call (at most 100)');
  });
});
