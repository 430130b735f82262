import fc from 'fast-check';
import type { PlanReport, ResourceChange, StackReport } from '../core/ports/plan-report.js';
import { CHECK_RUN_LIMIT, COMMENT_LIMIT } from './limits.js';
import { renderCheckRunOutput, renderPlanComment, renderPlanFailure } from './render.js';
import {
  BASE_SHA,
  HEAD_SHA,
  largeReport,
  NEW_HEAD_SHA,
  noChangesReport,
  smallReport,
  unavailableReport,
} from '../../test/fixtures/sample-reports.js';
import { COMMENT_MARKER, type PolicyLine } from './templates.js';
import { expectGolden } from '../../test/fixtures/golden.js';

const markerCount = (text: string) => text.split(COMMENT_MARKER).length - 1;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('renderPlanComment golden files', () => {
  test('GIVEN a small plan with every kind of change WHEN rendered with the repository URL THEN it matches small.md', () => {
    expectGolden('small.md', renderPlanComment(smallReport(), { repoUrl: 'https://github.com/acme/infra.git' }));
  });

  test('GIVEN a stack whose plan is unavailable WHEN rendered THEN it matches plan-unavailable.md (synth diff labelled, reason shown)', () => {
    const comment = renderPlanComment(unavailableReport());
    expectGolden('plan-unavailable.md', comment);
    expect(comment).toContain('synth diff · plan unavailable: <code>providers cannot be installed:');
  });

  test('GIVEN the head and base moved after the plan WHEN rendered THEN it matches stale.md with the banner right under the header', () => {
    const comment = renderPlanComment(smallReport(), {
      repoUrl: 'https://github.com/acme/infra',
      stale: { headMoved: NEW_HEAD_SHA, baseMoved: BASE_SHA.replace('9e8d', '1111') },
    });
    expectGolden('stale.md', comment);
    expect(comment.indexOf('This plan is out of date')).toBeLessThan(comment.indexOf('| Stack |'));
  });

  test('GIVEN a plan without changes WHEN rendered THEN it matches no-changes.md', () => {
    const comment = renderPlanComment(noChangesReport());
    expectGolden('no-changes.md', comment);
    expect(comment).not.toContain('<details>');
  });

  test('GIVEN a 5,000-resource plan WHEN rendered THEN it matches large-5000.md, fits 65,536 and keeps the whole table', () => {
    const report = largeReport(5000);
    const comment = renderPlanComment(report, {
      checkRunUrl: 'https://github.com/acme/infra/runs/42',
      artifactUrl: 'https://github.com/acme/infra/actions/runs/7/artifacts/9',
    });
    expectGolden('large-5000.md', comment);
    expect(bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(bytes(comment)).toBeGreaterThan(COMMENT_LIMIT - 2000);
    for (const stack of report.stacks) expect(comment).toContain(`| <code>${stack.name}</code> |`);
    expect(comment).toContain('**Plan:** 5,000 to add, 1 to change, 0 to replace, 0 to destroy in 11 stacks.');
    expect(comment).toContain('Full plan in the [<code>gitops/plan/dev</code> check run](https://github.com/acme/infra/runs/42)');
    expect(markerCount(comment)).toBe(1);
  });
});

describe('renderPlanComment with the policy line', () => {
  const failing: PolicyLine = {
    environment: 'dev',
    conclusion: 'failure',
    summary: { stacks: 3, checks: 412, passed: 410, failed: 2, errors: 2, warnings: 0, waived: 0 },
    newFailures: 1,
  };

  test('GIVEN a small plan and a failing policy WHEN rendered THEN it matches small-policy.md with the line under the totals, linked to its check', () => {
    const comment = renderPlanComment(smallReport(), {
      repoUrl: 'https://github.com/acme/infra.git',
      policy: failing,
      policyCheckRunUrl: 'https://github.com/acme/infra/runs/43',
    });
    expectGolden('small-policy.md', comment);
    const line =
      '❌ policy: 3 stacks, 412 checks: 410 passed, 2 failed (2 errors, 0 warnings), 0 waived · **1 new** · [<code>gitops/policy/dev</code>](https://github.com/acme/infra/runs/43)';
    expect(comment).toContain(`**Plan:** 1 to add, 2 to change, 1 to replace, 1 to destroy in 2 stacks.\n\n${line}\n\n<details>`);
  });

  test('GIVEN a 5,000-resource plan with a policy line WHEN shortened THEN the line stays and the comment fits 65,536', () => {
    const comment = renderPlanComment(largeReport(5000), { policy: failing });
    expect(bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toContain('❌ policy: 3 stacks, 412 checks:');
    expect(comment).toContain('The full plan does not fit in one comment');
  });

  test('GIVEN a tiny limit and a policy that could not be checked with a huge reason WHEN rendered THEN totals and a clipped line survive within the limit', () => {
    const policy: PolicyLine = { environment: 'uat', conclusion: 'failure', unavailable: 'x'.repeat(100_000) };
    const comment = renderPlanComment(largeReport(5000), { policy, maxLength: 3000 });
    expect(bytes(comment)).toBeLessThanOrEqual(3000);
    expect(comment).toMatch(/❌ policy not checked: <code>x{400,}…<\/code> · <code>gitops\/policy\/uat<\/code>/);
  });
});

describe('renderPlanComment size limits', () => {
  test('GIVEN one huge stack and several small ones WHEN shortened THEN the small stacks stay whole and the huge one is cut', () => {
    const big = largeReport(5000, 1).stacks[0];
    const small = smallReport().stacks[0];
    const report: PlanReport = { ...smallReport(), stacks: [big, small, { ...small, name: 'other-dev' }] };
    const comment = renderPlanComment(report);
    expect(bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment.match(/- delete {2}aws_sqs_queue\.legacy/g)).toHaveLength(2);
    expect(comment).toMatch(/… [\d,]+ more lines not shown here/);
    expect(comment).toContain('the details of 1 stack are shortened');
  });

  test('GIVEN 5,000 stacks WHEN rendered THEN the table itself is cut with a count of the stacks left out', () => {
    const stack = smallReport().stacks[1];
    const report: PlanReport = { ...smallReport(), stacks: Array.from({ length: 5000 }, (_, i) => ({ ...stack, name: `release-${i}` })) };
    const comment = renderPlanComment(report);
    expect(bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(comment).toMatch(/\| … [\d,]+ more stacks \(see the check run\) \| \| \| \| \| \|/);
    expect(comment).toContain('in 5,000 stacks.');
  });

  test('GIVEN a small maxLength and a stale plan WHEN rendered THEN the banner, header and totals survive within the limit', () => {
    const comment = renderPlanComment(largeReport(300, 3), { maxLength: 4000, stale: { headMoved: NEW_HEAD_SHA } });
    expect(bytes(comment)).toBeLessThanOrEqual(4000);
    expect(comment).toContain('This plan is out of date');
    expect(comment).toContain('**Plan:** 300 to add');
  });
});

// ── property: any report, however hostile, renders within the limit with the marker exactly once ──

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    COMMENT_MARKER,
    '</details>',
    '</pre>',
    '|',
    '`',
    '<!--',
    '@octocat',
    '\n\n| a | b |\n',
    '😀'.repeat(40),
    '&lt;!-- gitops:plan --&gt;',
  ),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const action = fc.constantFrom('create', 'update', 'replace', 'delete', 'read', 'no-op') as fc.Arbitrary<ResourceChange['action']>;
const attribute = fc.record({
  path: hostile,
  before: optional(fc.jsonValue({ maxDepth: 2 })),
  after: optional(fc.jsonValue({ maxDepth: 2 })),
  sensitive: fc.boolean(),
  unknownAfter: fc.boolean(),
});
const resource = fc.record({ address: hostile, type: hostile, name: hostile, action, attributes: fc.array(attribute, { maxLength: 4 }) });
const stack: fc.Arbitrary<StackReport> = fc
  .record({
    name: hostile,
    terraform: fc.boolean(),
    resources: fc.array(resource, { maxLength: 5 }),
    repeat: fc.nat({ max: 400 }),
    reason: optional(hostile),
    outputs: fc.array(fc.record({ name: hostile, action }), { maxLength: 3 }),
  })
  .map(({ name, terraform, resources, repeat, reason, outputs }) => {
    const all = Array.from({ length: repeat + 1 }, () => resources).flat();
    const counts = { add: all.length, change: repeat, replace: 0, destroy: 1, noop: 0, read: 0 };
    return terraform
      ? {
          name,
          status: 'changed' as const,
          source: 'terraform' as const,
          summary: { stack: name, counts, hasChanges: true, resources: all, outputs },
        }
      : {
          name,
          status: 'changed' as const,
          source: 'synth' as const,
          unavailableReason: reason,
          synthDiff: { stack: name, status: 'changed' as const, resources: all, outputs, settings: resources[0]?.attributes ?? [] },
        };
  });
const report: fc.Arbitrary<PlanReport> = fc.record({
  environment: fc.constantFrom('dev', 'uat', 'prod'),
  headSha: fc.constantFrom(NEW_HEAD_SHA, 'not-a-sha|`x`'),
  baseSha: fc.constant(BASE_SHA),
  stacks: fc.array(stack, { maxLength: 8 }),
  warnings: fc.array(hostile, { maxLength: 7 }),
  startedAt: fc.constant('2026-03-02T09:14:03.000Z'),
  finishedAt: fc.constant('2026-03-02T09:15:41.000Z'),
});
const options = fc.record({
  stale: optional(fc.record({ headMoved: optional(fc.constantFrom(NEW_HEAD_SHA, '<!-- gitops:plan -->')), baseMoved: optional(hostile) })),
  repoUrl: optional(fc.constantFrom('https://github.com/acme/infra.git', 'javascript:alert(1)', 'https://x/(a)|`b`')),
  checkRunUrl: optional(fc.webUrl()),
});

describe('renderPlanComment property', () => {
  test('GIVEN any report and options WHEN rendered THEN the comment is at most 65,536 (bytes and characters) with the marker exactly once', () => {
    fc.assert(
      fc.property(report, options, (r, o) => {
        const comment = renderPlanComment(r, o);
        expect(bytes(comment)).toBeLessThanOrEqual(COMMENT_LIMIT);
        expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
        expect(markerCount(comment)).toBe(1);
        expect(comment.startsWith(COMMENT_MARKER)).toBe(true);
      }),
      // no shrinking: a failing report can hold thousands of resources and shrinking it takes minutes; the seed reproduces it
      { numRuns: 60, endOnFailure: true },
    );
  });

  test('GIVEN any report WHEN the check run output is rendered THEN title, summary and text are each at most 65,535', () => {
    fc.assert(
      fc.property(report, (r) => {
        const out = renderCheckRunOutput(r);
        for (const part of [out.title, out.summary, out.text]) expect(bytes(part)).toBeLessThanOrEqual(CHECK_RUN_LIMIT);
        expect(markerCount(out.summary + out.text)).toBe(0);
      }),
      { numRuns: 40, endOnFailure: true },
    );
  });
});

describe('renderCheckRunOutput', () => {
  test('GIVEN a small plan WHEN rendered THEN the title counts the changes, the summary holds the table and the text every detail', () => {
    const out = renderCheckRunOutput(smallReport());
    expect(out.title).toBe('dev: 1 to add, 2 to change, 1 to replace, 1 to destroy');
    expect(out.summary).toContain('| <code>payments-dev</code> | 1 | 1 | 1 | 1 | terraform plan |');
    expect(out.summary).not.toContain(COMMENT_MARKER);
    expect(out.text).toContain('-/+ replace aws_db_instance.main');
    expect(out.text).not.toContain('Output truncated');
  });

  test('GIVEN a 5,000-resource plan WHEN rendered THEN the text is cut to 65,535 with a note pointing to the artifact', () => {
    const out = renderCheckRunOutput(largeReport(5000));
    expect(bytes(out.text)).toBeLessThanOrEqual(CHECK_RUN_LIMIT);
    expect(bytes(out.text)).toBeGreaterThan(CHECK_RUN_LIMIT - 2000);
    expect(out.text).toMatch(/> Output truncated: [\d,]+ more characters\. The complete plan is in the plan artifact\.$/);
    expect(out.text.split('<details>').length).toBe(out.text.split('</details>').length);
  });
});

describe('renderPlanFailure', () => {
  const failure = {
    environment: 'dev',
    headSha: HEAD_SHA,
    baseSha: BASE_SHA,
    stage: 'synth of the head',
    reason: 'synth of dev exited with 1: gitops synth: dev.yaml: tier: expected one of development, test, production',
    logTail: 'loading environments\ngitops synth: dev.yaml: tier: expected one of development, test, production </pre></details>',
    finishedAt: '2026-03-02T09:15:41.000Z',
  };

  test('GIVEN a head that does not synthesize WHEN the failure is rendered THEN it matches failure.md with the reason and the log tail', () => {
    const comment = renderPlanFailure(failure);
    expectGolden('failure.md', comment);
    expect(markerCount(comment)).toBe(1);
  });

  test('GIVEN a huge log WHEN the failure is rendered THEN only its last lines are shown within the limit', () => {
    const comment = renderPlanFailure(
      { ...failure, logTail: Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(400)}`).join('\n') },
      { maxLength: 10_000 },
    );
    expect(bytes(comment)).toBeLessThanOrEqual(10_000);
    expect(comment).toContain('**No plan:** the synth of the head failed');
  });
});
