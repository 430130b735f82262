import { evaluatePromotion, promotionSource, type PromotionInput } from './promotion-gates.js';
import { promotionHolding } from '../../test/fixtures/promotion.js';

const sha = (c: string): string => c.repeat(40).slice(0, 40);
const HEAD = sha('a');
const BASE = sha('b');
const TREE = sha('7');
const UAT_MERGE = sha('c');

/** Every gate holds: uat deployed a merge commit with the head's tree, approved, planned for head and base. */
const input = (over: Partial<PromotionInput> = {}): PromotionInput =>
  promotionHolding({ head: HEAD, base: BASE, tree: TREE, deployed: UAT_MERGE }, over);

const prod = { name: 'prod', branch: 'main', release: { accepts: ['release/*'], requires: 'uat' } };

describe('promotionSource', () => {
  test.each([
    ['release/r1', 'main', prod, 'uat'],
    ['hotfix/h1', 'main', prod, undefined],
    ['release/r1', 'uat', prod, undefined],
    ['release/r1', 'uat', { name: 'uat', branch: 'uat', release: { accepts: ['release/*'] } }, undefined],
  ])('GIVEN %s → %s WHEN asked THEN the required environment is %s', (headRef, baseRef, environment, expected) => {
    expect(promotionSource(environment, { headRef, baseRef })).toBe(expected);
  });
});

describe('evaluatePromotion', () => {
  test('GIVEN uat deployed the head tree through another commit, approvals met and a current plan WHEN evaluated THEN every gate holds', () => {
    const verdict = evaluatePromotion(input());
    expect(verdict.satisfied).toBe(true);
    expect(verdict.gates.map((g) => [g.gate, g.ok])).toEqual([
      ['deployed', true],
      ['approvals', true],
      ['plan', true],
    ]);
    expect(verdict.gates[0]).toEqual({ gate: 'deployed', ok: true, environment: 'uat', tree: TREE, deployedSha: UAT_MERGE });
  });

  test('GIVEN uat deployed the head commit itself WHEN evaluated THEN the deployed gate holds without its tree being read', () => {
    const verdict = evaluatePromotion(input({ deployments: [{ sha: HEAD, state: 'success' }] }));
    expect(verdict.gates[0]).toMatchObject({ ok: true, deployedSha: HEAD });
  });

  describe('the deployed gate fails', () => {
    test('GIVEN uat has no deployment WHEN evaluated THEN reason none with the head tree', () => {
      const verdict = evaluatePromotion(input({ deployments: [] }));
      expect(verdict.satisfied).toBe(false);
      expect(verdict.gates[0]).toEqual({ gate: 'deployed', ok: false, environment: 'uat', reason: 'none', tree: TREE });
    });

    test.each(['failure', 'error', 'in_progress', 'queued', 'inactive', undefined] as const)(
      'GIVEN the only deployment of the head tree has latest state %s WHEN evaluated THEN it does not count',
      (state) => {
        const verdict = evaluatePromotion(input({ deployments: [{ sha: UAT_MERGE, state, tree: TREE }] }));
        expect(verdict.gates[0]).toMatchObject({ ok: false, reason: 'none' });
      },
    );

    test('GIVEN uat successfully deployed other files WHEN evaluated THEN reason other-tree names that deployment and its tree', () => {
      const other = sha('d');
      const verdict = evaluatePromotion(input({ deployments: [{ sha: other, state: 'success', tree: sha('8') }] }));
      expect(verdict.gates[0]).toEqual({
        gate: 'deployed',
        ok: false,
        environment: 'uat',
        reason: 'other-tree',
        tree: TREE,
        latest: { sha: other, tree: sha('8') },
      });
    });

    test('GIVEN the head commit cannot be read WHEN evaluated THEN reason head-unreadable, whatever uat deployed', () => {
      const verdict = evaluatePromotion(input({ headTree: undefined }));
      expect(verdict.gates[0]).toEqual({ gate: 'deployed', ok: false, environment: 'uat', reason: 'head-unreadable' });
    });
  });

  test('GIVEN approvals not met WHEN evaluated THEN the approvals gate fails with what is missing and the others still hold', () => {
    const missing = ['1 more approval on aaaaaaa from someone with write access (0 of 1)'];
    const verdict = evaluatePromotion(input({ approvals: { satisfied: false, missing, summary: 'Not yet approved' } }));
    expect(verdict.satisfied).toBe(false);
    expect(verdict.gates[1]).toEqual({ gate: 'approvals', ok: false, summary: 'Not yet approved', missing });
    expect(verdict.gates[0].ok && verdict.gates[2].ok).toBe(true);
  });

  describe('the plan gate fails', () => {
    test.each([
      ['missing', 'none', undefined],
      ['planned at an older head', 'head-moved', { status: 'planned', headSha: sha('9'), baseSha: BASE }],
      ['running at an older head', 'head-moved', { status: 'running', headSha: sha('9'), baseSha: BASE }],
      ['pending', 'unfinished', { status: 'pending', headSha: HEAD, baseSha: BASE }],
      ['running', 'unfinished', { status: 'running', headSha: HEAD, baseSha: BASE }],
      ['failed', 'ended', { status: 'failed', headSha: HEAD, baseSha: BASE, reason: 'terraform exited 1' }],
      ['unavailable', 'ended', { status: 'unavailable', headSha: HEAD, baseSha: BASE }],
      ['superseded', 'ended', { status: 'superseded', headSha: HEAD, baseSha: BASE }],
      ['planned against an older base', 'base-moved', { status: 'planned', headSha: HEAD, baseSha: sha('e') }],
    ] as const)('GIVEN the latest plan is %s WHEN evaluated THEN reason %s', (_what, reason, plan) => {
      const verdict = evaluatePromotion(input({ plan }));
      expect(verdict.satisfied).toBe(false);
      expect(verdict.gates[2]).toEqual({ gate: 'plan', ok: false, reason, ...(plan ? { plan } : {}), headSha: HEAD, baseSha: BASE });
    });
  });

  test.each([
    [{ headSha: 'main' }, 'evaluatePromotion: headSha must be a 40-character commit SHA (got "main")'],
    [{ baseSha: '' }, 'evaluatePromotion: baseSha must be a 40-character commit SHA (got "")'],
    [{ requires: 'prod' }, 'evaluatePromotion: prod cannot require a deployment to itself (release.requires)'],
  ])('GIVEN bad input %j WHEN evaluated THEN it throws one line naming the field', (over, message) => {
    expect(() => evaluatePromotion(input(over))).toThrow(message);
  });
});
