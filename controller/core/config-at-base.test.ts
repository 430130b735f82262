import { readFileSync } from 'node:fs';
import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { OctokitGitHubClient } from '../github/client.js';
import { MAX_ENVIRONMENT_FILES } from '../../environments/file-limits.js';
import { loadCodeownersAt, loadEnvironmentsAt } from './config-at-base.js';

const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const BASE = 'b'.repeat(40);
const shippedText = (name: string) => readFileSync(new URL(`../../environments/${name}`, import.meta.url), 'utf8');
const client = () => new OctokitGitHubClient(new Octokit({ auth: 'x', baseUrl: API }), 'acme', 'infra');
const fileEntry = (name: string, type = 'file') => ({ name, path: `environments/${name}`, type });

/** Serves a directory listing and the given files at BASE. */
function serve(files: Record<string, string>, extraEntries: object[] = []) {
  const scope = nock(API)
    .get(`${REPO}/contents/environments`)
    .query({ ref: BASE })
    .reply(200, [...Object.keys(files).map((n) => fileEntry(n)), ...extraEntries]);
  for (const [name, text] of Object.entries(files)) {
    scope
      .get(`${REPO}/contents/environments%2F${name}`)
      .query({ ref: BASE })
      .reply(200, { type: 'file', encoding: 'base64', size: text.length, sha: name, content: Buffer.from(text).toString('base64') });
  }
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => nock.cleanAll());
afterEach(() => expect(nock.pendingMocks()).toEqual([]));

