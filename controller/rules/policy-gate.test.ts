import type { PolicySettings } from '../../modules/policy/engine.js';
import type { SynthStacks } from '../core/ports/plan-report.js';
import { evaluatePolicyGate, orderFindings, waiverStack, type PolicyGateInput } from './policy-gate.js';

const TAGS = { environment: 'uat', system: 'ingest', owner: 'platform-team', 'cost-center': 'cc-1002' };
/** An SQS queue: encrypted unless told otherwise, tagged, without a dead-letter queue (GITOPS_SQS_DLQ fails). */
const queue = (opts: { encrypted?: boolean } = {}) => ({
  ...(opts.encrypted === false ? {} : { sqs_managed_sse_enabled: true }),
  tags: TAGS,
});
const stack = (queues: Record<string, object>) => ({ resource: { aws_sqs_queue: queues } });
const release = { resource: { terraform_data: { record: { input: { commit_sha: 'x' } } } } };

const SHA_H = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const ERROR: PolicySettings = { level: 'error', waivers: [] };

function input(over: Partial<PolicyGateInput> & { head: SynthStacks; base?: SynthStacks }): PolicyGateInput {
  const { head, base, ...rest } = over;
  return {
    environment: 'uat',
    headSha: SHA_H,
    baseSha: SHA_B,
    baseRef: 'release/r1',
    settings: ERROR,
    stacks: Object.keys(head).map((name) => ({ name, status: 'changed' as const })),
    synthesized: { head, base },
    ...rest,
  };
}

const keys = (fs: readonly { rule: string; stack: string; resource: string }[]) => fs.map((f) => `${f.rule} ${f.stack} ${f.resource}`);

