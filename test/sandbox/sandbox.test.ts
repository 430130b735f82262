import { generateKeyPairSync } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { Probot, ProbotOctokit } from 'probot';
import { OpenApiDescription } from './openapi-validator.js';
import type { Sandbox } from './sandbox.js';
import { jwt, owner, repo, SECRET, startTestSandbox, stopTestSandbox } from './test-sandbox.js';

describe('sandbox GitHub server', () => {
  let sandbox: Sandbox;
  let octokit: Octokit;

  beforeAll(async () => {
    ({ sandbox, octokit } = await startTestSandbox());
  });

  afterAll(stopTestSandbox);

  describe('addressing and authentication', () => {
    test('GIVEN an installation token WHEN the repository is read THEN it is served under /api/v3 with the clone URL of the sandbox', async () => {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      expect(sandbox.apiUrl).toBe(`http://${sandbox.gheHost}/api/v3`);
      expect(data).toMatchObject({
        full_name: 'acme/infra',
        default_branch: 'main',
        clone_url: `http://${sandbox.gheHost}/acme/infra.git`,
      });
      expect(sandbox.cloneUrl).toBe(data.clone_url);
    });

    test('GIVEN no token or an unknown token WHEN any repository endpoint is called THEN 401 with GitHub error shape', async () => {
      const anonymous = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication', documentation_url: expect.any(String) });
      const forged = await fetch(`${sandbox.apiUrl}/repos/${owner}/${repo}`, { headers: { authorization: 'token ghs_notissued' } });
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as { message: string }).message).toBe('Bad credentials');
    });

    test('GIVEN ProbotOctokit with the App id and key WHEN it authenticates THEN the JWT buys an installation token that works', async () => {
      const app = new ProbotOctokit({ auth: { appId: 4242, privateKey: sandbox.privateKey }, baseUrl: sandbox.apiUrl });
      const { data: me } = await app.rest.apps.getAuthenticated();
      expect(me).toMatchObject({ id: 4242, slug: 'gitops-sandbox' });
      const { data: installation } = await app.rest.apps.getRepoInstallation({ owner, repo });
      const probot = new Probot({
        appId: 4242,
        privateKey: sandbox.privateKey,
        secret: SECRET,
        baseUrl: sandbox.apiUrl,
        logLevel: 'fatal',
      });
      const installed = await probot.auth(installation.id);
      const { data } = await installed.rest.pulls.list({ owner, repo });
      expect(Array.isArray(data)).toBe(true);
    });

    test('GIVEN a JWT signed with another key, with the wrong iss or expired WHEN /app is called THEN 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const cases = [
        jwt({ iss: 4242, iat: now - 30, exp: now + 500 }, otherKey),
        jwt({ iss: 999, iat: now - 30, exp: now + 500 }, sandbox.privateKey),
        jwt({ iss: 4242, iat: now - 700, exp: now - 10 }, sandbox.privateKey),
        jwt({ iss: 4242, iat: now, exp: now + 3600 }, sandbox.privateKey),
      ];
      const statuses = await Promise.all(
        cases.map(async (token) => (await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `Bearer ${token}` } })).status),
      );
      expect(statuses).toEqual([401, 401, 401, 401]);
      const good = jwt({ iss: 4242, iat: now - 30, exp: now + 540 }, sandbox.privateKey);
      expect((await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `Bearer ${good}` } })).status).toBe(200);
    });

    test('GIVEN an installation token WHEN it is used on /app THEN 401 (GitHub wants the JWT there)', async () => {
      const response = await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `token ${sandbox.issueToken()}` } });
      expect(response.status).toBe(401);
    });
  });

  describe('OpenAPI validation', () => {
    test('GIVEN a path that is not in the description WHEN requested THEN 422 and a recorded violation', async () => {
      const before = sandbox.violations.length;
      await expect(octokit.request('GET /repos/{owner}/{repo}/nonsense', { owner, repo })).rejects.toMatchObject({ status: 422 });
      expect(sandbox.violations.slice(before)).toEqual([
        expect.objectContaining({
          kind: 'request',
          message: expect.stringContaining('GET /repos/acme/infra/nonsense is not an operation'),
        }),
      ]);
    });

    test('GIVEN a misspelt body field WHEN creating a pull request THEN 422 names the field and the allowed ones', async () => {
      const error = await octokit
        .request('POST /repos/{owner}/{repo}/pulls', { owner, repo, head: 'dev', base: 'main', titel: 'x' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 422 });
      expect((error as Error).message).toContain('unknown field "titel"');
      expect(sandbox.violations.at(-1)).toMatchObject({ kind: 'request', operationId: 'pulls/create' });
    });

    test('GIVEN a field of the wrong type or outside its enum WHEN creating a check run THEN 422', async () => {
      const head = (await sandbox.branchSha('main')) as string;
      await expect(
        octokit.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo, name: 'x', head_sha: 42 as unknown as string }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('body.head_sha: expected string'),
      });
      await expect(
        octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: head, status: 'done' as 'completed' }),
      ).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('"done" is not one of'),
      });
    });

    test('GIVEN an unknown query parameter WHEN listing pull requests THEN 422 (a misspelt filter would silently return everything)', async () => {
      await expect(octokit.request('GET /repos/{owner}/{repo}/pulls', { owner, repo, status: 'open' })).rejects.toMatchObject({
        status: 422,
        message: expect.stringContaining('unknown query parameter "status"'),
      });
    });

    test('GIVEN an operation GitHub has but the sandbox does not serve WHEN called THEN 404 and an "unserved" violation', async () => {
      await expect(octokit.rest.repos.listReleases({ owner, repo })).rejects.toMatchObject({ status: 404 });
      expect(sandbox.violations.at(-1)).toMatchObject({ kind: 'unserved', operationId: 'repos/list-releases' });
    });

    test('GIVEN responses of the main endpoints WHEN checked against their documented schema THEN every top-level required field is there', async () => {
      const openapi = OpenApiDescription.load();
      const required = (operationId: string, template: string, method: string) => {
        const op = openapi.match(method, template)?.operation;
        expect(op?.operationId).toBe(operationId);
        return op!;
      };
      const { data: repoData } = await octokit.rest.repos.get({ owner, repo });
      expect(openapi.validateResponse(required('repos/get', `/repos/${owner}/${repo}`, 'GET'), 200, repoData)).toEqual([]);
      const missing = openapi.validateResponse(required('repos/get', `/repos/${owner}/${repo}`, 'GET'), 200, {
        ...repoData,
        clone_url: undefined,
      });
      expect(missing).toContain('response: missing required field "clone_url"');
      expect(sandbox.violations.filter((v) => v.kind === 'response' || v.kind === 'webhook')).toEqual([]);
    });
  });
});
