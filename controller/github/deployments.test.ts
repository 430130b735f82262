import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { OctokitDeployments } from './deployments.js';

const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const SHA = 'a'.repeat(40);

function deployments(): OctokitDeployments {
  return new OctokitDeployments(new Octokit({ baseUrl: API, request: { retries: 0 } }), 'acme', 'infra');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OctokitDeployments', () => {
  test('GIVEN a deployed commit WHEN a deployment is created THEN it names the SHA, never merges, requires no contexts and says whether it is production', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post(`${REPO}/deployments`, (b) => ((body = b), true))
      .reply(201, { id: 42, sha: SHA });
    expect(await deployments().createDeployment({ sha: SHA, environment: 'prod', description: 'x'.repeat(200), production: true })).toBe(
      42,
    );
    expect(body).toMatchObject({
      ref: SHA,
      environment: 'prod',
      auto_merge: false,
      required_contexts: [],
      production_environment: true,
      transient_environment: false,
    });
    expect(body.description).toHaveLength(140);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN GitHub answers 202 (a merge in progress) WHEN a deployment is created THEN it throws naming the commit and environment', async () => {
    nock(API).post(`${REPO}/deployments`).reply(202, { message: 'Auto-merged main into dev on deployment.' });
    await expect(deployments().createDeployment({ sha: SHA, environment: 'dev', description: 'd', production: false })).rejects.toThrow(
      `GitHub created no deployment of ${SHA} to dev: Auto-merged main into dev on deployment.`,
    );
  });

  test.each([
    ['success', true],
    ['failure', false],
  ] as const)(
    'GIVEN state %s WHEN the status is set THEN the log URL is passed and older deployments go inactive only on success',
    async (state, inactive) => {
      let body: Record<string, unknown> = {};
      nock(API)
        .post(`${REPO}/deployments/42/statuses`, (b) => ((body = b), true))
        .reply(201, { id: 1 });
      await deployments().setDeploymentStatus(42, { state, description: 'applied', logUrl: 'https://ci.example/run/1' });
      expect(body).toEqual({ state, description: 'applied', log_url: 'https://ci.example/run/1', auto_inactive: inactive });
    },
  );

  test('GIVEN two deployments of prod WHEN listed for a SHA THEN each carries its latest state, or none before the first status', async () => {
    nock(API)
      .get(`${REPO}/deployments`)
      .query({ environment: 'prod', sha: SHA, per_page: 100 })
      .reply(200, [
        { id: 2, sha: SHA, environment: 'prod' },
        { id: 1, sha: SHA, environment: 'prod' },
      ])
      .get(`${REPO}/deployments/2/statuses`)
      .query({ per_page: 1 })
      .reply(200, [{ state: 'success' }])
      .get(`${REPO}/deployments/1/statuses`)
      .query({ per_page: 1 })
      .reply(200, []);
    expect(await deployments().listDeployments('prod', SHA)).toEqual([
      { id: 2, sha: SHA, environment: 'prod', state: 'success' },
      { id: 1, sha: SHA, environment: 'prod' },
    ]);
  });

  test('GIVEN more deployments than the limit WHEN listed with a limit of 2 THEN one page of 2 is read and only 2 states are fetched', async () => {
    nock(API)
      .get(`${REPO}/deployments`)
      .query({ environment: 'uat', per_page: 2 })
      .reply(
        200,
        [
          { id: 9, sha: SHA, environment: 'uat' },
          { id: 8, sha: SHA, environment: 'uat' },
        ],
        { link: `<${API}${REPO}/deployments?environment=uat&per_page=2&page=2>; rel="next"` },
      )
      .get(`${REPO}/deployments/9/statuses`)
      .query({ per_page: 1 })
      .reply(200, [{ state: 'failure' }])
      .get(`${REPO}/deployments/8/statuses`)
      .query({ per_page: 1 })
      .reply(200, [{ state: 'success' }]);
    expect(await deployments().listDeployments('uat', undefined, 2)).toEqual([
      { id: 9, sha: SHA, environment: 'uat', state: 'failure' },
      { id: 8, sha: SHA, environment: 'uat', state: 'success' },
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