describe('evaluatePolicyGate', () => {
  test('GIVEN a failure at the base and a new one at the head WHEN evaluated THEN the head-only failures are new and the shared one is existing', () => {
    const base = { 'ingest-uat': stack({ work: queue() }), 'release-uat': release };
    const head = { 'ingest-uat': stack({ work: queue(), audit: queue({ encrypted: false }) }), 'release-uat': release };
    const r = evaluatePolicyGate(input({ head, base }));
    expect(keys(r.newFailures)).toEqual(['CKV_AWS_27 ingest-uat aws_sqs_queue.audit', 'GITOPS_SQS_DLQ ingest-uat aws_sqs_queue.audit']);
    expect(keys(r.existingFailures)).toEqual(['GITOPS_SQS_DLQ ingest-uat aws_sqs_queue.work']);
    expect(r.summary).toMatchObject({ stacks: 2, failed: 3, errors: 3, warnings: 0, waived: 0 });
    expect(r.conclusion).toBe('failure');
    expect(r.stacks).toEqual(['ingest-uat', 'release-uat']);
    expect(r.notes).toEqual([]);
  });

  test('GIVEN the same findings at level warning WHEN evaluated THEN the check is neutral, the findings still listed', () => {
    const head = { 'ingest-uat': stack({ audit: queue({ encrypted: false }) }) };
    const r = evaluatePolicyGate(input({ head, base: {}, settings: { level: 'warning', waivers: [] } }));
    expect(r.conclusion).toBe('neutral');
    expect(r.level).toBe('warning');
    expect(r.summary).toMatchObject({ failed: 2, errors: 0, warnings: 2 });
    expect(r.newFailures).toHaveLength(2);
  });

  test('GIVEN stacks where every rule passes WHEN evaluated THEN the check succeeds', () => {
    const r = evaluatePolicyGate(input({ head: { 'release-uat': release }, base: { 'release-uat': release } }));
    expect(r.conclusion).toBe('success');
    expect(r.summary.failed).toBe(0);
  });

  test('GIVEN waivers of the base WHEN evaluated THEN the matching failure is waived, a checked miss is stale and an unaffected stack is not checked', () => {
    const head = { 'ingest-uat': stack({ work: queue() }) };
    const settings: PolicySettings = {
      level: 'error',
      waivers: [
        { rule: 'GITOPS_SQS_DLQ', resource: 'ingest-uat.aws_sqs_queue.work', reason: 'telemetry; losing a message is fine' },
        { rule: 'CKV_AWS_27', resource: 'ingest-uat.aws_sqs_queue.gone', reason: 'queue removed long ago' },
        { rule: 'CKV_AWS_27', resource: 'payments-uat.aws_sqs_queue.jobs', reason: 'not part of this pull request' },
      ],
    };
    const r = evaluatePolicyGate(input({ head, base: head, settings }));
    expect(r.conclusion).toBe('success');
    expect(keys(r.waived)).toEqual(['GITOPS_SQS_DLQ ingest-uat aws_sqs_queue.work']);
    expect(r.waived[0].waiverReason).toBe('telemetry; losing a message is fine');
    expect(r.waivers.map((w) => w.state)).toEqual(['applied', 'stale', 'not-checked']);
    expect(r.existingFailures).toEqual([]);
  });

  test('GIVEN a waiver naming an unknown rule WHEN evaluated at level warning THEN it is a problem and the check fails', () => {
    const settings: PolicySettings = {
      level: 'warning',
      waivers: [{ rule: 'CKV_NOPE', resource: 'ingest-uat.aws_sqs_queue.work', reason: 'long enough reason' }],
    };
    const r = evaluatePolicyGate(input({ head: { 'release-uat': release }, base: {}, settings }));
    expect(r.conclusion).toBe('failure');
    expect(r.problems).toEqual(['uat: policy.waivers.0.rule: unknown rule "CKV_NOPE" (see gitops policy --rules)']);
  });

  test('GIVEN a base that did not synthesize WHEN evaluated THEN every failure is new and a note says why', () => {
    const head = { 'ingest-uat': stack({ work: queue() }) };
    const r = evaluatePolicyGate(input({ head }));
    expect(keys(r.newFailures)).toEqual(['GITOPS_SQS_DLQ ingest-uat aws_sqs_queue.work']);
    expect(r.notes).toEqual(['the base bbbbbbb did not synthesize uat: every failure counts as new']);
  });

  test('GIVEN affected stacks that are removed, unaffected stacks with failures WHEN evaluated THEN only affected stacks present at the head are checked', () => {
    const head = { 'ingest-uat': stack({ work: queue() }), 'payments-uat': stack({ jobs: queue({ encrypted: false }) }) };
    const r = evaluatePolicyGate(
      input({
        head,
        base: { ...head, 'old-uat': stack({ q: queue() }) },
        stacks: [
          { name: 'ingest-uat', status: 'unchanged' },
          { name: 'old-uat', status: 'removed' },
        ],
      }),
    );
    expect(r.stacks).toEqual(['ingest-uat']);
    expect(r.summary.stacks).toBe(1);
    expect(keys([...r.newFailures, ...r.existingFailures]).every((k) => k.includes('ingest-uat'))).toBe(true);
    expect(r.notes).toEqual(['removed at the head, so not checked: old-uat']);
  });

  test('GIVEN a rule that passes at the base and fails at the head on the same resource WHEN evaluated THEN it is new', () => {
    const base = { 'ingest-uat': stack({ work: queue() }) };
    const head = { 'ingest-uat': stack({ work: queue({ encrypted: false }) }) };
    const r = evaluatePolicyGate(input({ head, base }));
    expect(keys(r.newFailures)).toEqual(['CKV_AWS_27 ingest-uat aws_sqs_queue.work']);
    expect(keys(r.existingFailures)).toEqual(['GITOPS_SQS_DLQ ingest-uat aws_sqs_queue.work']);
  });

  test('GIVEN a resource the rules cannot read WHEN evaluated THEN the engine error is thrown for the caller to report', () => {
    const head = { 'ingest-uat': { resource: { aws_sqs_queue: { work: null } } } } as unknown as SynthStacks;
    expect(() => evaluatePolicyGate(input({ head }))).toThrow();
  });
});

describe('orderFindings and waiverStack', () => {
  test('GIVEN findings of every severity WHEN ordered THEN critical comes first, then by stack, resource and rule', () => {
    const f = (severity: 'low' | 'critical' | 'high', stackName: string, rule = 'R') =>
      ({ rule, severity, stack: stackName, resource: 'a.b' }) as Parameters<typeof orderFindings>[0][number];
    expect(
      orderFindings([f('low', 'a'), f('high', 'b'), f('critical', 'c'), f('high', 'a', 'S'), f('high', 'a', 'Q')]).map(
        (x) => `${x.severity} ${x.stack} ${x.rule}`,
      ),
    ).toEqual(['critical c R', 'high a Q', 'high a S', 'high b R', 'low a R']);
  });

  test('GIVEN waiver resources WHEN their stack is read THEN the last two segments are type and name', () => {
    expect(waiverStack('imaging-prod.aws_s3_bucket.logs_1A2B')).toBe('imaging-prod');
    expect(waiverStack('odd.name.aws_s3_bucket.logs')).toBe('odd.name');
    expect(waiverStack('nodots')).toBe('nodots');
  });
});
