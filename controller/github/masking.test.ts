import { HeldSecrets } from '../secrets/held.js';
import { maskingGitHub } from './masking.js';
import { FakeGitHub } from '../../test/doubles/fake-github.js';

const KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

function setup() {
  const gh = new FakeGitHub();
  const secrets = new HeldSecrets(['webhook-secret-value', KEY]);
  return { gh, secrets, github: maskingGitHub(gh, secrets) };
}

describe('maskingGitHub', () => {
  test('GIVEN a check run whose title, summary and text carry held secrets WHEN written THEN GitHub receives them masked', async () => {
    const { gh, github } = setup();
    const id = await github.createCheckRun({
      name: 'gitops/plan/dev',
      headSha: 'a'.repeat(40),
      status: 'in_progress',
      title: 'leaked webhook-secret-value',
      summary: `key line MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun`,
    });
    expect(gh.checkRuns[0]).toMatchObject({ title: 'leaked ***', summary: 'key line ***' });
    await github.updateCheckRun(id, { status: 'completed', conclusion: 'failure', title: 't', summary: 's', text: KEY });
    const written = JSON.stringify(gh.checkRuns);
    expect(written).not.toContain('webhook-secret-value');
    expect(written).not.toContain('MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun');
    expect(gh.checkRuns[0]).toMatchObject({ text: '***', status: 'completed', conclusion: 'failure' });
  });

  test('GIVEN an installation token learnt after start WHEN a comment carries it THEN it is masked, in creates and edits', async () => {
    const { gh, secrets, github } = setup();
    secrets.add('ghs_abcdefghijklmnopqrstuvwxyz0123456789');
    const id = await github.createComment(7, 'token ghs_abcdefghijklmnopqrstuvwxyz0123456789 here');
    await github.updateComment(id, 'again: ghs_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(gh.comments[0].body).toBe('again: ***');
    expect(gh.writes).toEqual(['createComment #7', `updateComment ${id}`]);
  });

  test('GIVEN text without secrets WHEN written THEN it reaches GitHub unchanged', async () => {
    const { gh, github } = setup();
    await github.createComment(7, 'plan: 1 to add');
    expect(gh.comments[0].body).toBe('plan: 1 to add');
  });
});
