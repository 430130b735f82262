import { validateEnvironmentFiles } from '../../environments/config.js';
import { readEnvironmentFiles } from '../../environments/load.js';
import type { Environment } from '../../environments/schema.js';
import {
  branchRules,
  evaluateBranchRules,
  isSyncPair,
  matchesBranchPattern,
  rebaseTargets,
  syncBranchOf,
  syncRules,
  type BranchRulesEnvironment,
} from './branch-rules.js';

const shipped: Environment[] = validateEnvironmentFiles(
  readEnvironmentFiles(new URL('../../environments', import.meta.url).pathname),
).environments.map((e) => e.environment);
const ALL_PAIRS = 'Allowed pairs: feature/* → dev, release/* → uat, release/* → main, hotfix/* → main, feature/* → release/*.';

describe('evaluateBranchRules with the shipped environment files (the README branch table)', () => {
  test('GIVEN the shipped files WHEN the table is derived THEN it lists every pair of the README branch table in file order', () => {
    expect(branchRules(shipped).map((r) => [r.head, r.base, r.environment, r.action, r.source])).toEqual([
      ['feature/*', 'dev', 'dev', 'deploy', 'accepts'],
      ['release/*', 'uat', 'uat', 'deploy', 'accepts'],
      ['release/*', 'main', 'prod', 'deploy', 'accepts'],
      ['hotfix/*', 'main', 'prod', 'deploy', 'hotfix'],
      ['feature/*', 'release/*', 'uat', 'plan-only', 'candidate'],
    ]);
  });

  // One row per allowed cell of the table: main ← release/*, hotfix/*; uat ← release/*; dev ← feature/*; release/<name> ← feature/*.
  test.each<[string, string, string, 'deploy' | 'plan-only']>([
    ['release/2024-06', 'main', 'prod', 'deploy'],
    ['hotfix/cve-1', 'main', 'prod', 'deploy'],
    ['release/2024-06', 'uat', 'uat', 'deploy'],
    ['feature/login', 'dev', 'dev', 'deploy'],
    ['feature/team-a/login', 'dev', 'dev', 'deploy'],
    ['feature/login', 'release/2024-06', 'uat', 'plan-only'],
  ])('GIVEN %s → %s WHEN evaluated THEN it is allowed, plans %s and the action is %s', (head, base, environment, action) => {
    const v = evaluateBranchRules({ head, base, environments: shipped });
    expect(v).toMatchObject({ allowed: true, environment, action });
    expect(v.reason).toContain(`${head} → ${base} is allowed`);
    expect(v.allowedPairs).toHaveLength(5);
  });

  test('GIVEN a pull request into a release branch WHEN evaluated THEN the reason says it plans uat and applies nothing', () => {
    const v = evaluateBranchRules({ head: 'feature/login', base: 'release/r1', environments: shipped });
    expect(v.reason).toBe(
      'feature/login → release/r1 is allowed (feature/* → release/*, release.candidates of uat): release/r1 is a uat candidate (release/*): it plans uat and applies nothing.',
    );
  });

  // Every denied cell: wrong heads into each environment branch, environment branches as heads,
  // anything into feature/* (it accepts nothing) and unknown bases.
  test.each<[string, string, string]>([
    ['feature/login', 'main', 'main (environment prod) accepts release/*, hotfix/* only'],
    ['feature/login', 'uat', 'uat (environment uat) accepts release/* only'],
    ['hotfix/cve-1', 'uat', 'uat (environment uat) accepts release/* only'],
    ['hotfix/cve-1', 'dev', 'dev (environment dev) accepts feature/* only'],
    ['release/2024-06', 'dev', 'dev (environment dev) accepts feature/* only'],
    ['uat', 'main', 'main (environment prod) accepts release/*, hotfix/* only; uat is the branch of environment uat and never the head'],
    ['dev', 'uat', 'uat (environment uat) accepts release/* only; dev is the branch of environment dev'],
    ['dev', 'main', 'main (environment prod) accepts release/*, hotfix/* only; dev is the branch'],
    ['main', 'dev', 'dev (environment dev) accepts feature/* only; main is the branch of environment prod'],
    ['release/a', 'release/b', 'release/b (a uat candidate, release/*) accepts feature/* only'],
    ['hotfix/x', 'release/b', 'release/b (a uat candidate, release/*) accepts feature/* only'],
    ['feature/a', 'feature/b', 'feature/b is neither an environment branch (dev, uat, main) nor a candidate branch (release/*)'],
    ['feature/a', 'staging', 'staging is neither an environment branch'],
    ['feature', 'dev', 'dev (environment dev) accepts feature/* only'],
    ['feature/a', 'release', 'release is neither an environment branch'],
  ])('GIVEN %s → %s WHEN evaluated THEN it is denied: %s, and every allowed pair is listed', (head, base, why) => {
    const v = evaluateBranchRules({ head, base, environments: shipped });
    expect(v).toMatchObject({ allowed: false, action: 'none' });
    expect(v.environment).toBeUndefined();
    expect(v.reason).toContain(`${head} → ${base} is not allowed: ${why}`);
    expect(v.reason.endsWith(ALL_PAIRS)).toBe(true);
  });

  test('GIVEN the same branch as head and base WHEN evaluated THEN it is denied', () => {
    expect(evaluateBranchRules({ head: 'dev', base: 'dev', environments: shipped }).reason).toBe(
      `head and base are the same branch (dev). ${ALL_PAIRS}`,
    );
  });

  test.each<[string, string, RegExp]>([
    ['feature/$(curl evil)', 'dev', /^head branch name "feature\/\$\(curl evil\)" contains "\$"/],
    ['feature/', 'dev', /^head branch name "feature\/" ends with "\/"/],
    ['feature/x', 'main;rm -rf /', /^base branch name "main;rm -rf \/" contains ";"/],
    ['feature/a..b', 'dev', /^head branch name "feature\/a\.\.b" contains "\.\."/],
    ['-x', 'dev', /^head branch name "-x" starts with "-"/],
    ['', 'dev', /^head branch name is empty/],
  ])('GIVEN the hostile pair %p → %p WHEN evaluated THEN it is denied before any rule, naming the bad name', (head, base, expected) => {
    const v = evaluateBranchRules({ head, base, environments: shipped });
    expect(v).toMatchObject({ allowed: false, action: 'none' });
    expect(v.reason).toMatch(expected);
    expect(v.reason.endsWith(ALL_PAIRS)).toBe(true);
  });
});

