import { summarizePlan, toAction } from './summary.js';
import { SENSITIVE } from '../core/ports/plan-report.js';

// Shapes as printed by `terraform show -json` (format_version 1.2).
const plan = {
  format_version: '1.2',
  resource_changes: [
    {
      address: 'aws_db_instance.main',
      type: 'aws_db_instance',
      name: 'main',
      change: {
        actions: ['update'],
        before: { instance_class: 'db.t4g.micro', password: 'old', tags: { a: '1' } },
        after: { instance_class: 'db.t4g.small', password: 'new', tags: { a: '1' } },
        after_unknown: {},
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      },
    },
    {
      address: 'aws_s3_bucket.logs',
      type: 'aws_s3_bucket',
      name: 'logs',
      change: { actions: ['delete', 'create'], before: { bucket: 'a' }, after: { bucket: 'b' }, after_unknown: { arn: true } },
    },
    { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', change: { actions: ['delete'], before: { name: 'q' }, after: null } },
    { address: 'aws_kms_key.k', type: 'aws_kms_key', name: 'k', change: { actions: ['no-op'], before: { id: 'k' }, after: { id: 'k' } } },
    {
      address: 'aws_vpc.main',
      type: 'aws_vpc',
      name: 'main',
      change: {
        actions: ['create'],
        before: null,
        after: { cidr_block: '10.0.0.0/16', secret_list: ['x'] },
        after_unknown: { id: true },
        after_sensitive: { secret_list: [true] },
      },
    },
    { address: 'data.aws_region.r', type: 'aws_region', name: 'r', change: { actions: ['read'], before: null, after: {} } },
  ],
  output_changes: { url: { actions: ['create'], before: null, after: 'x' }, same: { actions: ['no-op'], before: 1, after: 1 } },
};

describe('summarizePlan', () => {
  const summary = summarizePlan('payments-prod', plan);

  test('GIVEN a mixed plan WHEN summarized THEN each action is counted', () => {
    expect(summary.counts).toEqual({ add: 1, change: 1, replace: 1, destroy: 1, noop: 1, read: 1 });
    expect(summary.hasChanges).toBe(true);
    expect(summary.resources.map((r) => [r.address, r.action])).toEqual([
      ['aws_db_instance.main', 'update'],
      ['aws_s3_bucket.logs', 'replace'],
      ['aws_sqs_queue.q', 'delete'],
      ['aws_vpc.main', 'create'],
      ['data.aws_region.r', 'read'],
    ]);
  });

  test('GIVEN a sensitive attribute WHEN summarized THEN its values are masked and unchanged attributes are left out', () => {
    const db = summary.resources[0];
    expect(db.attributes).toEqual([
      { path: 'instance_class', before: 'db.t4g.micro', after: 'db.t4g.small', sensitive: false, unknownAfter: false },
      { path: 'password', before: SENSITIVE, after: SENSITIVE, sensitive: true, unknownAfter: false },
    ]);
    expect(JSON.stringify(summary)).not.toContain('"new"');
    expect(JSON.stringify(summary)).not.toContain('"old"');
  });

  test('GIVEN values known only after apply and sensitive list items WHEN summarized THEN they are flagged', () => {
    const vpc = summary.resources[3];
    expect(vpc.attributes).toContainEqual({ path: 'id', before: undefined, after: undefined, sensitive: false, unknownAfter: true });
    expect(vpc.attributes).toContainEqual({
      path: 'secret_list[0]',
      before: undefined,
      after: SENSITIVE,
      sensitive: true,
      unknownAfter: false,
    });
    expect(summary.resources[1].attributes).toContainEqual(expect.objectContaining({ path: 'arn', unknownAfter: true }));
  });

  test('GIVEN values terraform leaves unmarked (Lambda environment, a plan without sensitivity) WHEN summarized THEN the synth diff rules mask them too', () => {
    const s = summarizePlan('commerce-dev', {
      resource_changes: [
        {
          address: 'aws_lambda_function.fn',
          type: 'aws_lambda_function',
          name: 'fn',
          mode: 'managed',
          change: {
            actions: ['update'],
            before: { memory_size: 128, environment: [{ variables: { STRIPE_WEBHOOK: 'whsec-old-value' } }] },
            after: { memory_size: 256, environment: [{ variables: { STRIPE_WEBHOOK: 'whsec-new-value' } }] },
          },
        },
        {
          address: 'aws_ssm_parameter.db',
          type: 'aws_ssm_parameter',
          name: 'db',
          mode: 'managed',
          change: { actions: ['create'], before: null, after: { name: '/app/db', value: 'ssm-plain-value' } },
        },
      ],
    });
    expect(s.resources.map((r) => r.attributes.map((a) => [a.path, a.before, a.after]))).toEqual([
      [
        ['environment[0].variables.STRIPE_WEBHOOK', SENSITIVE, SENSITIVE],
        ['memory_size', 128, 256],
      ],
      [
        ['name', undefined, '/app/db'],
        ['value', undefined, SENSITIVE],
      ],
    ]);
    expect(JSON.stringify(s)).not.toMatch(/whsec-old-value|whsec-new-value|ssm-plain-value/);
  });

  test('GIVEN output changes WHEN summarized THEN they are listed with their action', () => {
    expect(summary.outputs).toEqual([
      { name: 'url', action: 'create' },
      { name: 'same', action: 'no-op' },
    ]);
  });

  test('GIVEN only no-ops WHEN summarized THEN there are no changes', () => {
    const s = summarizePlan('x', { resource_changes: [plan.resource_changes[3]] });
    expect(s.hasChanges).toBe(false);
    expect(s.resources).toEqual([]);
  });

  test('GIVEN an unknown action list or a non-plan WHEN summarized THEN the error says what it got', () => {
    expect(() => toAction(['create', 'update'])).toThrow('unknown terraform change actions [create, update]');
    expect(() => summarizePlan('s', 'nope')).toThrow('plan of stack s is not a terraform JSON plan');
  });
});
