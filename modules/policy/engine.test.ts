import { evaluatePolicy, policyFails, summaryLine } from './engine.js';
import { formatPolicyReport } from './report.js';
import { environmentSchema } from '../../environments/schema.js';

const queue = (cfg: Record<string, unknown>) => ({ resource: { aws_sqs_queue: { work: cfg } } });
const encryptedNoDlq = queue({ sqs_managed_sse_enabled: true });
const stacks = [{ name: 'ingest-prod', environment: 'prod', json: encryptedNoDlq }];

describe('evaluatePolicy', () => {
  test('GIVEN a failing rule at error level WHEN evaluated THEN the report fails and names rule, stack and resource', () => {
    const report = evaluatePolicy(stacks, { prod: { level: 'error', waivers: [] } });
    expect(policyFails(report)).toBe(true);
    const lines = formatPolicyReport(report);
    expect(lines.join('\n')).toMatch(
      /GITOPS_SQS_DLQ\s+ingest-prod\s+aws_sqs_queue\.work\s+FAIL \(error\)\s+the queue has no redrive policy/,
    );
    expect(lines.at(-1)).toMatch(/^policy: 1 stacks, \d+ checks: \d+ passed, 2 failed \(2 errors, 0 warnings\), 0 waived$/);
  });

  test('GIVEN the same finding at warning level WHEN evaluated THEN it is reported but does not fail', () => {
    const report = evaluatePolicy(stacks, { prod: { level: 'warning', waivers: [] } });
    expect(policyFails(report)).toBe(false);
    expect(report.summary.warnings).toBe(2);
  });

  test('GIVEN a waiver for one rule on that resource WHEN evaluated THEN only that finding is waived and the waiver is listed', () => {
    const waivers = [
      { rule: 'GITOPS_SQS_DLQ', resource: 'ingest-prod.aws_sqs_queue.work', reason: 'fire-and-forget telemetry; loss is acceptable' },
    ];
    const report = evaluatePolicy(stacks, { prod: { level: 'error', waivers } });
    expect(report.summary).toMatchObject({ waived: 1, errors: 1 });
    const text = formatPolicyReport(report).join('\n');
    expect(text).toContain('waiver prod: GITOPS_SQS_DLQ on ingest-prod.aws_sqs_queue.work: fire-and-forget telemetry');
    expect(text).toMatch(/GITOPS_SQS_DLQ\s+ingest-prod\s+aws_sqs_queue\.work\s+waived/);
  });

  test('GIVEN a waiver that matches nothing or names an unknown rule WHEN evaluated THEN it is stale or a problem', () => {
    const waivers = [
      { rule: 'CKV_AWS_27', resource: 'ingest-prod.aws_sqs_queue.other', reason: 'the other queue is public data only' },
      { rule: 'CKV_NOPE', resource: 'ingest-prod.aws_sqs_queue.work', reason: 'a reason long enough' },
    ];
    const report = evaluatePolicy(stacks, { prod: { level: 'warning', waivers } });
    expect(report.waivers.map((w) => w.matched)).toEqual([false, false]);
    expect(report.problems).toEqual(['prod: policy.waivers.1.rule: unknown rule "CKV_NOPE" (see gitops policy --rules)']);
    expect(policyFails(report)).toBe(true);
    expect(formatPolicyReport(report).join('\n')).toContain('(matched nothing: stale)');
  });

  test('GIVEN waivers in an environment file WHEN parsed THEN a missing reason and an unknown rule are rejected', () => {
    const base = {
      name: 'prod',
      branch: 'main',
      tier: 'production',
      accounts: {},
      regions: { primary: { aws: 'eu-west-1', cidr: '10.0.0.0/16' } },
      backend: { type: 'local' },
      tags: { environment: 'prod', owner: 'o', 'cost-center': 'c' },
      release: { accepts: ['release/*'] },
    };
    const bad = environmentSchema.safeParse({ ...base, policy: { waivers: [{ rule: 'CKV_NOPE', resource: 'a.aws_b.c' }] } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^policy\.waivers\.0\.rule: must be a policy rule id/),
        expect.stringMatching(/^policy\.waivers\.0\.reason: /),
      ]),
    );
    const good = environmentSchema.safeParse({
      ...base,
      policy: { waivers: [{ rule: 'CKV_AWS_21', resource: 'a-prod.aws_s3_bucket.c', reason: 'immutable access logs only' }] },
    });
    expect(good.success).toBe(true);
  });

  test('GIVEN no stacks WHEN evaluated THEN the summary says so', () => {
    expect(summaryLine(evaluatePolicy([], {}))).toBe('policy: 0 stacks, 0 checks: 0 passed, 0 failed (0 errors, 0 warnings), 0 waived');
  });
});