describe('evaluateBranchRules is data, not code', () => {
  const env = (name: string, branch: string, release: BranchRulesEnvironment['release']): BranchRulesEnvironment => ({
    name,
    branch,
    release,
  });

  test('GIVEN prod without allowHotfix WHEN hotfix/x → main is evaluated THEN it is denied', () => {
    const environments = shipped.map((e) => (e.name === 'prod' ? { ...e, release: { ...e.release, allowHotfix: false } } : e));
    const v = evaluateBranchRules({ head: 'hotfix/x', base: 'main', environments });
    expect(v.allowed).toBe(false);
    expect(v.reason).toContain('main (environment prod) accepts release/* only');
    expect(v.allowedPairs).not.toContain('hotfix/* → main');
  });

  test('GIVEN renamed branches and an added staging environment WHEN evaluated THEN the new table applies', () => {
    const environments = [
      env('dev', 'develop', { accepts: ['topic/*'] }),
      env('staging', 'staging', { accepts: ['rc/*'], candidates: [{ branch: 'rc/*', accepts: ['topic/*'] }] }),
      env('prod', 'production', { accepts: ['rc/*'], allowHotfix: true, trunk: true }),
    ];
    expect(evaluateBranchRules({ head: 'topic/a', base: 'develop', environments })).toMatchObject({ allowed: true, environment: 'dev' });
    expect(evaluateBranchRules({ head: 'rc/1', base: 'staging', environments })).toMatchObject({ allowed: true, environment: 'staging' });
    expect(evaluateBranchRules({ head: 'topic/a', base: 'rc/1', environments })).toMatchObject({
      action: 'plan-only',
      environment: 'staging',
    });
    expect(evaluateBranchRules({ head: 'hotfix/a', base: 'production', environments })).toMatchObject({
      action: 'deploy',
      environment: 'prod',
    });
    const denied = evaluateBranchRules({ head: 'feature/a', base: 'develop', environments });
    expect(denied.reason).toBe(
      'feature/a → develop is not allowed: develop (environment dev) accepts topic/* only. ' +
        'Allowed pairs: topic/* → develop, rc/* → staging, rc/* → production, hotfix/* → production, topic/* → rc/*.',
    );
  });

  test('GIVEN an environment whose accepts already lists hotfix/* WHEN allowHotfix is also set THEN the pair is listed once', () => {
    const environments = [env('prod', 'main', { accepts: ['hotfix/*'], allowHotfix: true })];
    expect(evaluateBranchRules({ head: 'hotfix/a', base: 'main', environments }).allowedPairs).toEqual(['hotfix/* → main']);
  });

  test('GIVEN exact (non-glob) accepts WHEN evaluated THEN only that branch matches', () => {
    const environments = [env('prod', 'main', { accepts: ['next'] })];
    expect(evaluateBranchRules({ head: 'next', base: 'main', environments }).allowed).toBe(true);
    expect(evaluateBranchRules({ head: 'next/1', base: 'main', environments }).allowed).toBe(false);
  });

  test('GIVEN no environment files WHEN evaluated THEN it is denied and says why', () => {
    expect(evaluateBranchRules({ head: 'feature/a', base: 'dev', environments: [] }).reason).toBe(
      'no environment files define the branch rules. No pair is allowed: no environment file accepts any head.',
    );
  });

  test.each<[string, string, boolean]>([
    ['feature/a', 'feature/*', true],
    ['feature/a/b', 'feature/*', true],
    ['feature/', 'feature/*', false],
    ['feature', 'feature/*', false],
    ['featurex/a', 'feature/*', false],
    ['xfeature/a', 'feature/*', false],
    ['main', 'main', true],
    ['main2', 'main', false],
  ])('GIVEN %s and the pattern %s WHEN matched THEN the result is %s', (name, pattern, expected) => {
    expect(matchesBranchPattern(name, pattern)).toBe(expected);
  });
});

