import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { zipArchive } from '../../test/zip-archive.js';
import { MAX_ARTIFACT_BYTES, OctokitWorkflows } from './workflow-client.js';

const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const SHA = 'b'.repeat(40);
const NAME = `plan-dev-ingest-dev-${SHA}`;

const client = () => new OctokitWorkflows(new Octokit({ baseUrl: API, auth: 'ghs_token', request: { retries: 0 } }), 'acme', 'infra');
const artifact = (over: Record<string, unknown> = {}) => ({ id: 9, name: NAME, size_in_bytes: 300, expired: false, ...over });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OctokitWorkflows', () => {
  test('GIVEN inputs WHEN dispatched THEN plan-apply.yml is dispatched on the branch with exactly env, stack, sha and mode, as the installation', async () => {
    let body: unknown;
    let auth: unknown;
    nock(API)
      .post(`${REPO}/actions/workflows/plan-apply.yml/dispatches`, (b) => ((body = b), true))
      .reply(function () {
        auth = this.req.headers.authorization;
        return [204];
      });
    await client().dispatch('dev', { env: 'dev', stack: 'ingest-dev', sha: SHA, mode: 'plan' });
    expect(body).toEqual({ ref: 'dev', inputs: { env: 'dev', stack: 'ingest-dev', sha: SHA, mode: 'plan' } });
    expect(auth).toBe('token ghs_token');
  });

  test('GIVEN GitHub refuses the dispatch WHEN dispatched THEN it rejects with the status', async () => {
    nock(API).post(`${REPO}/actions/workflows/plan-apply.yml/dispatches`).reply(422, { message: 'Unexpected inputs provided: ["x"]' });
    await expect(client().dispatch('dev', { env: 'dev', stack: 's', sha: SHA, mode: 'apply' })).rejects.toMatchObject({ status: 422 });
  });

  test("GIVEN a run's artifact WHEN a file is asked for THEN the archive GitHub redirects to is downloaded and the file read from it", async () => {
    nock(API)
      .get(`${REPO}/actions/runs/7/artifacts`)
      .query({ name: NAME, per_page: '100' })
      .reply(200, { total_count: 1, artifacts: [artifact()] })
      .get(`${REPO}/actions/artifacts/9/zip`)
      .reply(302, undefined, { location: 'https://blobs.example.test/artifact/9.zip' });
    nock('https://blobs.example.test')
      .get('/artifact/9.zip')
      .reply(200, zipArchive({ 'plan.txt': 'text', 'plan.json': '{"stack":"ingest-dev"}' }), { 'content-type': 'application/zip' });
    expect((await client().artifactFile(7, NAME, 'plan.json', 1024))?.toString('utf8')).toBe('{"stack":"ingest-dev"}');
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN no artifact of that name, an expired one or one over the size limit WHEN asked THEN undefined, undefined and an error naming it', async () => {
    const list = (artifacts: unknown[]) =>
      nock(API).get(`${REPO}/actions/runs/7/artifacts`).query(true).reply(200, { total_count: artifacts.length, artifacts });
    list([artifact({ name: 'apply-dev-ingest-dev' })]);
    expect(await client().artifactFile(7, NAME, 'plan.json', 1024)).toBeUndefined();
    list([artifact({ expired: true })]);
    expect(await client().artifactFile(7, NAME, 'plan.json', 1024)).toBeUndefined();
    list([artifact({ size_in_bytes: MAX_ARTIFACT_BYTES + 1 })]);
    await expect(client().artifactFile(7, NAME, 'plan.json', 1024)).rejects.toThrow(
      `artifact ${NAME} is ${MAX_ARTIFACT_BYTES + 1} bytes (allowed: at most ${MAX_ARTIFACT_BYTES})`,
    );
  });
});
