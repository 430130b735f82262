import { validateEnvironmentFiles } from '../../environments/config.js';
import { readEnvironmentFiles } from '../../environments/load.js';
import {
  branchesNotToCarry,
  evaluateBasedOnTrunk,
  findTrunkRule,
  firstParentChain,
  mustBeBasedOnTrunk,
  type CommitNode,
} from './based-on-trunk.js';

const shipped = validateEnvironmentFiles(readEnvironmentFiles(new URL('../../environments', import.meta.url).pathname)).environments.map(
  (e) => e.environment,
);

// History used below (main = M1):
//   feature/a: A1 ← A2 (from M1), merged into dev by D1 = merge(M1, A2); D2 is a direct commit on dev.
//   release/r: R1 (from M1), merged into uat by U1 = merge(M1, R1).
const c = (sha: string, ...parents: string[]): CommitNode => ({ sha, parents });
const devRange = [c('A1', 'M1'), c('A2', 'A1'), c('D1', 'M1', 'A2'), c('D2', 'D1')]; // compare(main, dev)
const uatRange = [c('R1', 'M1'), c('U1', 'M1', 'R1')]; // compare(main, uat)
const lower = { dev: firstParentChain(devRange), uat: firstParentChain(uatRange) };

describe('firstParentChain', () => {
  test('GIVEN dev with a merged feature and a direct commit WHEN its own commits are taken THEN they are the merge and the direct commit', () => {
    expect(firstParentChain(devRange).sort()).toEqual(['D1', 'D2']);
  });

  test('GIVEN an empty range (the branch is not ahead) WHEN taken THEN there is no commit', () => {
    expect(firstParentChain([])).toEqual([]);
  });

  test('GIVEN a linear range in any order WHEN taken THEN every commit is the branch own', () => {
    expect(firstParentChain([c('X3', 'X2'), c('X1', 'M1'), c('X2', 'X1')]).sort()).toEqual(['X1', 'X2', 'X3']);
  });

  test('GIVEN an incomplete range with two tips WHEN taken THEN both chains count (more denials, never fewer)', () => {
    expect(firstParentChain([c('P2', 'P1'), c('Q2', 'Q1')]).sort()).toEqual(['P2', 'Q2']);
  });
});

describe('evaluateBasedOnTrunk', () => {
  test('GIVEN a feature that was merged into dev WHEN it targets a release branch THEN it is still based on main', () => {
    const v = evaluateBasedOnTrunk({ head: 'feature/a', trunk: 'main', headOnlyCommits: ['A1', 'A2'], lowerBranchOnlyCommits: lower });
    expect(v).toEqual({
      ok: true,
      smuggled: [],
      reason: 'feature/a is based on main: 2 commits ahead of main, none is only on dev or uat.',
    });
  });

  test('GIVEN a feature branched from dev WHEN evaluated THEN it fails naming the dev commits it carries', () => {
    const headOnlyCommits = ['A1', 'A2', 'D1', 'D2', 'B1'];
    const v = evaluateBasedOnTrunk({ head: 'feature/b', trunk: 'main', headOnlyCommits, lowerBranchOnlyCommits: lower });
    expect(v.ok).toBe(false);
    expect(v.smuggled).toEqual([{ branch: 'dev', shas: expect.arrayContaining(['D1', 'D2']) }]);
    expect(v.reason).toMatch(
      /^feature\/b is not based on main: it carries 2 commits of dev \((D1, D2|D2, D1)\) that main does not have\. /,
    );
  });

  test('GIVEN a feature that merged dev in WHEN evaluated THEN it fails', () => {
    const headOnlyCommits = ['C1', 'A1', 'A2', 'D1', 'D2', 'C2'];
    expect(evaluateBasedOnTrunk({ head: 'feature/c', trunk: 'main', headOnlyCommits, lowerBranchOnlyCommits: lower }).ok).toBe(false);
  });

  test('GIVEN a release branch carrying a uat merge and a dev commit WHEN evaluated THEN both branches are named', () => {
    const v = evaluateBasedOnTrunk({
      head: 'release/r2',
      trunk: 'main',
      headOnlyCommits: ['R1', 'U1', 'D2'],
      lowerBranchOnlyCommits: lower,
    });
    expect(v.smuggled).toEqual([
      { branch: 'dev', shas: ['D2'] },
      { branch: 'uat', shas: ['U1'] },
    ]);
    expect(v.reason).toContain('it carries 1 commit of dev (D2) and 1 commit of uat (U1) that main does not have');
  });

  test('GIVEN more than five smuggled commits WHEN evaluated THEN the reason shows five short SHAs and a count', () => {
    const shas = Array.from({ length: 8 }, (_, i) => `${i}`.repeat(40));
    const v = evaluateBasedOnTrunk({ head: 'feature/x', trunk: 'main', headOnlyCommits: shas, lowerBranchOnlyCommits: { dev: shas } });
    expect(v.reason).toContain('8 commits of dev (0000000, 1111111, 2222222, 3333333, 4444444 and 3 more)');
  });

  test('GIVEN a head level with main and no lower branch WHEN evaluated THEN it passes and says so', () => {
    expect(evaluateBasedOnTrunk({ head: 'hotfix/x', trunk: 'main', headOnlyCommits: [], lowerBranchOnlyCommits: {} }).reason).toBe(
      'hotfix/x is based on main: 0 commits ahead of main, there is no lower branch.',
    );
  });
});

