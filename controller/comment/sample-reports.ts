// Plan reports used by the golden-file tests and the comment benchmark. Deterministic.
import type { PlanReport, ResourceChange, StackReport } from '../plan/types.js';

export const HEAD_SHA = '3f5a9c2e8b1d4f6a7c0e9b8d2a1f3c5e7d9b0a42';
export const BASE_SHA = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
export const NEW_HEAD_SHA = 'abc1234def567890abc1234def567890abc12345';
const TIMES = { startedAt: '2026-03-02T09:14:03.000Z', finishedAt: '2026-03-02T09:15:41.000Z' };

const release = (env: string, action: 'create' | 'update' = 'update'): StackReport => ({
  name: `release-${env}`,
  status: 'changed',
  source: 'terraform',
  summary: {
    stack: `release-${env}`,
    counts: { add: action === 'create' ? 1 : 0, change: action === 'update' ? 1 : 0, replace: 0, destroy: 0, noop: 0, read: 0 },
    hasChanges: true,
    resources: [
      {
        address: 'terraform_data.record_release_F658472A',
        type: 'terraform_data',
        name: 'record_release_F658472A',
        action,
        attributes: [
          {
            path: 'input.commit_sha',
            before: action === 'create' ? undefined : BASE_SHA,
            after: HEAD_SHA,
            sensitive: false,
            unknownAfter: false,
          },
          { path: 'output', before: undefined, after: undefined, sensitive: false, unknownAfter: true },
        ],
      },
    ],
    outputs: [{ name: 'record_commit_sha_8BA5B9ED', action: 'update' }],
  },
});

/** A plan of two stacks with every kind of change, a secret, an unknown value and hostile names. */
export function smallReport(): PlanReport {
  const resources: ResourceChange[] = [
    {
      address: 'aws_s3_bucket.logs',
      type: 'aws_s3_bucket',
      name: 'logs',
      action: 'create',
      attributes: [
        { path: 'bucket', after: 'payments-dev-logs', sensitive: false, unknownAfter: false },
        { path: 'arn', sensitive: false, unknownAfter: true },
      ],
    },
    {
      address: 'aws_ecs_service.web',
      type: 'aws_ecs_service',
      name: 'web',
      action: 'update',
      attributes: [
        { path: 'desired_count', before: 1, after: 2, sensitive: false, unknownAfter: false },
        { path: 'tags.note', before: 'a|b', after: 'x</details><!-- gitops:plan -->`rm -rf`', sensitive: false, unknownAfter: false },
      ],
    },
    {
      address: 'aws_db_instance.main',
      type: 'aws_db_instance',
      name: 'main',
      action: 'replace',
      attributes: [
        { path: 'engine_version', before: '15.4', after: '16.1', sensitive: false, unknownAfter: false },
        { path: 'password', before: '(sensitive)', after: '(sensitive)', sensitive: true, unknownAfter: false },
      ],
    },
    {
      address: 'aws_sqs_queue.legacy',
      type: 'aws_sqs_queue',
      name: 'legacy',
      action: 'delete',
      attributes: [{ path: 'name', before: 'legacy', sensitive: false, unknownAfter: false }],
    },
    { address: 'data.aws_iam_policy_document.assume', type: 'aws_iam_policy_document', name: 'assume', action: 'read', attributes: [] },
  ];
  return {
    environment: 'dev',
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    stacks: [
      {
        name: 'payments-dev',
        status: 'changed',
        source: 'terraform',
        summary: {
          stack: 'payments-dev',
          counts: { add: 1, change: 1, replace: 1, destroy: 1, noop: 12, read: 1 },
          hasChanges: true,
          resources,
          outputs: [],
        },
      },
      release('dev'),
    ],
    warnings: [],
    ...TIMES,
  };
}

/** Terraform could not init the AWS stack offline: its synth diff is shown instead. */
export function unavailableReport(): PlanReport {
  return {
    environment: 'uat',
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    stacks: [
      {
        name: 'ingest-uat',
        status: 'changed',
        source: 'synth',
        unavailableReason:
          'providers cannot be installed: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws',
        synthDiff: {
          stack: 'ingest-uat',
          status: 'changed',
          resources: [
            {
              address: 'aws_lambda_function.ingest',
              type: 'aws_lambda_function',
              name: 'ingest',
              action: 'update',
              attributes: [
                { path: 'memory_size', before: 256, after: 512, sensitive: false, unknownAfter: false },
                {
                  path: 'environment[0].variables.API_TOKEN',
                  before: '(sensitive)',
                  after: '(sensitive)',
                  sensitive: true,
                  unknownAfter: false,
                },
              ],
            },
            {
              address: 'aws_sqs_queue.dlq',
              type: 'aws_sqs_queue',
              name: 'dlq',
              action: 'create',
              attributes: [{ path: 'message_retention_seconds', after: 1209600, sensitive: false, unknownAfter: false }],
            },
          ],
          outputs: [{ name: 'dlq_url', action: 'create' }],
          settings: [{ path: 'provider.aws[0].region', before: 'eu-west-1', after: 'eu-central-1', sensitive: false, unknownAfter: false }],
        },
      },
      release('uat'),
    ],
    warnings: [],
    ...TIMES,
  };
}

/** Nothing to do: the head matches the deployed state. */
export function noChangesReport(): PlanReport {
  const stack = release('prod');
  return {
    environment: 'prod',
    headSha: HEAD_SHA,
    baseSha: HEAD_SHA,
    stacks: [
      {
        ...stack,
        status: 'unchanged',
        summary: {
          ...stack.summary!,
          counts: { add: 0, change: 0, replace: 0, destroy: 0, noop: 1, read: 0 },
          hasChanges: false,
          resources: [],
          outputs: [],
        },
      },
    ],
    warnings: [],
    ...TIMES,
  };
}

/** `resources` created resources spread over `stacks` stacks (plus the release stack), three attributes each. */
export function largeReport(resources = 5000, stacks = 10): PlanReport {
  const perStack = Math.ceil(resources / stacks);
  const systemStacks: StackReport[] = Array.from({ length: stacks }, (_, s) => {
    const count = Math.min(perStack, resources - s * perStack);
    const changes: ResourceChange[] = Array.from({ length: count }, (_, i) => ({
      address: `aws_cloudwatch_metric_alarm.alarm_${s}_${i}`,
      type: 'aws_cloudwatch_metric_alarm',
      name: `alarm_${s}_${i}`,
      action: 'create',
      attributes: [
        { path: 'alarm_name', after: `system-${s}-alarm-${i}`, sensitive: false, unknownAfter: false },
        { path: 'threshold', after: i % 100, sensitive: false, unknownAfter: false },
        { path: 'arn', sensitive: false, unknownAfter: true },
      ],
    }));
    return {
      name: `system${s}-dev`,
      status: 'changed',
      source: 'terraform',
      summary: {
        stack: `system${s}-dev`,
        counts: { add: count, change: 0, replace: 0, destroy: 0, noop: 0, read: 0 },
        hasChanges: true,
        resources: changes,
        outputs: [],
      },
    };
  });
  return { environment: 'dev', headSha: HEAD_SHA, baseSha: BASE_SHA, stacks: [...systemStacks, release('dev')], warnings: [], ...TIMES };
}
