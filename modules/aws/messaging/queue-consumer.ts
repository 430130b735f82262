// A Lambda function consuming a QueueWithDlq, reporting per-message failures so one bad
// message does not send its whole batch back to the queue.
import { Construct } from 'constructs';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js';
import { PropProblems } from '../../core/validation.js';
import type { QueueWithDlq } from './queue.js';

export interface QueueConsumerProps {
  readonly queue: QueueWithDlq;
  /** Name or ARN of the consuming function. Its role needs `consumeQueues: [queue.arn]` (and the queue's key, if any). */
  readonly functionName: string;
  /** Messages per invocation: 1-10 for FIFO queues, 1-10000 otherwise (above 10 needs a batching window). @default 10 */
  readonly batchSize?: number;
  /** Seconds to gather a batch (0-300). @default 0 */
  readonly maxBatchingWindowSeconds?: number;
  /** Most concurrent invocations this queue may cause (2-1000). @default no cap beyond the function's own */
  readonly maximumConcurrency?: number;
  /** The function's timeout; checked against the queue's consumerTimeoutSeconds when given. @default not checked */
  readonly functionTimeoutSeconds?: number;
  /** @default true */
  readonly enabled?: boolean;
}

export class QueueConsumer extends Construct {
  public readonly mapping: LambdaEventSourceMapping;
  /** The event source mapping's UUID. */
  public readonly uuid: string;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    validate(this, props);
    this.mapping = new LambdaEventSourceMapping(this, 'mapping', {
      eventSourceArn: props.queue.arn,
      functionName: props.functionName,
      batchSize: props.batchSize ?? 10,
      maximumBatchingWindowInSeconds: props.maxBatchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: props.maximumConcurrency === undefined ? undefined : { maximumConcurrency: props.maximumConcurrency },
      enabled: props.enabled ?? true,
    });
    this.uuid = this.mapping.uuid;
  }
}

function validate(scope: Construct, props: QueueConsumerProps): void {
  const fifo = props.queue.fifo;
  const maxBatch = fifo ? 10 : 10_000;
  const p = new PropProblems(scope, 'QueueConsumer')
    .range(`batchSize${fifo ? ' (FIFO queue)' : ''}`, props.batchSize, 1, maxBatch)
    .range('maxBatchingWindowSeconds', props.maxBatchingWindowSeconds, 0, 300)
    .range('maximumConcurrency', props.maximumConcurrency, 2, 1000)
    .range('functionTimeoutSeconds', props.functionTimeoutSeconds, 1, 900);
  p.check(
    (props.batchSize ?? 10) <= 10 || (props.maxBatchingWindowSeconds ?? 0) >= 1,
    `batchSize above 10 needs maxBatchingWindowSeconds of at least 1 (got batchSize ${props.batchSize}, maxBatchingWindowSeconds ${props.maxBatchingWindowSeconds ?? 0})`,
    props.batchSize,
  );
  const limit = props.queue.consumerTimeoutSeconds;
  p.check(
    props.functionTimeoutSeconds === undefined || props.functionTimeoutSeconds <= limit,
    `functionTimeoutSeconds must not exceed the queue's consumerTimeoutSeconds ${limit}, or messages reappear while still being processed (got ${props.functionTimeoutSeconds})`,
    props.functionTimeoutSeconds,
  );
  p.throwIfAny();
}
