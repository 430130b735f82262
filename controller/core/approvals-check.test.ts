import { readFileSync } from 'node:fs';
import { parseEnvironmentFile } from '../../environments/config.js';
import type { Environment } from '../../environments/schema.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { checkApprovals, DEPLOYMENTS_READ, refreshPromotionGates, refreshPromotionsFrom } from './approvals-check.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';

const env = (name: string): Environment => {
  const parsed = parseEnvironmentFile({ file: `${name}.yaml`, text: readFileSync(`environments/${name}.yaml`, 'utf8') });
  if (!parsed.environment) throw new Error(`environments/${name}.yaml is invalid`);
  return parsed.environment;
};
const HEAD = sha('a');
const uatPr = pullRequest({ headRef: 'release/r1', baseRef: 'uat' });
/** A store without plans: the approvals of a non-promotion never read it. */
const noPlans = new SqliteStore(':memory:');
const approve = (user: string, commitId = HEAD) => ({ user, state: 'APPROVED' as const, commitId, submittedAt: '2025-01-01T00:00:00Z' });

describe('checkApprovals', () => {
  test('GIVEN uat needs 1 approval and only a read-only user approved WHEN checked THEN the approval is not counted and the check fails', async () => {
    const gh = new FakeGitHub();
    gh.reviews.set(7, [approve('bob')]);
    gh.permissions.set('bob', 'read');
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'), noPlans);
    expect(outcome).toEqual({ satisfied: false, approvedBy: [] });
    const check = gh.check('gitops/approvals/uat', HEAD);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check?.text).toContain('`bob`: has read permission (write, maintain or admin needed)');
  });

  test('GIVEN a writer approved the current head WHEN checked THEN the check succeeds naming them', async () => {
    const gh = new FakeGitHub();
    gh.reviews.set(7, [approve('carol')]);
    gh.permissions.set('carol', 'write');
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'), noPlans);
    expect(outcome).toEqual({ satisfied: true, approvedBy: ['carol'] });
    expect(gh.check('gitops/approvals/uat')?.conclusion).toBe('success');
  });

  test('GIVEN a writer approved an older commit WHEN checked THEN it does not count and no permission is even looked up', async () => {
    const gh = new FakeGitHub();
    gh.reviews.set(7, [approve('carol', sha('9'))]);
    let lookups = 0;
    gh.getPermission = async () => {
      lookups++;
      return 'admin';
    };
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'), noPlans);
    expect(outcome.satisfied).toBe(false);
    expect(lookups).toBe(0);
    expect(gh.check('gitops/approvals/uat')?.text).toContain('approved an older commit (9999999)');
  });

  test('GIVEN CODEOWNERS at the base names a team WHEN a team member approves THEN the owner requirement is met; without them it is missing', async () => {
    const gh = new FakeGitHub().setFile(pullRequest().baseSha, '.github/CODEOWNERS', '* @acme/platform-team\n');
    gh.changedFiles.set(7, ['modules/aws/network/vpc.ts']);
    gh.teams.set('@acme/platform-team', ['dave']);
    gh.permissions.set('dave', 'write');
    expect((await checkApprovals(sessionOf(gh), pullRequest(), env('dev'), noPlans)).satisfied).toBe(false);
    expect(gh.check('gitops/approvals/dev')?.text).toContain('an approval from `@acme/platform-team`');
    gh.reviews.set(7, [approve('dave')]);
    expect(await checkApprovals(sessionOf(gh), pullRequest(), env('dev'), noPlans)).toEqual({ satisfied: true, approvedBy: ['dave'] });
  });
});