describe('loadEnvironmentsAt', () => {
  test('GIVEN the shipped files at the base WHEN loaded THEN three valid environments come back, files named by path', async () => {
    serve({ 'dev.yaml': shippedText('dev.yaml'), 'prod.yaml': shippedText('prod.yaml'), 'uat.yaml': shippedText('uat.yaml') }, [
      fileEntry('README.md'),
    ]);
    const result = await loadEnvironmentsAt(client(), BASE);
    if (!result.ok) throw new Error(result.text);
    expect(result.environments.map((e) => `${e.name}:${e.branch}`)).toEqual(['dev:dev', 'prod:main', 'uat:uat']);
    expect(result.files.map((f) => f.file)).toEqual(['environments/dev.yaml', 'environments/prod.yaml', 'environments/uat.yaml']);
  });

  test('GIVEN a prod file that drops its approvals and has a typo WHEN loaded THEN every problem comes back as data, never thrown', async () => {
    const prod = shippedText('prod.yaml')
      .replace('requiredApprovals: 1', 'requiredApprovals: 0')
      .replace('tier: production', 'tier: production\ncolour: red');
    serve({ 'dev.yaml': shippedText('dev.yaml'), 'prod.yaml': prod, 'uat.yaml': shippedText('uat.yaml') });
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.text.split('\n')).toEqual([
      expect.stringMatching(/^environments\/prod\.yaml:\d+: unknown key "colour" \(allowed: name, branch, /),
    ]);
    // The approvals problem is a cross-file rule: it shows once the file parses.
    serve({ 'dev.yaml': shippedText('dev.yaml'), 'prod.yaml': prod.replace('colour: red\n', ''), 'uat.yaml': shippedText('uat.yaml') });
    const second = await loadEnvironmentsAt(client(), BASE);
    expect(second.ok ? '' : second.text).toBe(
      'environments/prod.yaml: release.requiredApprovals: a production environment needs at least 1 approval (got 0)',
    );
  });

  test('GIVEN malformed YAML WHEN loaded THEN the problem names the file and line', async () => {
    serve({ 'dev.yaml': 'name: dev\nbranch: [dev\n' });
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? '' : result.text).toMatch(/^environments\/dev\.yaml:\d+: YAML syntax error: /);
  });

  test('GIVEN no environments directory at the base WHEN loaded THEN one problem says so', async () => {
    nock(API).get(`${REPO}/contents/environments`).query({ ref: BASE }).reply(404, { message: 'Not Found' });
    expect(await loadEnvironmentsAt(client(), BASE)).toEqual({
      ok: false,
      problems: [
        { file: 'environments', path: '', message: `does not exist at ${BASE} (environment files are read from the base branch)` },
      ],
      text: `environments: does not exist at ${BASE} (environment files are read from the base branch)`,
    });
  });

  test('GIVEN environments is a file at the base WHEN loaded THEN it is a problem, not an exception', async () => {
    nock(API).get(`${REPO}/contents/environments`).query(true).reply(200, { type: 'file', name: 'environments' });
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? '' : result.text).toBe(`environments: is a file at ${BASE}, not a directory of environment files`);
  });

  test('GIVEN an empty directory WHEN loaded THEN the problem says no files were found', async () => {
    serve({});
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? '' : result.text).toBe('(environments): no environment files (*.yaml) found');
  });

  test('GIVEN an environment file over the size limit in the listing WHEN loaded THEN it is refused by its size and never fetched', async () => {
    serve({ 'dev.yaml': shippedText('dev.yaml') }, [{ ...fileEntry('huge.yaml'), size: 265_000_000 }]);
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? [] : result.problems).toEqual([
      { file: 'environments/huge.yaml', path: '', message: 'is 265,000,000 bytes (allowed: at most 131,072 bytes)' },
    ]);
  });

  test('GIVEN a symlinked environment file WHEN loaded THEN it is refused by name', async () => {
    serve({ 'dev.yaml': shippedText('dev.yaml') }, [fileEntry('prod.yaml', 'symlink')]);
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? [] : result.problems[0]).toEqual({
      file: 'environments/prod.yaml',
      path: '',
      message: 'is a symlink; environment files must be regular files',
    });
  });

  test(`GIVEN more than ${MAX_ENVIRONMENT_FILES} files WHEN loaded THEN nothing is fetched and the count is named`, async () => {
    nock(API)
      .get(`${REPO}/contents/environments`)
      .query(true)
      .reply(
        200,
        Array.from({ length: MAX_ENVIRONMENT_FILES + 1 }, (_, i) => fileEntry(`e${i}.yaml`)),
      );
    const result = await loadEnvironmentsAt(client(), BASE);
    expect(result.ok ? '' : result.text).toBe(`environments: holds 51 environment files at ${BASE} (at most 50)`);
  });

  test.each(['../secrets', '/etc', '', 'a//b', './environments'])(
    'GIVEN the directory %p WHEN loaded THEN it is refused without a request',
    async (dir) => {
      const result = await loadEnvironmentsAt(client(), BASE, dir);
      expect(result.ok ? '' : result.text).toContain(
        `environments directory must be a relative path inside the repository without "." or ".." parts (got ${JSON.stringify(dir)})`,
      );
    },
  );

  test('GIVEN GitHub failing WHEN loaded THEN the error is thrown (it is not a configuration problem)', async () => {
    nock(API).get(`${REPO}/contents/environments`).query(true).reply(502, { message: 'Bad Gateway' });
    await expect(loadEnvironmentsAt(client(), BASE)).rejects.toMatchObject({ status: 502 });
  });
});

describe('loadCodeownersAt', () => {
  const file = (text: string) => ({
    type: 'file',
    encoding: 'base64',
    size: text.length,
    sha: 's',
    content: Buffer.from(text).toString('base64'),
  });

  test('GIVEN CODEOWNERS only at the root WHEN loaded THEN .github/ is tried first and the root file is returned', async () => {
    nock(API)
      .get(`${REPO}/contents/.github%2FCODEOWNERS`)
      .query({ ref: BASE })
      .reply(404, {})
      .get(`${REPO}/contents/CODEOWNERS`)
      .query({ ref: BASE })
      .reply(200, file('* @acme/platform\n'));
    expect(await loadCodeownersAt(client(), BASE)).toEqual({ path: 'CODEOWNERS', text: '* @acme/platform\n' });
  });

  test('GIVEN no CODEOWNERS anywhere WHEN loaded THEN undefined after the three locations', async () => {
    nock(API)
      .get(`${REPO}/contents/.github%2FCODEOWNERS`)
      .query(true)
      .reply(404, {})
      .get(`${REPO}/contents/CODEOWNERS`)
      .query(true)
      .reply(200, [])
      .get(`${REPO}/contents/docs%2FCODEOWNERS`)
      .query(true)
      .reply(404, {});
    expect(await loadCodeownersAt(client(), BASE)).toBeUndefined();
  });
});
