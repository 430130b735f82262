import { Octokit } from '@octokit/rest';
import nock from 'nock';
import { OctokitSyncRequests } from './sync-requests.js';

const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const MAIN = 'a'.repeat(40);
const OLD = 'b'.repeat(40);

function requests(): OctokitSyncRequests {
  return new OctokitSyncRequests(new Octokit({ baseUrl: API, request: { retries: 0 } }), 'acme', 'infra');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('OctokitSyncRequests', () => {
  test('GIVEN no sync branch WHEN advanced THEN it is created at the trunk commit', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .get(`${REPO}/git/ref/heads%2Fsync%2Fdev`)
      .reply(404, { message: 'Not Found' })
      .post(`${REPO}/git/refs`, (b) => ((body = b), true))
      .reply(201, { ref: 'refs/heads/sync/dev', object: { sha: MAIN } });
    expect(await requests().advanceBranch('sync/dev', MAIN)).toBe('created');
    expect(body).toEqual({ ref: 'refs/heads/sync/dev', sha: MAIN });
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN a sync branch behind the trunk WHEN advanced THEN it is moved without force', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .get(`${REPO}/git/ref/heads%2Fsync%2Fdev`)
      .reply(200, { ref: 'refs/heads/sync/dev', object: { sha: OLD } })
      .patch(`${REPO}/git/refs/heads%2Fsync%2Fdev`, (b) => ((body = b), true))
      .reply(200, { ref: 'refs/heads/sync/dev', object: { sha: MAIN } });
    expect(await requests().advanceBranch('sync/dev', MAIN)).toBe('updated');
    expect(body).toEqual({ sha: MAIN, force: false });
  });

  test('GIVEN a sync branch someone added commits to WHEN advanced THEN GitHub refuses the fast-forward and it is kept (diverged)', async () => {
    nock(API)
      .get(`${REPO}/git/ref/heads%2Fsync%2Fdev`)
      .reply(200, { ref: 'refs/heads/sync/dev', object: { sha: OLD } })
      .patch(`${REPO}/git/refs/heads%2Fsync%2Fdev`)
      .reply(422, { message: 'Update is not a fast forward' });
    expect(await requests().advanceBranch('sync/dev', MAIN)).toBe('diverged');
  });

  test('GIVEN a sync branch at the trunk WHEN advanced THEN nothing is written', async () => {
    nock(API)
      .get(`${REPO}/git/ref/heads%2Fsync%2Fdev`)
      .reply(200, { ref: 'refs/heads/sync/dev', object: { sha: MAIN } });
    expect(await requests().advanceBranch('sync/dev', MAIN)).toBe('unchanged');
  });

  test('GIVEN GitHub fails WHEN a branch is advanced THEN the error is thrown', async () => {
    nock(API).get(`${REPO}/git/ref/heads%2Fsync%2Fdev`).reply(500, { message: 'boom' });
    await expect(requests().advanceBranch('sync/dev', MAIN)).rejects.toMatchObject({ status: 500 });
  });

  test('GIVEN an open sync pull request WHEN looked up THEN it is found by owner:head and base', async () => {
    nock(API)
      .get(`${REPO}/pulls`)
      .query({ state: 'open', head: 'acme:sync/dev', base: 'dev', per_page: 10 })
      .reply(200, [{ number: 7, title: 'Sync main into dev', body: null, head: { ref: 'sync/dev' }, base: { ref: 'dev' } }]);
    expect(await requests().findOpenPullRequest('sync/dev', 'dev')).toEqual({
      number: 7,
      head: 'sync/dev',
      base: 'dev',
      title: 'Sync main into dev',
      body: '',
    });
  });

  test('GIVEN none WHEN looked up THEN undefined', async () => {
    nock(API).get(`${REPO}/pulls`).query(true).reply(200, []);
    expect(await requests().findOpenPullRequest('sync/dev', 'dev')).toBeUndefined();
  });

  test('GIVEN a body over 65,536 characters WHEN a pull request is opened and updated THEN the body is cut to fit', async () => {
    const bodies: string[] = [];
    nock(API)
      .post(`${REPO}/pulls`, (b) => (bodies.push(b.body), b.head === 'sync/dev' && b.base === 'dev' && b.title === 'T'))
      .reply(201, { number: 8 })
      .patch(`${REPO}/pulls/8`, (b) => (bodies.push(b.body), b.title === 'T2'))
      .reply(200, { number: 8 });
    const r = requests();
    expect(await r.createPullRequest({ head: 'sync/dev', base: 'dev', title: 'T', body: 'x'.repeat(70_000) })).toBe(8);
    await r.updatePullRequest(8, { title: 'T2', body: 'short' });
    expect(bodies[0]).toHaveLength(65_536);
    expect(bodies[1]).toBe('short');
  });

  test('GIVEN a label WHEN added THEN the issue labels endpoint gets it', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post(`${REPO}/issues/8/labels`, (b) => ((body = b), true))
      .reply(200, [{ name: 'sync-conflict' }]);
    await requests().addLabels(8, ['sync-conflict']);
    expect(body).toEqual({ labels: ['sync-conflict'] });
  });

  test('GIVEN an open sync pull request WHEN closed THEN the comment is written first, then the pull request closed', async () => {
    const order: string[] = [];
    nock(API)
      .post(`${REPO}/issues/8/comments`, (b) => (order.push(`comment ${b.body}`), true))
      .reply(201, { id: 1 })
      .patch(`${REPO}/pulls/8`, (b) => (order.push(`update ${JSON.stringify(b)}`), true))
      .reply(200, { number: 8, state: 'closed' });
    await requests().closePullRequest(8, 'synced');
    expect(order).toEqual(['comment synced', 'update {"state":"closed"}']);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN GitHub refuses the comment WHEN a pull request is closed THEN the error is thrown and it is not closed', async () => {
    nock(API).post(`${REPO}/issues/8/comments`).reply(403, { message: 'Resource not accessible by integration' });
    await expect(requests().closePullRequest(8, 'synced')).rejects.toMatchObject({ status: 403 });
  });

  test('GIVEN owners GitHub accepts WHEN reviews are requested THEN one request names users and teams and nothing is refused', async () => {
    let body: Record<string, unknown> = {};
    nock(API)
      .post(`${REPO}/pulls/8/requested_reviewers`, (b) => ((body = b), true))
      .reply(201, {});
    expect(await requests().requestReviewers(8, { users: ['alice'], teams: ['platform'] })).toEqual([]);
    expect(body).toEqual({ reviewers: ['alice'], team_reviewers: ['platform'] });
  });

  test('GIVEN one owner who cannot review WHEN reviews are requested THEN the others are still requested one by one and that owner is returned', async () => {
    const asked: unknown[] = [];
    nock(API)
      .post(`${REPO}/pulls/8/requested_reviewers`, (b) => (asked.push(b), true))
      .reply(422, { message: 'Reviews may only be requested from collaborators.' })
      .post(`${REPO}/pulls/8/requested_reviewers`, (b) => (asked.push(b), true))
      .reply(201, {})
      .post(`${REPO}/pulls/8/requested_reviewers`, (b) => (asked.push(b), true))
      .reply(422, { message: 'Reviews may only be requested from collaborators.' });
    expect(await requests().requestReviewers(8, { users: ['alice', 'mallory'], teams: [] })).toEqual(['@mallory']);
    expect(asked).toEqual([
      { reviewers: ['alice', 'mallory'], team_reviewers: [] },
      { reviewers: ['alice'], team_reviewers: [] },
      { reviewers: ['mallory'], team_reviewers: [] },
    ]);
  });

  test('GIVEN no owners WHEN reviews are requested THEN GitHub is not called', async () => {
    expect(await requests().requestReviewers(8, { users: [], teams: [] })).toEqual([]);
  });
});
