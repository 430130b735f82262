import { evaluatePromotion, type PromotionInput } from '../rules/promotion-gates.js';
import { checkRunGolden, expectGolden } from '../../test/fixtures/golden.js';
import { promotionHolding } from '../../test/fixtures/promotion.js';
import { renderPromotionCheck, type PromotionCheckContext } from './gates.js';

const HEAD = '3f5a9c2e8b1d4f6a7c0e9b8d2a1f3c5e7d9b0a42';
const BASE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
const TREE = '5d41402abc4b2a76b9719d911017c592ae9f1b2c';
const UAT_MERGE = '0cc175b9c0f1b6a831c399e269772661aa9e7f41';

const approvalsText = 'Approved: 1 of 1 required approval on 3f5a9c2, no code owners involved.\n\nCounted: `carol`';
const ctx: PromotionCheckContext = {
  environment: 'prod',
  baseRef: 'main',
  headSha: HEAD,
  baseSha: BASE,
  approvalsText,
  repoUrl: 'https://github.com/acme/infra.git',
};

function render(over: Partial<PromotionInput>, text = approvalsText) {
  const verdict = evaluatePromotion(promotionHolding({ head: HEAD, base: BASE, tree: TREE, deployed: UAT_MERGE }, over));
  return renderPromotionCheck(verdict, { ...ctx, approvalsText: text });
}

describe('renderPromotionCheck golden files', () => {
  test('GIVEN every gate holds WHEN rendered THEN the title says ready and each gate has a ✓ line', () => {
    expectGolden('promotion-ready.md', checkRunGolden(render({})));
  });

  test('GIVEN no uat deployment, a missing approval and a plan of an older head WHEN rendered THEN each ✗ line says what is missing', () => {
    const output = render(
      {
        deployments: [{ sha: UAT_MERGE, state: 'failure' }],
        approvals: {
          satisfied: false,
          missing: [
            '1 more approval on 3f5a9c2 from someone with write access (0 of 1)',
            'an approval from `@acme/platform` (code owners of `modules/x.ts`)',
          ],
          summary: 'Not yet approved: 0 of 1 required approval on 3f5a9c2, code owners 0 of 1 approved.',
        },
        plan: { status: 'planned', headSha: '1111111111111111111111111111111111111111', baseSha: BASE },
      },
      'Not yet approved: 0 of 1 required approval on 3f5a9c2, code owners 0 of 1 approved.\n\nStill needed:\n- 1 more approval on 3f5a9c2 from someone with write access (0 of 1)',
    );
    expectGolden('promotion-blocked.md', checkRunGolden(output));
  });
});

describe('renderPromotionCheck lines', () => {
  test.each([
    [{ headTree: undefined }, 'the head [<code>3f5a9c2</code>]'],
    [{ plan: undefined }, 'prod was never planned for this pull request; comment /plan'],
    [{ plan: { status: 'running', headSha: HEAD, baseSha: BASE } }, 'is still running; the check is evaluated again when it finishes'],
    [
      { deployments: [{ sha: UAT_MERGE, state: 'success', tree: 'f'.repeat(40) }] },
      "uat's successful deployment is of [<code>0cc175b</code>](https://github.com/acme/infra/commit/0cc175b9c0f1b6a831c399e269772661aa9e7f41) (tree <code>fffffff</code>), not of tree <code>5d41402</code>",
    ],
  ] as const)('GIVEN %j WHEN rendered THEN the summary says %s', (over, line) => {
    const output = render(over as Partial<PromotionInput>);
    expect(output.summary).toContain(line);
    expect(output.title.startsWith('Blocked (prod): ')).toBe(true);
  });

  test('GIVEN a failed plan whose reason quotes the pull request WHEN rendered THEN the reason is escaped in <code> and cut to 300 characters', () => {
    const reason = `</code>@everyone [x](https://evil.example) ${'y'.repeat(400)}`;
    const output = render({ plan: { status: 'failed', headSha: HEAD, baseSha: BASE, reason } });
    expect(output.summary).toContain('ended failed: <code>&lt;/code&gt;@everyone &#91;x&#93;(https://evil.example) yyy');
    expect(output.summary).not.toContain('</code>@everyone');
    expect(output.summary).not.toContain('y'.repeat(300));
  });
});
