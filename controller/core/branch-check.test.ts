import { checkBranchRules } from './branch-check.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';

const BASE = sha('b');

function repo(): FakeGitHub {
  const gh = new FakeGitHub().withProjectEnvironments(BASE);
  gh.compares.set(`main...${sha('a')}`, [{ sha: sha('1'), parents: [sha('0')] }]);
  gh.compares.set('main...dev', [{ sha: sha('d'), parents: [sha('0')] }]);
  gh.compares.set('main...uat', []);
  return gh;
}

describe('checkBranchRules', () => {
  test('GIVEN feature/x → dev based on main WHEN checked THEN a successful gitops/branch-policy check and the dev environment', async () => {
    const gh = repo();
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest());
    expect(outcome.ok).toBe(true);
    expect(outcome.environment?.name).toBe('dev');
    expect(outcome.verdict?.action).toBe('deploy');
    const check = gh.check('gitops/branch-policy', sha('a'));
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success', title: 'feature/x → dev: deploys dev' });
    expect(check?.summary).toContain('feature/x → dev is allowed');
  });

  test('GIVEN feature/y → main WHEN checked THEN the check fails and its text lists the allowed pairs', async () => {
    const gh = repo();
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'feature/y', baseRef: 'main' }));
    expect(outcome.ok).toBe(false);
    const check = gh.check('gitops/branch-policy');
    expect(check).toMatchObject({ conclusion: 'failure', title: 'feature/y → main is not allowed' });
    expect(check?.summary).toContain('main (environment prod) accepts release/*, hotfix/* only');
    expect(check?.text).toContain('- `feature/* → dev`');
    expect(check?.text).toContain('- `release/* → main`');
    expect(check?.text).toContain('- `feature/* → release/*`');
  });

  test('GIVEN a head branch carrying a commit that is only on dev WHEN checked THEN the check fails naming the commit', async () => {
    const gh = repo();
    gh.compares.set(`main...${sha('a')}`, [
      { sha: sha('d'), parents: [sha('0')] },
      { sha: sha('1'), parents: [sha('d')] },
    ]);
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'release/r1', baseRef: 'uat' }));
    expect(outcome.ok).toBe(false);
    const check = gh.check('gitops/branch-policy');
    expect(check).toMatchObject({ conclusion: 'failure', title: 'release/r1 is not based on main' });
    expect(check?.summary).toContain('1 commit of dev (ddddddd)');
  });

  test("GIVEN back-sync's sync/dev → dev whose head merged dev in (a resolved conflict) WHEN checked THEN it passes and deploys dev", async () => {
    const gh = repo();
    gh.compares.set(`main...${sha('a')}`, [
      { sha: sha('d'), parents: [sha('0')] },
      { sha: sha('1'), parents: [sha('0'), sha('d')] },
    ]);
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'sync/dev', baseRef: 'dev' }));
    expect(outcome).toMatchObject({ ok: true, environment: { name: 'dev' } });
    expect(gh.check('gitops/branch-policy')).toMatchObject({ conclusion: 'success', title: 'sync/dev → dev: deploys dev' });
  });

  test('GIVEN sync/uat → uat carrying a commit only on dev WHEN checked THEN the check fails naming it', async () => {
    const gh = repo();
    gh.compares.set(`main...${sha('a')}`, [{ sha: sha('d'), parents: [sha('0')] }]);
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'sync/uat', baseRef: 'uat' }));
    expect(outcome.ok).toBe(false);
    expect(gh.check('gitops/branch-policy')).toMatchObject({ conclusion: 'failure', title: 'sync/uat is not based on main' });
  });

  test('GIVEN a head branch name with a shell metacharacter WHEN checked THEN the check fails and nothing else is read', async () => {
    const gh = repo();
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'feature/$(reboot)' }));
    expect(outcome).toEqual({ ok: false });
    const check = gh.check('gitops/branch-policy');
    expect(check).toMatchObject({ conclusion: 'failure', title: 'Invalid branch name' });
    // escaped for Markdown: the name comes from the payload
    expect(check?.summary).toBe(
      'head: branch name &quot;feature/$(reboot)&quot; contains &quot;$&quot; (shell metacharacters $;&amp;&#124;&lt;&gt;&#96;&#39;&quot;(){}! are refused)',
    );
    expect(gh.writes).toEqual(['createCheckRun gitops/branch-policy completed failure']);
  });

  test('GIVEN a head named like an HTML image WHEN checked THEN the refusal names it without a tag GitHub would render', async () => {
    const gh = new FakeGitHub();
    await checkBranchRules(sessionOf(gh), pullRequest({ headRef: 'feature/<img/src=https://evil.example/x.png>' }));
    const summary = gh.check('gitops/branch-policy')?.summary ?? '';
    expect(summary).toContain('feature/&lt;img/src=https://evil.example/x.png&gt;');
    expect(summary).not.toContain('<img');
  });

  test('GIVEN invalid environment files at the base WHEN checked THEN the check fails with every problem as its text', async () => {
    const gh = new FakeGitHub().withProjectEnvironments(BASE, (file, text) =>
      file === 'dev.yaml' ? text.replace('tier: development', 'tier: sandbox') : text,
    );
    gh.setFile(BASE, 'environments/uat.yaml', 'name: [unclosed');
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest());
    expect(outcome.ok).toBe(false);
    const check = gh.check('gitops/branch-policy');
    expect(check).toMatchObject({ conclusion: 'failure', title: '2 problems in the environment files of dev' });
    expect(check?.text).toContain('- environments/dev.yaml:4: tier: must be one of "development", "staging", "production" (got "sandbox")');
    expect(check?.text).toContain('- environments/uat.yaml:1: YAML syntax error');
  });

  test('GIVEN no environment files at the base WHEN checked THEN the check fails saying the directory does not exist', async () => {
    const gh = new FakeGitHub();
    await checkBranchRules(sessionOf(gh), pullRequest());
    expect(gh.check('gitops/branch-policy')?.text).toContain(`environments: does not exist at ${BASE}`);
  });

  test('GIVEN the compare API fails WHEN checked THEN the check fails with the error line instead of throwing', async () => {
    const gh = repo();
    gh.compareCommits = async () => {
      throw Object.assign(new Error('Server Error\nstack…'), { status: 502 });
    };
    const outcome = await checkBranchRules(sessionOf(gh), pullRequest());
    expect(outcome.ok).toBe(false);
    expect(gh.check('gitops/branch-policy')).toMatchObject({
      conclusion: 'failure',
      title: 'Could not compare the head with the trunk',
      summary: 'Server Error',
    });
  });

  test('GIVEN a lower branch that does not exist yet WHEN checked THEN it is skipped and the pair passes', async () => {
    const gh = repo();
    gh.compares.delete('main...uat');
    expect((await checkBranchRules(sessionOf(gh), pullRequest())).ok).toBe(true);
  });
});
