// A work queue with its dead-letter queue: encrypted, long-polling, redrive both ways.
import { Construct } from 'constructs';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { PropProblems, isUnresolved } from '../../core/validation.js';
import { AwsContext } from './aws-context.js';

export interface QueueWithDlqProps {
  /** Queue name without `.fifo` (added when `fifo` is true); the DLQ is `<name>-dlq`. */
  readonly name: string;
  /** Longest time one consumer takes for one batch; the visibility timeout is 6 × this. @default 30 */
  readonly consumerTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** @default SQS-managed SSE (SSE-SQS) */
  readonly kmsKeyArn?: string;
  /** @default false */
  readonly fifo?: boolean;
  /** Only with `fifo`. @default false */
  readonly contentBasedDeduplication?: boolean;
  /** Retention of the work queue; the DLQ always keeps messages for the maximum 14 days. @default 345600 (4 days) */
  readonly retentionSeconds?: number;
}

/** SQS's maximum visibility timeout (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;
const MAX_RETENTION_SECONDS = 1_209_600;
const VISIBILITY_FACTOR = 6;

export class QueueWithDlq extends Construct {
  public readonly queue: SqsQueue;
  public readonly deadLetterQueue: SqsQueue;
  public readonly arn: string;
  public readonly url: string;
  public readonly name: string;
  public readonly deadLetterArn: string;
  public readonly deadLetterUrl: string;
  public readonly deadLetterName: string;
  public readonly consumerTimeoutSeconds: number;
  public readonly visibilityTimeoutSeconds: number;
  public readonly fifo: boolean;
  /** The key consumers and producers must be allowed to use; undefined with SSE-SQS. */
  public readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.fifo = props.fifo ?? false;
    this.consumerTimeoutSeconds = props.consumerTimeoutSeconds ?? 30;
    this.visibilityTimeoutSeconds = VISIBILITY_FACTOR * this.consumerTimeoutSeconds;
    this.kmsKeyArn = props.kmsKeyArn;
    validate(this, props, this.fifo, this.consumerTimeoutSeconds);

    const suffix = this.fifo ? '.fifo' : '';
    const name = `${props.name}${suffix}`;
    const deadLetterName = `${props.name}-dlq${suffix}`;
    const context = AwsContext.of(this);
    const queueArn = `arn:${context.partition}:sqs:${context.region}:${context.accountId}:${name}`;
    const common = {
      fifoQueue: this.fifo ? true : undefined,
      contentBasedDeduplication: this.fifo ? (props.contentBasedDeduplication ?? false) : undefined,
      ...encryption(props.kmsKeyArn),
    };

    this.deadLetterQueue = new SqsQueue(this, 'dlq', {
      name: deadLetterName,
      ...common,
      messageRetentionSeconds: MAX_RETENTION_SECONDS,
      // The work queue's ARN is built from its name: referencing the resource would be a cycle.
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [queueArn] }),
    });
    this.queue = new SqsQueue(this, 'queue', {
      name,
      ...common,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.retentionSeconds ?? 345_600,
      receiveWaitTimeSeconds: 20,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: props.maxReceiveCount ?? 5 }),
    });

    this.arn = this.queue.arn;
    this.url = this.queue.url;
    this.name = this.queue.name;
    this.deadLetterArn = this.deadLetterQueue.arn;
    this.deadLetterUrl = this.deadLetterQueue.url;
    this.deadLetterName = this.deadLetterQueue.name;
  }
}

function encryption(kmsKeyArn: string | undefined): {
  sqsManagedSseEnabled?: boolean;
  kmsMasterKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
} {
  if (kmsKeyArn === undefined) return { sqsManagedSseEnabled: true };
  // Five minutes of data-key reuse keeps KMS calls (and their cost) low without weakening encryption.
  return { kmsMasterKeyId: kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
}

function validate(scope: Construct, props: QueueWithDlqProps, fifo: boolean, consumerTimeout: number): void {
  const maxBase = 80 - '-dlq'.length - (fifo ? '.fifo'.length : 0);
  const p = new PropProblems(scope, 'QueueWithDlq')
    .matches(
      'name',
      props.name,
      new RegExp(`^[A-Za-z0-9_-]{1,${maxBase}}$`),
      `1-${maxBase} letters, digits, hyphens or underscores, without .fifo (set fifo: true)`,
    )
    .range('maxReceiveCount', props.maxReceiveCount, 1, 1000)
    .range('retentionSeconds', props.retentionSeconds, 60, MAX_RETENTION_SECONDS)
    .matches(
      'kmsKeyArn',
      props.kmsKeyArn,
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/.+)$/,
      'a KMS key ARN, alias ARN or alias/<name>',
    );
  const maxConsumer = MAX_VISIBILITY_SECONDS / VISIBILITY_FACTOR;
  if (isUnresolved(consumerTimeout)) {
    p.check(false, `consumerTimeoutSeconds must be a literal number: the visibility timeout is computed from it (got a token)`);
  } else {
    p.check(
      Number.isInteger(consumerTimeout) && consumerTimeout >= 1 && consumerTimeout <= maxConsumer,
      `consumerTimeoutSeconds must be an integer between 1 and ${maxConsumer}: the visibility timeout is ${VISIBILITY_FACTOR} × it and SQS allows at most ${MAX_VISIBILITY_SECONDS} (got ${consumerTimeout}, visibility ${VISIBILITY_FACTOR * consumerTimeout})`,
    );
  }
  p.check(
    fifo || props.contentBasedDeduplication === undefined,
    `contentBasedDeduplication needs fifo: true (got fifo: false, contentBasedDeduplication: ${props.contentBasedDeduplication})`,
  );
  p.throwIfAny();
}
