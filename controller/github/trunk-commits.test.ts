import { checkBasedOnTrunk, collectTrunkCommitSets } from './trunk-commits.js';
import type { CompareResult, GitHubClient } from './client.js';
import type { BranchRulesEnvironment } from '../rules/branch-policy.js';

// main = M1. dev merged feature/a (A1 ← A2) with D1 and got a direct commit D2; uat merged release/r (R1) with U1.
const ranges: Record<string, [string, ...string[]][]> = {
  'main...dev': [
    ['A1', 'M1'],
    ['A2', 'A1'],
    ['D1', 'M1', 'A2'],
    ['D2', 'D1'],
  ],
  'main...uat': [
    ['R1', 'M1'],
    ['U1', 'M1', 'R1'],
  ],
  'main...sha-feature-a': [
    ['A1', 'M1'],
    ['A2', 'A1'],
  ],
  'main...sha-feature-b': [
    ['A1', 'M1'],
    ['A2', 'A1'],
    ['D1', 'M1', 'A2'],
    ['D2', 'D1'],
    ['B1', 'D2'],
  ],
};

function fakeClient(missing: string[] = []): Pick<GitHubClient, 'compareCommits'> & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async compareCommits(base: string, head: string): Promise<CompareResult> {
      const key = `${base}...${head}`;
      calls.push(key);
      if (missing.includes(head) || !(key in ranges)) throw Object.assign(new Error(`Not Found: ${key}`), { status: 404 });
      const commits = ranges[key].map(([sha, ...parents]) => ({ sha, parents }));
      return { status: 'ahead', aheadBy: commits.length, behindBy: 0, mergeBaseSha: 'M1', commits, files: [] };
    },
  };
}

const environments: BranchRulesEnvironment[] = [
  { name: 'dev', branch: 'dev', tier: 'development', release: { accepts: ['feature/*'] } },
  {
    name: 'uat',
    branch: 'uat',
    tier: 'staging',
    release: { accepts: ['release/*'], candidates: [{ branch: 'release/*', accepts: ['feature/*'] }] },
  },
  { name: 'prod', branch: 'main', tier: 'production', release: { accepts: ['release/*'], allowHotfix: true, trunk: true } },
];

describe('collectTrunkCommitSets', () => {
  test('GIVEN dev and uat ahead of main WHEN collected THEN the head range and the lower branches own commits are returned', async () => {
    const client = fakeClient();
    const sets = await collectTrunkCommitSets(client, { trunk: 'main', headRef: 'sha-feature-a', lowerBranches: ['dev', 'uat'] });
    expect(sets.headOnlyCommits).toEqual(['A1', 'A2']);
    expect(Object.fromEntries(Object.entries(sets.lowerBranchOnlyCommits).map(([b, s]) => [b, [...s].sort()]))).toEqual({
      dev: ['D1', 'D2'],
      uat: ['U1'],
    });
    expect(client.calls.sort()).toEqual(['main...dev', 'main...sha-feature-a', 'main...uat']);
  });

  test('GIVEN a lower branch that does not exist WHEN collected THEN it carries nothing', async () => {
    const sets = await collectTrunkCommitSets(fakeClient(['uat']), {
      trunk: 'main',
      headRef: 'sha-feature-a',
      lowerBranches: ['dev', 'uat'],
    });
    expect(sets.lowerBranchOnlyCommits.uat).toEqual([]);
  });

  test('GIVEN a head that does not exist WHEN collected THEN the 404 propagates', async () => {
    await expect(collectTrunkCommitSets(fakeClient(), { trunk: 'main', headRef: 'gone', lowerBranches: [] })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('checkBasedOnTrunk', () => {
  test('GIVEN a feature merged into dev earlier WHEN it targets a release branch THEN it passes', async () => {
    const v = await checkBasedOnTrunk(fakeClient(), { head: 'feature/a', headSha: 'sha-feature-a', environments });
    expect(v).toMatchObject({ checked: true, ok: true, smuggled: [] });
  });

  test('GIVEN a feature branched from dev WHEN checked THEN it fails naming the dev commits', async () => {
    const v = await checkBasedOnTrunk(fakeClient(), { head: 'feature/b', headSha: 'sha-feature-b', environments });
    expect(v.ok).toBe(false);
    expect(v.checked).toBe(true);
    expect(v.reason).toMatch(/^feature\/b is not based on main: it carries 2 commits of dev/);
  });

  test('GIVEN an environment branch as head WHEN checked THEN nothing is fetched and it is not checked', async () => {
    const client = fakeClient();
    expect(await checkBasedOnTrunk(client, { head: 'uat', headSha: 'x', environments })).toEqual({
      checked: false,
      ok: true,
      smuggled: [],
      reason: 'not checked: uat is an environment branch',
    });
    expect(client.calls).toEqual([]);
  });

  test('GIVEN no trunk environment WHEN checked THEN it is skipped and says why', async () => {
    const noTrunk = environments.map((e) => ({ ...e, release: { ...e.release, trunk: false } }));
    expect((await checkBasedOnTrunk(fakeClient(), { head: 'feature/a', headSha: 'x', environments: noTrunk })).reason).toBe(
      'not checked: no environment sets release.trunk',
    );
  });

  test('GIVEN two trunk environments WHEN checked THEN it fails with the configuration problem', async () => {
    const twoTrunks = environments.map((e) => ({ ...e, release: { ...e.release, trunk: e.name !== 'dev' } }));
    const v = await checkBasedOnTrunk(fakeClient(), { head: 'feature/a', headSha: 'x', environments: twoTrunks });
    expect(v).toMatchObject({
      ok: false,
      checked: false,
      reason: 'more than one environment sets release.trunk: true (uat, prod); exactly one may',
    });
  });
});
