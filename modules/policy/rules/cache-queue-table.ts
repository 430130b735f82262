import type { PolicyRule, ResourceView, StackView } from '../types.js';
import { expectThat, get, isTrue, parseJsonAttribute, rule, show } from './helpers.js';
import { refersTo } from '../stack-view.js';

const RG = ['aws_elasticache_replication_group'];

/** A queue is a dead-letter queue when another queue's redrive policy targets it, or it has a redrive-allow policy. */
function isDeadLetterQueue(q: ResourceView, stack: StackView): boolean {
  if (stack.referencing('aws_sqs_queue_redrive_allow_policy', 'queue_url', q).length > 0) return true;
  if (q.config.redrive_allow_policy !== undefined) return true;
  return stack.ofType('aws_sqs_queue').some((other) => other !== q && refersTo(other.config.redrive_policy, q.address));
}

function hasRedrive(q: ResourceView, stack: StackView): boolean {
  if (q.config.redrive_policy !== undefined) return (parseJsonAttribute(q.config.redrive_policy) ?? q.config.redrive_policy) !== undefined;
  return stack.referencing('aws_sqs_queue_redrive_policy', 'queue_url', q).length > 0;
}

export const cacheQueueTableRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_29',
    title: 'ElastiCache Redis is encrypted at rest',
    severity: 'high',
    resourceTypes: RG,
    remediation: 'Set at_rest_encryption_enabled = true (RedisReplicationGroup does).',
    check: (r) =>
      expectThat(isTrue(r.config.at_rest_encryption_enabled), `at_rest_encryption_enabled is ${show(r.config.at_rest_encryption_enabled)}`),
  }),
  rule({
    id: 'CKV_AWS_30',
    title: 'ElastiCache Redis is encrypted in transit',
    severity: 'high',
    resourceTypes: RG,
    remediation: 'Set transit_encryption_enabled = true.',
    check: (r) =>
      expectThat(isTrue(r.config.transit_encryption_enabled), `transit_encryption_enabled is ${show(r.config.transit_encryption_enabled)}`),
  }),
  rule({
    id: 'CKV_AWS_31',
    title: 'ElastiCache Redis requires AUTH',
    severity: 'high',
    resourceTypes: RG,
    remediation: 'Set auth_token (from Secrets Manager) with transit encryption, or user_group_ids.',
    check: (r) =>
      expectThat(
        isTrue(r.config.transit_encryption_enabled) && (r.config.auth_token !== undefined || r.config.user_group_ids !== undefined),
        'no auth_token or user groups with transit encryption',
      ),
  }),
  rule({
    id: 'CKV2_AWS_50',
    title: 'ElastiCache Redis fails over automatically across AZs',
    severity: 'medium',
    resourceTypes: RG,
    remediation: 'Set multiAz: true and cache.replicas ≥ 1 for the system in the environment file.',
    check: (r) =>
      expectThat(
        isTrue(r.config.automatic_failover_enabled) && isTrue(r.config.multi_az_enabled),
        `automatic_failover_enabled is ${show(r.config.automatic_failover_enabled)}, multi_az_enabled is ${show(r.config.multi_az_enabled)}`,
      ),
  }),
  rule({
    id: 'CKV_AWS_27',
    title: 'SQS queue is encrypted',
    severity: 'medium',
    resourceTypes: ['aws_sqs_queue'],
    remediation: 'Set sqs_managed_sse_enabled = true or kms_master_key_id (QueueWithDlq does).',
    check: (q) =>
      expectThat(
        isTrue(q.config.sqs_managed_sse_enabled) || q.config.kms_master_key_id !== undefined,
        'neither sqs_managed_sse_enabled nor kms_master_key_id is set',
      ),
  }),
  rule({
    id: 'GITOPS_SQS_DLQ',
    title: 'Work queues have a dead-letter queue',
    severity: 'medium',
    resourceTypes: ['aws_sqs_queue'],
    remediation: 'Use QueueWithDlq, or set redrive_policy with deadLetterTargetArn and maxReceiveCount.',
    check: (q, stack) =>
      expectThat(isDeadLetterQueue(q, stack) || hasRedrive(q, stack), 'the queue has no redrive policy to a dead-letter queue'),
  }),
  rule({
    id: 'CKV_AWS_28',
    title: 'DynamoDB table has point-in-time recovery',
    severity: 'medium',
    resourceTypes: ['aws_dynamodb_table'],
    remediation: 'Set point_in_time_recovery { enabled = true } (Table does).',
    check: (t) => expectThat(isTrue(get(t.config, 'point_in_time_recovery.enabled')), 'point_in_time_recovery is not enabled'),
  }),
];