describe('checkApprovals of a promotion (release/r1 → main, prod requires uat)', () => {
  const BASE = pullRequest().baseSha;
  const TREE = sha('7');
  const UAT_MERGE = sha('c');
  const prodPr = pullRequest({ headRef: 'release/r1', baseRef: 'main' });
  const WEB = 'https://github.example/acme/infra/commit';

  function world() {
    const gh = new FakeGitHub();
    gh.trees.set(HEAD, TREE);
    gh.permissions.set('carol', 'write');
    const treeReads: string[] = [];
    const getCommitTree = gh.getCommitTree.bind(gh);
    gh.getCommitTree = async (commit) => (treeReads.push(commit), getCommitTree(commit));
    return { gh, session: sessionOf(gh), store: new SqliteStore(':memory:'), treeReads };
  }
  async function deployUat(session: ReturnType<typeof sessionOf>, commit: string, state?: 'success' | 'failure') {
    const id = await session.deployments.createDeployment({ sha: commit, environment: 'uat', description: 'apply uat', production: false });
    if (state) await session.deployments.setDeploymentStatus(id, { state, description: state });
  }
  async function planned(store: SqliteStore, baseSha = BASE) {
    const id = await store.savePlan({ repo: 'acme/infra', pr: 7, environment: 'prod', headSha: HEAD, baseSha, status: 'running' });
    await store.updatePlan(id, { status: 'planned', summaryJson: '{}' });
  }

  test('GIVEN nothing done yet WHEN checked THEN the check fails with one ✗ line per gate saying what is missing', async () => {
    const { gh, session, store } = world();
    const outcome = await checkApprovals(session, prodPr, env('prod'), store);
    expect(outcome.satisfied).toBe(false);
    expect(outcome.gates?.map((g) => g.ok)).toEqual([false, false, false]);
    const check = gh.check('gitops/approvals/prod', HEAD);
    expect(check).toMatchObject({ conclusion: 'failure', title: 'Blocked (prod): ✗ deployed to uat · ✗ approvals · ✗ plan current' });
    expect(check?.summary).toContain(
      `- ✗ **deployed to uat**: uat has no successful deployment of tree <code>7777777</code> (head [<code>aaaaaaa</code>](${WEB}/${HEAD})); merge the release into uat first`,
    );
    expect(check?.summary).toContain('- ✗ **approvals**: still needed: 1 more approval on aaaaaaa from someone with write access (0 of 1)');
    expect(check?.summary).toContain('- ✗ **plan current**: prod was never planned for this pull request; comment /plan');
    expect(check?.text).toContain('#### Approvals');
  });

  test('GIVEN uat deployed a merge commit with the head tree, a writer approved and prod was planned for head and base WHEN checked THEN every gate holds and the check passes', async () => {
    const { gh, session, store } = world();
    gh.trees.set(UAT_MERGE, TREE);
    await deployUat(session, UAT_MERGE, 'success');
    gh.reviews.set(7, [approve('carol')]);
    await planned(store);
    const outcome = await checkApprovals(session, prodPr, env('prod'), store);
    expect(outcome).toMatchObject({ satisfied: true, approvedBy: ['carol'] });
    expect(outcome.gates?.map((g) => g.ok)).toEqual([true, true, true]);
    const check = gh.check('gitops/approvals/prod', HEAD);
    expect(check).toMatchObject({
      conclusion: 'success',
      title: 'Ready to promote (prod): ✓ deployed to uat · ✓ approvals · ✓ plan current',
    });
    expect(check?.summary).toContain(
      `uat deployed tree <code>7777777</code> successfully (its deployment of [<code>ccccccc</code>](${WEB}/${UAT_MERGE}))`,
    );
    expect(check?.text).toContain('Counted: `carol`');
  });

  test('GIVEN uat failed to deploy the head tree and then deployed other files WHEN checked THEN the failed one is ignored and the other tree is named', async () => {
    const { gh, session, store } = world();
    gh.trees.set(UAT_MERGE, TREE).set(sha('d'), sha('8'));
    await deployUat(session, UAT_MERGE, 'failure');
    await deployUat(session, sha('d'), 'success');
    const outcome = await checkApprovals(session, prodPr, env('prod'), store);
    expect(outcome.gates?.[0]).toMatchObject({ ok: false, reason: 'other-tree' });
    expect(gh.check('gitops/approvals/prod')?.summary).toContain(
      `uat's successful deployment is of [<code>ddddddd</code>](${WEB}/${sha('d')}) (tree <code>8888888</code>), not of tree <code>7777777</code>`,
    );
  });

  test(`GIVEN the matching deployment is older than the newest ${DEPLOYMENTS_READ} WHEN checked THEN it is not read and the gate fails`, async () => {
    const { gh, session, store, treeReads } = world();
    gh.trees.set(UAT_MERGE, TREE);
    await deployUat(session, UAT_MERGE, 'success');
    for (let i = 0; i < DEPLOYMENTS_READ; i++) await deployUat(session, sha('e'), 'failure');
    const outcome = await checkApprovals(session, prodPr, env('prod'), store);
    expect(outcome.gates?.[0]).toMatchObject({ ok: false, reason: 'none' });
    expect(treeReads).toEqual([HEAD]);
  });

  test('GIVEN three successful deployments, the second with the head tree WHEN checked THEN trees are read until the match and no further', async () => {
    const { gh, session, store, treeReads } = world();
    gh.trees.set(sha('1'), sha('8')).set(UAT_MERGE, TREE).set(sha('2'), sha('9'));
    for (const commit of [sha('1'), UAT_MERGE, sha('2')]) await deployUat(session, commit, 'success');
    const outcome = await checkApprovals(session, prodPr, env('prod'), store);
    expect(outcome.gates?.[0]).toMatchObject({ ok: true, deployedSha: UAT_MERGE });
    expect(treeReads).toEqual([HEAD, sha('2'), UAT_MERGE]);
  });

  test('GIVEN a plan of the head made against an older base WHEN checked THEN the plan gate fails naming both bases', async () => {
    const { gh, session, store } = world();
    await planned(store, sha('9'));
    await checkApprovals(session, prodPr, env('prod'), store);
    expect(gh.check('gitops/approvals/prod')?.summary).toContain(
      `- ✗ **plan current**: the latest plan was made against base [<code>9999999</code>](${WEB}/${sha('9')}), not the current base [<code>bbbbbbb</code>](${WEB}/${BASE}) (<code>main</code>); comment /plan to plan again`,
    );
  });

  test('GIVEN hotfix/h1 → main (allowHotfix) WHEN checked THEN it is the approvals check alone: no gate reads uat', async () => {
    const { gh, session, store, treeReads } = world();
    gh.reviews.set(7, [approve('carol')]);
    const outcome = await checkApprovals(session, { ...prodPr, headRef: 'hotfix/h1' }, env('prod'), store);
    expect(outcome).toEqual({ satisfied: true, approvedBy: ['carol'] });
    expect(gh.check('gitops/approvals/prod')?.title).toBe('Approved: 1 of 1 required approval on aaaaaaa, no code owners involved.');
    expect(treeReads).toEqual([]);
  });
});

