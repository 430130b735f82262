import { readFileSync } from 'node:fs';
import { parseEnvironmentFile } from '../../environments/config.js';
import type { Environment } from '../../environments/schema.js';
import { checkApprovals } from './approvals-check.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';

const env = (name: string): Environment => {
  const parsed = parseEnvironmentFile({ file: `${name}.yaml`, text: readFileSync(`environments/${name}.yaml`, 'utf8') });
  if (!parsed.environment) throw new Error(`environments/${name}.yaml is invalid`);
  return parsed.environment;
};
const HEAD = sha('a');
const uatPr = pullRequest({ headRef: 'release/r1', baseRef: 'uat' });
const approve = (user: string, commitId = HEAD) => ({ user, state: 'APPROVED' as const, commitId, submittedAt: '2025-01-01T00:00:00Z' });

describe('checkApprovals', () => {
  test('GIVEN uat needs 1 approval and only a read-only user approved WHEN checked THEN the approval is not counted and the check fails', async () => {
    const gh = new FakeGitHub();
    gh.reviews.set(7, [approve('bob')]);
    gh.permissions.set('bob', 'read');
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'), 'alice');
    expect(outcome).toEqual({ satisfied: false, approvedBy: [] });
    const check = gh.check('gitops/approvals/uat', HEAD);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check?.text).toContain('`bob`: has read permission (write, maintain or admin needed)');
  });

  test('GIVEN a writer approved the current head WHEN checked THEN the check succeeds naming them', async () => {
    const gh = new FakeGitHub();
    gh.reviews.set(7, [approve('carol')]);
    gh.permissions.set('carol', 'write');
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'), 'alice');
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
    const outcome = await checkApprovals(sessionOf(gh), uatPr, env('uat'));
    expect(outcome.satisfied).toBe(false);
    expect(lookups).toBe(0);
    expect(gh.check('gitops/approvals/uat')?.text).toContain('approved an older commit (9999999)');
  });

  test('GIVEN CODEOWNERS at the base names a team WHEN a team member approves THEN the owner requirement is met; without them it is missing', async () => {
    const gh = new FakeGitHub().setFile(pullRequest().baseSha, '.github/CODEOWNERS', '* @acme/platform-team\n');
    gh.changedFiles.set(7, ['modules/aws/network/vpc.ts']);
    gh.teams.set('@acme/platform-team', ['dave']);
    gh.permissions.set('dave', 'write');
    expect((await checkApprovals(sessionOf(gh), pullRequest(), env('dev'))).satisfied).toBe(false);
    expect(gh.check('gitops/approvals/dev')?.text).toContain('an approval from `@acme/platform-team`');
    gh.reviews.set(7, [approve('dave')]);
    expect(await checkApprovals(sessionOf(gh), pullRequest(), env('dev'))).toEqual({ satisfied: true, approvedBy: ['dave'] });
  });
});
