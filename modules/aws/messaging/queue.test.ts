import { TerraformOutput, Testing } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { QueueWithDlq } from './queue.js';
import { resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const CONTEXT = 'data.aws_caller_identity.aws-context-messaging_caller_8A7296A9.account_id';

function queues(props: ConstructorParameters<typeof QueueWithDlq>[2]) {
  const all = resourcesOf(
    synth((scope) => new QueueWithDlq(scope, 'q', props)),
    'aws_sqs_queue',
  );
  return { queue: all['q_queue_66BEFBC5']!, dlq: all['q_dlq_A6636384']! };
}

describe('QueueWithDlq', () => {
  test('GIVEN only a name WHEN synthesized THEN both queues use SSE-SQS and the work queue redrives to the DLQ after 5 receives', () => {
    const out = Testing.synthScope((scope) => new QueueWithDlq(scope, 'q', { name: 'orders' }));
    expect(out).toHaveResourceWithProperties(SqsQueue, {
      name: 'orders-dlq',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1_209_600,
    });
    const { queue } = queues({ name: 'orders' });
    expect(queue).toEqual({
      name: 'orders',
      sqs_managed_sse_enabled: true,
      visibility_timeout_seconds: 180,
      message_retention_seconds: 345_600,
      receive_wait_time_seconds: 20,
      redrive_policy: JSON.stringify({ deadLetterTargetArn: '${aws_sqs_queue.q_dlq_A6636384.arn}', maxReceiveCount: 5 }),
    });
  });

  test('GIVEN a queue WHEN synthesized THEN the DLQ accepts redrives only from its own work queue', () => {
    const { dlq } = queues({ name: 'orders' });
    expect(JSON.parse(dlq.redrive_allow_policy as string)).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [
        'arn:${data.aws_partition.aws-context-messaging_partition_96CEB1F0.partition}:sqs:${data.aws_region.aws-context-messaging_region_E8C50101.region}:${' +
          CONTEXT +
          '}:orders',
      ],
    });
  });

  test('GIVEN two queues in one stack WHEN synthesized THEN they share one set of account/region/partition lookups', () => {
    const s = synth((scope) => {
      new QueueWithDlq(scope, 'a', { name: 'a' });
      new QueueWithDlq(scope, 'b', { name: 'b' });
    });
    expect(Object.keys(s.data ?? {}).sort()).toEqual(['aws_caller_identity', 'aws_partition', 'aws_region']);
    expect(Object.keys(s.data!['aws_caller_identity']!)).toHaveLength(1);
  });

  test('GIVEN consumerTimeoutSeconds, maxReceiveCount and retention WHEN synthesized THEN visibility is 6 × the timeout', () => {
    const { queue } = queues({ name: 'orders', consumerTimeoutSeconds: 900, maxReceiveCount: 3, retentionSeconds: 86_400 });
    expect(queue.visibility_timeout_seconds).toBe(5400);
    expect(queue.message_retention_seconds).toBe(86_400);
    expect(JSON.parse(queue.redrive_policy as string).maxReceiveCount).toBe(3);
  });

  test('GIVEN a KMS key WHEN synthesized THEN both queues use it with 5-minute data-key reuse and no SSE-SQS', () => {
    const { queue, dlq } = queues({ name: 'orders', kmsKeyArn: KEY });
    for (const q of [queue, dlq]) {
      expect(q).toMatchObject({ kms_master_key_id: KEY, kms_data_key_reuse_period_seconds: 300 });
      expect(q.sqs_managed_sse_enabled).toBeUndefined();
    }
  });

  test('GIVEN fifo with content-based deduplication WHEN synthesized THEN both names end in .fifo and both queues are FIFO', () => {
    const all = resourcesOf(
      synth((scope) => new QueueWithDlq(scope, 'q', { name: 'ledger', fifo: true, contentBasedDeduplication: true })),
      'aws_sqs_queue',
    );
    expect(Object.values(all).map((q) => [q.name, q.fifo_queue, q.content_based_deduplication])).toEqual([
      ['ledger-dlq.fifo', true, true],
      ['ledger.fifo', true, true],
    ]);
  });

  test('GIVEN a queue WHEN constructed THEN its fields expose the timeouts and references neighbours need', () => {
    const scope = stack();
    const q = new QueueWithDlq(scope, 'q', { name: 'orders', consumerTimeoutSeconds: 60, kmsKeyArn: KEY });
    expect([q.consumerTimeoutSeconds, q.visibilityTimeoutSeconds, q.fifo, q.kmsKeyArn]).toEqual([60, 360, false, KEY]);
    new TerraformOutput(scope, 'fields', { value: [q.arn, q.url, q.name, q.deadLetterArn, q.deadLetterUrl, q.deadLetterName] });
    expect(JSON.parse(Testing.synth(scope)).output.fields.value).toEqual([
      '${aws_sqs_queue.q_queue_66BEFBC5.arn}',
      '${aws_sqs_queue.q_queue_66BEFBC5.url}',
      '${aws_sqs_queue.q_queue_66BEFBC5.name}',
      '${aws_sqs_queue.q_dlq_A6636384.arn}',
      '${aws_sqs_queue.q_dlq_A6636384.url}',
      '${aws_sqs_queue.q_dlq_A6636384.name}',
    ]);
  });

  test('GIVEN a consumer timeout whose visibility would pass 12 hours WHEN constructed THEN the error shows both figures', () => {
    expect(() => new QueueWithDlq(stack(), 'q', { name: 'orders', consumerTimeoutSeconds: 7201 })).toThrow(
      'QueueWithDlq test/q: consumerTimeoutSeconds must be an integer between 1 and 7200: the visibility timeout is 6 × it and SQS allows at most 43200 (got 7201, visibility 43206)',
    );
    expect(() => new QueueWithDlq(stack(), 'q', { name: 'orders', consumerTimeoutSeconds: 7200 })).not.toThrow();
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new QueueWithDlq(stack(), 'q', {
          name: 'orders.fifo',
          consumerTimeoutSeconds: 0,
          maxReceiveCount: 0,
          retentionSeconds: 2_000_000,
          kmsKeyArn: 'key-1',
          contentBasedDeduplication: true,
        }),
    ).toThrow(
      [
        'QueueWithDlq test/q: name must be 1-76 letters, digits, hyphens or underscores, without .fifo (set fifo: true) (got "orders.fifo")',
        'maxReceiveCount must be an integer between 1 and 1000 (got 0)',
        'retentionSeconds must be an integer between 60 and 1209600 (got 2000000)',
        'kmsKeyArn must be a KMS key ARN, alias ARN or alias/<name> (got "key-1")',
        'consumerTimeoutSeconds must be an integer between 1 and 7200: the visibility timeout is 6 × it and SQS allows at most 43200 (got 0, visibility 0)',
        'contentBasedDeduplication needs fifo: true (got fifo: false, contentBasedDeduplication: true)',
      ].join('; '),
    );
  });

  test('GIVEN a FIFO name too long for its DLQ WHEN constructed THEN the limit accounts for -dlq.fifo', () => {
    expect(() => new QueueWithDlq(stack(), 'q', { name: 'x'.repeat(72), fifo: true })).toThrow(
      `name must be 1-71 letters, digits, hyphens or underscores, without .fifo (set fifo: true) (got "${'x'.repeat(72)}")`,
    );
  });
});