describe('refreshPromotionGates', () => {
  test('GIVEN release/r1 → uat (no promotion) WHEN refreshed THEN nothing is written and undefined returned', async () => {
    const gh = new FakeGitHub();
    expect(await refreshPromotionGates(sessionOf(gh), uatPr, env('uat'), noPlans)).toBeUndefined();
    expect(gh.writes).toEqual([]);
  });

  test('GIVEN release/r1 → main WHEN refreshed THEN the approvals check of prod is written again with its gates', async () => {
    const gh = new FakeGitHub();
    const outcome = await refreshPromotionGates(
      sessionOf(gh),
      pullRequest({ headRef: 'release/r1', baseRef: 'main' }),
      env('prod'),
      noPlans,
    );
    expect(outcome?.gates).toHaveLength(3);
    expect(gh.writes).toEqual(['createCheckRun gitops/approvals/prod completed failure']);
  });
});

describe('refreshPromotionsFrom', () => {
  const APPLIED = sha('c');
  const BASE = pullRequest().baseSha;
  const TREE = sha('7');
  const CLONE = 'https://github.example/acme/infra.git';

  /** Environment files at the applied uat commit and at main's base; open: release/r1 → main (#7), hotfix/h1 → main (#8), release/r2 → uat (#9). */
  function world() {
    const gh = new FakeGitHub().withProjectEnvironments(APPLIED).withProjectEnvironments(BASE);
    gh.open(pullRequest({ number: 7, headRef: 'release/r1', baseRef: 'main' }));
    gh.open(pullRequest({ number: 8, headRef: 'hotfix/h1', headSha: sha('8'), baseRef: 'main' }));
    gh.open(pullRequest({ number: 9, headRef: 'release/r2', headSha: sha('9'), baseRef: 'uat' }));
    gh.trees.set(HEAD, TREE).set(APPLIED, TREE);
    const listed: string[] = [];
    const list = gh.listOpenPullRequests.bind(gh);
    gh.listOpenPullRequests = async (base) => (listed.push(base), list(base));
    return { gh, session: sessionOf(gh), listed };
  }

  test('GIVEN uat deployed the tree of release/r1 WHEN uat’s apply refreshes the promotions THEN only release/r1 → main gets its gitops/approvals/prod check again, now deployed to uat', async () => {
    const { gh, session, listed } = world();
    const id = await session.deployments.createDeployment({ sha: APPLIED, environment: 'uat', description: 'uat', production: false });
    await session.deployments.setDeploymentStatus(id, { state: 'success', description: 'applied' });

    const refreshed = await refreshPromotionsFrom(session, env('uat'), { sha: APPLIED, cloneUrl: CLONE }, noPlans);

    expect(refreshed).toEqual([7]);
    expect(listed).toEqual(['main']);
    expect(gh.writes).toEqual(['createCheckRun gitops/approvals/prod completed failure']);
    expect(gh.check('gitops/approvals/prod', HEAD)?.title).toBe('Blocked (prod): ✓ deployed to uat · ✗ approvals · ✗ plan current');
  });

  test('GIVEN prod applied (no environment requires prod) WHEN refreshed THEN no pull request is even listed', async () => {
    const { gh, session, listed } = world();
    expect(await refreshPromotionsFrom(session, env('prod'), { sha: APPLIED, cloneUrl: CLONE }, noPlans)).toEqual([]);
    expect(listed).toEqual([]);
    expect(gh.writes).toEqual([]);
  });

  test('GIVEN two promotions and GitHub failing for the first WHEN refreshed THEN the second is still refreshed and the failure logged', async () => {
    const { gh, session } = world();
    gh.open(pullRequest({ number: 10, headRef: 'release/r3', headSha: sha('d'), baseRef: 'main' }));
    const tree = gh.getCommitTree.bind(gh);
    gh.getCommitTree = async (commit) => {
      if (commit === HEAD) throw new Error('GitHub 502');
      return tree(commit);
    };
    expect(await refreshPromotionsFrom(session, env('uat'), { sha: APPLIED, cloneUrl: CLONE }, noPlans)).toEqual([10]);
    expect(session.logs.some((l) => l.startsWith('error promotion gates not refreshed') && l.includes('"pr":7'))).toBe(true);
  });

  test('GIVEN environment files that are not valid at the applied commit WHEN refreshed THEN nothing is written and the reason logged', async () => {
    const { gh, session } = world();
    gh.setFile(APPLIED, 'environments/prod.yaml', 'name: [');
    expect(await refreshPromotionsFrom(session, env('uat'), { sha: APPLIED, cloneUrl: CLONE }, noPlans)).toEqual([]);
    expect(gh.writes).toEqual([]);
    expect(session.logs.some((l) => l.startsWith('error promotion gates not refreshed: environment files invalid'))).toBe(true);
  });
});
