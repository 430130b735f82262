import type { Finding, PolicySettings } from '../../modules/policy/engine.js';
import { evaluatePolicyGate, type PolicyGateResult } from '../rules/policy-gate.js';
import type { SynthStacks } from '../core/ports/plan-report.js';
import { policyCheckTitle, renderPolicyCheckOutput, renderPolicyUnavailable } from './policy.js';
import { CHECK_RUN_LIMIT } from './limits.js';
import { BASE_SHA, HEAD_SHA } from '../../test/fixtures/sample-reports.js';
import { COMMENT_MARKER } from './templates.js';
import { checkRunGolden, expectGolden } from '../../test/fixtures/golden.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const tags = (env: string) => ({ environment: env, system: 'ingest', owner: 'platform-team', 'cost-center': 'cc-1' });
const queue = (env: string, encrypted = true) => ({ ...(encrypted ? { sqs_managed_sse_enabled: true } : {}), tags: tags(env) });
const queues = (q: Record<string, object>) => ({ resource: { aws_sqs_queue: q } });
const release = { resource: { terraform_data: { record: { input: { commit_sha: HEAD_SHA } } } } };

function gate(env: string, head: SynthStacks, base: SynthStacks | undefined, settings: PolicySettings): PolicyGateResult {
  return evaluatePolicyGate({
    environment: env,
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    baseRef: env === 'uat' ? 'release/r1' : env,
    settings,
    stacks: Object.keys(head).map((name) => ({ name, status: 'changed' })),
    synthesized: { head, base },
  });
}

/** uat (level error): one queue failing before and after, one new unencrypted queue, one waived, three waivers. */
function uatResult(): PolicyGateResult {
  const base = { 'ingest-uat': queues({ work: queue('uat'), telemetry: queue('uat') }), 'release-uat': release };
  const head = {
    'ingest-uat': queues({ work: queue('uat'), telemetry: queue('uat'), audit: queue('uat', false) }),
    'release-uat': release,
  };
  return gate('uat', head, base, {
    level: 'error',
    waivers: [
      { rule: 'GITOPS_SQS_DLQ', resource: 'ingest-uat.aws_sqs_queue.telemetry', reason: 'telemetry: losing a message is acceptable' },
      { rule: 'CKV_AWS_27', resource: 'ingest-uat.aws_sqs_queue.legacy', reason: 'legacy queue, deleted in r0' },
      { rule: 'CKV_AWS_21', resource: 'imaging-uat.aws_s3_bucket.logs', reason: 'access logs are immutable already' },
    ],
  });
}

describe('renderPolicyCheckOutput golden files', () => {
  test('GIVEN uat at level error with new, existing and waived findings WHEN rendered THEN it matches policy-check-failure.md', () => {
    const output = renderPolicyCheckOutput(uatResult(), { repoUrl: 'https://github.com/acme/infra.git' });
    expectGolden('policy-check-failure.md', checkRunGolden(output));
    expect(output.title).toBe('uat: 2 new policy violations, 1 existing (level error)');
    expect(output.text.indexOf('New violations')).toBeLessThan(output.text.indexOf('Existing violations'));
    expect(output.summary).toContain('policy: 2 stacks, ');
    expect(output.summary).toContain('3 failed (3 errors, 0 warnings), 1 waived · **2 new**');
  });

  test('GIVEN dev at level warning with one new finding WHEN rendered THEN it matches policy-check-warning.md and says it is not enforced', () => {
    const head = { 'ingest-dev': queues({ work: queue('dev') }) };
    const output = renderPolicyCheckOutput(gate('dev', head, {}, { level: 'warning', waivers: [] }));
    expectGolden('policy-check-warning.md', checkRunGolden(output));
    expect(output.title).toBe('dev: 1 new policy violation, 0 existing (level warning: reported, not enforced)');
  });
});

describe('policyCheckTitle', () => {
  test('GIVEN no failure WHEN titled THEN it counts the checks, stacks and waived findings', () => {
    const head = { 'ingest-uat': queues({ work: queue('uat') }) };
    const waiver = { rule: 'GITOPS_SQS_DLQ', resource: 'ingest-uat.aws_sqs_queue.work', reason: 'telemetry only, fine to lose' };
    expect(policyCheckTitle(gate('uat', { 'release-uat': release }, {}, { level: 'error', waivers: [] }))).toBe(
      'uat: 0 checks passed on 1 stack',
    );
    expect(policyCheckTitle(gate('uat', head, head, { level: 'error', waivers: [waiver] }))).toMatch(
      /^uat: \d+ checks passed on 1 stack, 1 waived$/,
    );
  });

  test('GIVEN a configuration problem WHEN titled THEN the title names the base branch whose settings are wrong', () => {
    const r = gate(
      'uat',
      { 'release-uat': release },
      {},
      { level: 'error', waivers: [{ rule: 'NOPE', resource: 'a.b.c', reason: 'long enough' }] },
    );
    expect(policyCheckTitle(r)).toBe('uat: 1 problem in the policy settings of release/r1');
    expect(renderPolicyCheckOutput(r).text).toContain('unknown rule &quot;NOPE&quot;');
  });
});