describe('findTrunkRule and mustBeBasedOnTrunk', () => {
  test('GIVEN the shipped files WHEN the trunk is found THEN it is main (prod) and the lower branches are dev and uat', () => {
    expect(findTrunkRule(shipped)).toEqual({ trunk: 'main', environment: 'prod', lowerBranches: ['dev', 'uat'] });
  });

  test('GIVEN no environment with release.trunk WHEN the trunk is found THEN there is none', () => {
    expect(findTrunkRule(shipped.map((e) => ({ ...e, release: { ...e.release, trunk: false } })))).toBeUndefined();
  });

  test('GIVEN two environments with release.trunk WHEN the trunk is found THEN a problem names both', () => {
    expect(findTrunkRule(shipped.map((e) => ({ ...e, release: { ...e.release, trunk: e.name !== 'dev' } })))).toEqual({
      problem: 'more than one environment sets release.trunk: true (uat, prod); exactly one may',
    });
  });

  test.each([
    ['feature/x', true],
    ['release/x', true],
    ['hotfix/x', true],
    ['dev', false],
    ['uat', false],
    ['main', false],
  ])('GIVEN the head %s WHEN asked THEN it must be based on the trunk: %s', (head, expected) => {
    expect(mustBeBasedOnTrunk(head, shipped)).toBe(expected);
  });
});

describe('branchesNotToCarry', () => {
  const rule = { trunk: 'main', environment: 'prod', lowerBranches: ['dev', 'uat'] };

  test.each<[string, string, string[]]>([
    ['sync/uat', 'uat', ['dev']],
    ['sync/dev', 'dev', ['uat']],
    ['feature/x', 'dev', ['dev', 'uat']],
    ['release/x', 'uat', ['dev', 'uat']],
    ['sync/uat', 'dev', ['dev', 'uat']],
    ['sync/main', 'main', ['dev', 'uat']],
  ])('GIVEN %s → %s WHEN asked THEN its head must not carry the own commits of %j', (head, base, expected) => {
    expect(branchesNotToCarry(rule, head, base, shipped)).toEqual(expected);
  });

  test('GIVEN a resolved sync/uat holding uat commits WHEN judged THEN it passes, yet a dev commit on it is still refused', () => {
    const branches = branchesNotToCarry(rule, 'sync/uat', 'uat', shipped);
    const lowerOf = (names: string[]) => Object.fromEntries(names.map((b) => [b, lower[b as 'dev' | 'uat']]));
    expect(
      evaluateBasedOnTrunk({
        head: 'sync/uat',
        trunk: 'main',
        headOnlyCommits: ['U1', 'R1', 'S1'],
        lowerBranchOnlyCommits: lowerOf(branches),
      }).ok,
    ).toBe(true);
    expect(
      evaluateBasedOnTrunk({
        head: 'sync/uat',
        trunk: 'main',
        headOnlyCommits: ['U1', 'D2', 'S1'],
        lowerBranchOnlyCommits: lowerOf(branches),
      }).reason,
    ).toMatch(/^sync\/uat is not based on main: it carries 1 commit of dev \(D2\)/);
  });
});