describe('back-sync pull requests (release.rebase)', () => {
  test('GIVEN the shipped files WHEN the sync pairs are derived THEN prod rebases uat then dev, each through sync/<branch>', () => {
    expect(syncRules(shipped).map((r) => [r.head, r.base, r.environment, r.action, r.source])).toEqual([
      ['sync/uat', 'uat', 'uat', 'deploy', 'sync'],
      ['sync/dev', 'dev', 'dev', 'deploy', 'sync'],
    ]);
    expect(rebaseTargets(shipped, 'main')).toEqual(['uat', 'dev']);
    expect(rebaseTargets(shipped, 'dev')).toEqual([]);
    expect(rebaseTargets(shipped, 'feature/x')).toEqual([]);
    expect(syncBranchOf('dev')).toBe('sync/dev');
  });

  test('GIVEN sync/dev → dev WHEN evaluated THEN it is allowed, deploys dev, names the setting, and is not offered among the pairs people open', () => {
    const v = evaluateBranchRules({ head: 'sync/dev', base: 'dev', environments: shipped });
    expect(v).toMatchObject({ allowed: true, environment: 'dev', action: 'deploy' });
    expect(v.reason).toBe(
      'sync/dev → dev is allowed (sync/dev → dev, back-sync of main into dev, release.rebase of prod): merging deploys dev.',
    );
    expect(v.allowedPairs).toHaveLength(5);
  });

  test.each<[string, string]>([
    ['sync/dev', 'uat'],
    ['sync/uat', 'dev'],
    ['sync/main', 'main'],
    ['sync/dev/x', 'dev'],
    ['sync/release/r1', 'release/r1'],
  ])('GIVEN %s → %s WHEN evaluated THEN it is denied', (head, base) => {
    expect(evaluateBranchRules({ head, base, environments: shipped }).allowed).toBe(false);
    expect(isSyncPair(head, base, shipped)).toBe(false);
  });

  test('GIVEN an environment file that rebases nothing WHEN evaluated THEN no sync pair exists', () => {
    const environments = shipped.map((e) => ({ ...e, release: { ...e.release, rebase: [] } }));
    expect(syncRules(environments)).toEqual([]);
    expect(evaluateBranchRules({ head: 'sync/dev', base: 'dev', environments }).allowed).toBe(false);
  });
});
