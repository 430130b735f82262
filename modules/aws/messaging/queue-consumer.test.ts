import { Testing } from 'cdktf';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { QueueConsumer } from './queue-consumer.js';
import { QueueWithDlq } from './queue.js';
import { onlyResource, stack, synth } from '../../../test/modules/synth.js';

const FN = 'arn:aws:lambda:eu-west-1:111111111111:function:orders-worker';

describe('QueueConsumer', () => {
  test('GIVEN a queue and a function WHEN synthesized THEN batches of 10 are consumed with partial batch responses', () => {
    const out = Testing.synthScope((scope) => {
      const queue = new QueueWithDlq(scope, 'q', { name: 'orders' });
      new QueueConsumer(scope, 'consumer', { queue, functionName: FN });
    });
    expect(out).toHaveResourceWithProperties(LambdaEventSourceMapping, {
      event_source_arn: '${aws_sqs_queue.q_queue_66BEFBC5.arn}',
      function_name: FN,
      batch_size: 10,
      function_response_types: ['ReportBatchItemFailures'],
      enabled: true,
    });
    const mapping = onlyResource(JSON.parse(out), 'aws_lambda_event_source_mapping');
    expect(mapping.scaling_config).toBeUndefined();
    expect(mapping.maximum_batching_window_in_seconds).toBeUndefined();
  });

  test('GIVEN batch size, window, maximum concurrency and disabled WHEN synthesized THEN the mapping carries them', () => {
    const mapping = onlyResource(
      synth((scope) => {
        const queue = new QueueWithDlq(scope, 'q', { name: 'orders' });
        new QueueConsumer(scope, 'consumer', {
          queue,
          functionName: FN,
          batchSize: 500,
          maxBatchingWindowSeconds: 5,
          maximumConcurrency: 20,
          enabled: false,
          functionTimeoutSeconds: 30,
        });
      }),
      'aws_lambda_event_source_mapping',
    );
    expect(mapping).toMatchObject({
      batch_size: 500,
      maximum_batching_window_in_seconds: 5,
      scaling_config: { maximum_concurrency: 20 },
      enabled: false,
    });
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    const scope = stack();
    const queue = new QueueWithDlq(scope, 'q', { name: 'orders', consumerTimeoutSeconds: 60 });
    expect(
      () =>
        new QueueConsumer(scope, 'consumer', {
          queue,
          functionName: FN,
          batchSize: 20,
          maxBatchingWindowSeconds: 301,
          maximumConcurrency: 1,
          functionTimeoutSeconds: 120,
        }),
    ).toThrow(
      [
        'QueueConsumer test/consumer: maxBatchingWindowSeconds must be an integer between 0 and 300 (got 301)',
        'maximumConcurrency must be an integer between 2 and 1000 (got 1)',
        "functionTimeoutSeconds must not exceed the queue's consumerTimeoutSeconds 60, or messages reappear while still being processed (got 120)",
      ].join('; '),
    );
  });

  test('GIVEN a FIFO queue and a batch above 10 without a window WHEN constructed THEN both limits are reported', () => {
    const scope = stack();
    const queue = new QueueWithDlq(scope, 'q', { name: 'ledger', fifo: true });
    expect(() => new QueueConsumer(scope, 'consumer', { queue, functionName: FN, batchSize: 11 })).toThrow(
      'QueueConsumer test/consumer: batchSize (FIFO queue) must be an integer between 1 and 10 (got 11); batchSize above 10 needs maxBatchingWindowSeconds of at least 1 (got batchSize 11, maxBatchingWindowSeconds 0)',
    );
  });
});