describe('renderPolicyCheckOutput limits and escaping', () => {
  /** n queues failing two rules each, the first half at the base too (built directly: the engine's DLQ rule is quadratic in queues). */
  const many = (n: number): PolicyGateResult => {
    const finding = (i: number, rule: string): Finding => ({
      rule,
      title: 'SQS queue is encrypted',
      severity: 'medium',
      stack: 'ingest-uat',
      environment: 'uat',
      resource: `aws_sqs_queue.queue_${String(i).padStart(5, '0')}`,
      verdict: 'fail',
      level: 'error',
      detail: 'neither sqs_managed_sse_enabled nor kms_master_key_id is set',
      remediation: 'Set sqs_managed_sse_enabled = true or kms_master_key_id (QueueWithDlq does).',
    });
    const all = Array.from({ length: n }, (_, i) => [finding(i, 'CKV_AWS_27'), finding(i, 'GITOPS_SQS_DLQ')]);
    const base = gate('uat', { 'release-uat': release }, {}, { level: 'error', waivers: [] });
    return {
      ...base,
      conclusion: 'failure',
      summary: { ...base.summary, checks: 2 * n, failed: 2 * n, errors: 2 * n },
      newFailures: all.slice(n / 2).flat(),
      existingFailures: all.slice(0, n / 2).flat(),
    };
  };

  test('GIVEN 20,000 failures WHEN rendered THEN every part fits 65,535, new rows come first and a note counts the rest', () => {
    const r = many(10_000);
    const output = renderPolicyCheckOutput(r);
    expect(r.newFailures).toHaveLength(10_000);
    expect(bytes(output.text)).toBeLessThanOrEqual(CHECK_RUN_LIMIT);
    expect(bytes(output.text)).toBeGreaterThan(CHECK_RUN_LIMIT - 1000);
    expect(bytes(output.summary)).toBeLessThanOrEqual(CHECK_RUN_LIMIT);
    expect(output.text.startsWith('#### New violations (10,000)')).toBe(true);
    expect(output.text).not.toContain('Existing violations');
    const shown = output.text.split('\n').filter((l) => l.startsWith('| <code>')).length;
    expect(output.text).toContain(`> ${(20_000 - shown).toLocaleString('en-US')} more rows not shown (GitHub's limit).`);
  });

  test('GIVEN a small limit that ends inside the existing section WHEN rendered THEN the new section is whole and the note counts what is left', () => {
    const r = many(8);
    const full = renderPolicyCheckOutput(r).text;
    // queues 0-3 fail at the base too: the first queue_00002 row is inside the existing section
    const limit = full.indexOf('queue&#95;00002');
    expect(limit).toBeGreaterThan(full.indexOf('Existing violations'));
    const output = renderPolicyCheckOutput(r, { maxLength: limit });
    expect(bytes(output.text)).toBeLessThanOrEqual(limit);
    const rows = output.text.split('\n').filter((l) => l.startsWith('| <code>'));
    expect(rows.filter((l) => /queue&#95;0000[4-7]/.test(l))).toHaveLength(8);
    expect(output.text).toContain(`> ${16 - rows.length} more rows not shown`);
  });

  test('GIVEN resource names and waiver reasons full of Markdown and HTML WHEN rendered THEN every row keeps its cells and nothing escapes', () => {
    const hostile = 'x|y`z`</details><!-- gitops:plan -->@octocat';
    const head = { 'ingest-uat': queues({ [hostile]: queue('uat', false) }) };
    const r = gate(
      'uat',
      head,
      {},
      { level: 'error', waivers: [{ rule: 'CKV_AWS_27', resource: `ingest-uat.aws_sqs_queue.${hostile}`, reason: hostile }] },
    );
    const { summary, text } = renderPolicyCheckOutput(r);
    for (const part of [summary, text]) {
      expect(part).not.toContain('</details>');
      expect(part).not.toContain(COMMENT_MARKER);
      // a mention is only made outside <code>
      expect(part.replace(/<code>.*?<\/code>/g, '')).not.toContain('@octocat');
    }
    expect(text).toContain('@octocat');
    const findingRow = text.split('\n').find((l) => l.includes('GITOPS&#95;SQS&#95;DLQ'))!;
    expect(findingRow.split('|')).toHaveLength(8);
    const waivedRow = text.split('\n').find((l) => l.startsWith('| <code>CKV&#95;AWS&#95;27</code> | <code>ingest-uat</code>'))!;
    expect(waivedRow.split('|')).toHaveLength(6);
  });
});

describe('renderPolicyUnavailable', () => {
  test('GIVEN an enforcing environment WHEN the policy could not be checked THEN the output says the check fails until the head can be checked', () => {
    const out = renderPolicyUnavailable({
      environment: 'uat',
      headSha: HEAD_SHA,
      reason: 'the plan failed: synth of uat exited with 1',
      level: 'error',
    });
    expect(out.title).toBe('uat: policy not checked: the plan failed: synth of uat exited with 1');
    expect(out.summary).toContain('<code>3f5a9c2</code>');
    expect(out.summary).toContain('level error');
  });

  test('GIVEN a reporting environment and a hostile reason WHEN rendered THEN it says the check does not fail and the reason is escaped', () => {
    const out = renderPolicyUnavailable({
      environment: 'dev',
      headSha: HEAD_SHA,
      reason: 'bad `x` </details>\nsecond line',
      level: 'warning',
    });
    expect(out.title).toBe('dev: policy not checked: bad `x` </details>');
    expect(out.summary).toContain('does not fail');
    expect(out.summary).not.toContain('</details>');
  });
});
