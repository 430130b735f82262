import { Octokit } from '@octokit/rest';
import nock from 'nock';
import type { ProbotOctokit } from 'probot';
import { CHECK_RUN_LIMIT } from '../comment/limits.js';
import { OctokitGitHubClient, type OctokitLike } from './client.js';

// Compile-time (tsc): Probot 14's context.octokit is accepted as it is.
const probotFits: ProbotOctokit extends OctokitLike ? true : false = true;

const API = 'https://ghe.example.test/api/v3';
const REPO = '/repos/acme/infra';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function client(): OctokitGitHubClient {
  return new OctokitGitHubClient(new Octokit({ auth: 'x', baseUrl: API }), 'acme', 'infra');
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => nock.cleanAll());
afterEach(() => {
  // Every test must consume exactly the requests it set up.
  expect(nock.pendingMocks()).toEqual([]);
});

describe('OctokitGitHubClient contents', () => {
  test("GIVEN Probot's context.octokit type WHEN given to the client THEN it type-checks (tsc)", () => {
    expect(probotFits).toBe(true);
  });

  test('GIVEN a file at a ref WHEN its text is read THEN the base64 content is decoded', async () => {
    nock(API)
      .get(`${REPO}/contents/environments%2Fprod.yaml`)
      .query({ ref: 'main' })
      .reply(200, { type: 'file', encoding: 'base64', size: 11, sha: 'f1', content: b64('name: prod\n') });
    expect(await client().getFileText('main', 'environments/prod.yaml')).toBe('name: prod\n');
  });

  test('GIVEN an empty file WHEN read THEN the text is empty (not a blob fetch)', async () => {
    nock(API)
      .get(`${REPO}/contents/empty.yaml`)
      .query(true)
      .reply(200, { type: 'file', encoding: 'base64', size: 0, sha: 'e0', content: '' });
    expect(await client().getFileText('main', 'empty.yaml')).toBe('');
  });

  test('GIVEN a file over 1 MB WHEN read THEN it is fetched through the blob endpoint', async () => {
    nock(API)
      .get(`${REPO}/contents/big.json`)
      .query(true)
      .reply(200, { type: 'file', encoding: 'none', size: 2_000_000, sha: 'abc', content: '' })
      .get(`${REPO}/git/blobs/abc`)
      .reply(200, { sha: 'abc', encoding: 'base64', content: b64('{"big":true}') });
    expect(await client().getFileText('main', 'big.json')).toBe('{"big":true}');
  });

  test('GIVEN a missing file WHEN read THEN the result is undefined', async () => {
    nock(API).get(`${REPO}/contents/CODEOWNERS`).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    expect(await client().getFileText('main', 'CODEOWNERS')).toBeUndefined();
  });

  test('GIVEN a directory WHEN read as a file THEN it throws naming the path and ref', async () => {
    nock(API).get(`${REPO}/contents/environments`).query(true).reply(200, []);
    await expect(client().getFileText('main', 'environments')).rejects.toThrow('environments at main is a directory, not a file');
  });

  test('GIVEN a server error WHEN a file is read THEN the error propagates (it is not "missing")', async () => {
    nock(API).get(`${REPO}/contents/CODEOWNERS`).query(true).reply(500, { message: 'boom' });
    await expect(client().getFileText('main', 'CODEOWNERS')).rejects.toMatchObject({ status: 500 });
  });

  test('GIVEN a directory WHEN listed THEN every entry has name, path and type', async () => {
    nock(API)
      .get(`${REPO}/contents/environments`)
      .query({ ref: 'base-sha' })
      .reply(200, [
        { name: 'dev.yaml', path: 'environments/dev.yaml', type: 'file' },
        { name: 'old', path: 'environments/old', type: 'dir' },
      ]);
    expect(await client().listDirectory('base-sha', 'environments')).toEqual([
      { name: 'dev.yaml', path: 'environments/dev.yaml', type: 'file' },
      { name: 'old', path: 'environments/old', type: 'dir' },
    ]);
  });

  test('GIVEN a missing directory WHEN listed THEN the result is undefined; GIVEN a file THEN it throws', async () => {
    nock(API)
      .get(`${REPO}/contents/nope`)
      .query(true)
      .reply(404, { message: 'Not Found' })
      .get(`${REPO}/contents/README.md`)
      .query(true)
      .reply(200, { type: 'file', name: 'README.md' });
    expect(await client().listDirectory('main', 'nope')).toBeUndefined();
    await expect(client().listDirectory('main', 'README.md')).rejects.toThrow('README.md at main is a file, not a directory');
  });
});

describe('OctokitGitHubClient.compareCommits', () => {
  const commit = (i: number) => ({ sha: `c${i}`, parents: [{ sha: `c${i - 1}` }] });

  test('GIVEN 101 commits over two pages WHEN compared THEN every commit and its parents are returned, files from page 1', async () => {
    const base = { status: 'ahead', ahead_by: 101, behind_by: 0, total_commits: 101, merge_base_commit: { sha: 'mb' } };
    nock(API)
      .get(`${REPO}/compare/main...feature%2Fa`)
      .query({ per_page: 100, page: 1 })
      .reply(200, {
        ...base,
        commits: Array.from({ length: 100 }, (_, i) => commit(i + 1)),
        files: [
          { filename: 'b.ts', status: 'renamed', previous_filename: 'a.ts' },
          { filename: 'c.ts', status: 'added' },
        ],
      })
      .get(`${REPO}/compare/main...feature%2Fa`)
      .query({ per_page: 100, page: 2 })
      .reply(200, { ...base, commits: [{ sha: 'm', parents: [{ sha: 'c100' }, { sha: 'x' }] }], files: [] });
    const result = await client().compareCommits('main', 'feature/a');
    expect(result).toMatchObject({ status: 'ahead', aheadBy: 101, behindBy: 0, mergeBaseSha: 'mb' });
    expect(result.commits).toHaveLength(101);
    expect(result.commits[0]).toEqual({ sha: 'c1', parents: ['c0'] });
    expect(result.commits[100]).toEqual({ sha: 'm', parents: ['c100', 'x'] });
    expect(result.files).toEqual([
      { filename: 'b.ts', status: 'renamed', previousFilename: 'a.ts' },
      { filename: 'c.ts', status: 'added' },
    ]);
  });

  test('GIVEN identical refs WHEN compared THEN one request and no commits', async () => {
    nock(API)
      .get(`${REPO}/compare/main...main`)
      .query(true)
      .reply(200, { status: 'identical', ahead_by: 0, behind_by: 0, total_commits: 0, merge_base_commit: { sha: 'mb' }, commits: [] });
    expect(await client().compareCommits('main', 'main')).toEqual({
      status: 'identical',
      aheadBy: 0,
      behindBy: 0,
      mergeBaseSha: 'mb',
      commits: [],
      files: [],
    });
  });

  test('GIVEN an unknown ref WHEN compared THEN the 404 propagates', async () => {
    nock(API).get(`${REPO}/compare/main...nope`).query(true).reply(404, { message: 'Not Found' });
    await expect(client().compareCommits('main', 'nope')).rejects.toMatchObject({ status: 404 });
  });
});

describe('OctokitGitHubClient.getCommitTree', () => {
  const SHA = 'a'.repeat(40);

  test('GIVEN a commit WHEN its tree is asked for THEN the git data endpoint is read and the tree SHA returned', async () => {
    nock(API)
      .get(`${REPO}/git/commits/${SHA}`)
      .reply(200, { sha: SHA, tree: { sha: 't'.repeat(40), url: 'u' }, parents: [] });
    expect(await client().getCommitTree(SHA)).toBe('t'.repeat(40));
  });

  test('GIVEN an unknown commit (404) WHEN asked THEN undefined; GIVEN a 500 THEN it throws', async () => {
    nock(API).get(`${REPO}/git/commits/${SHA}`).reply(404, { message: 'Not Found' });
    expect(await client().getCommitTree(SHA)).toBeUndefined();
    nock(API).get(`${REPO}/git/commits/${SHA}`).reply(500, { message: 'boom' });
    await expect(client().getCommitTree(SHA)).rejects.toMatchObject({ status: 500 });
  });
});

describe('OctokitGitHubClient pull requests', () => {
  test('GIVEN a pull request from a deleted fork WHEN read THEN the fields are mapped and headRepo is undefined', async () => {
    nock(API)
      .get(`${REPO}/pulls/7`)
      .reply(200, {
        number: 7,
        state: 'open',
        merged: false,
        draft: false,
        title: 'Add login',
        user: { login: 'alice' },
        head: { ref: 'feature/login', sha: 'h1', repo: null },
        base: { ref: 'dev', sha: 'b1' },
        merge_commit_sha: null,
      });
    expect(await client().getPullRequest(7)).toEqual({
      number: 7,
      state: 'open',
      merged: false,
      draft: false,
      title: 'Add login',
      author: 'alice',
      headRef: 'feature/login',
      headSha: 'h1',
      headRepo: undefined,
      baseRef: 'dev',
      baseSha: 'b1',
      mergeCommitSha: undefined,
    });
  });

  test('GIVEN open pull requests into main over two pages WHEN listed THEN every one is mapped, oldest first, none merged', async () => {
    const pull = (number: number, head: string) => ({
      number,
      state: 'open',
      draft: number === 9,
      title: `Release ${head}`,
      user: { login: 'rob' },
      head: { ref: `release/${head}`, sha: `h${number}`, repo: { full_name: 'acme/infra' } },
      base: { ref: 'main', sha: 'm1' },
      merge_commit_sha: `t${number}`,
    });
    nock(API)
      .get(`${REPO}/pulls`)
      .query({ state: 'open', base: 'main', sort: 'created', direction: 'asc', per_page: 100 })
      .reply(200, [pull(8, 'r1')], {
        Link: `<${API}${REPO}/pulls?state=open&base=main&sort=created&direction=asc&per_page=100&page=2>; rel="next"`,
      })
      .get(`${REPO}/pulls`)
      .query({ state: 'open', base: 'main', sort: 'created', direction: 'asc', per_page: 100, page: 2 })
      .reply(200, [pull(9, 'r2')]);
    const listed = await client().listOpenPullRequests('main');
    expect(listed.map((p) => [p.number, p.headRef, p.baseRef, p.draft, p.merged, p.headRepo])).toEqual([
      [8, 'release/r1', 'main', false, false, 'acme/infra'],
      [9, 'release/r2', 'main', true, false, 'acme/infra'],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN GitHub fails WHEN open pull requests are listed THEN the error is thrown', async () => {
    nock(API).get(`${REPO}/pulls`).query(true).reply(502, { message: 'Bad Gateway' });
    await expect(client().listOpenPullRequests('main')).rejects.toMatchObject({ status: 502 });
  });

  test('GIVEN files over two pages with a rename WHEN listed THEN every path, old and new, is returned once', async () => {
    nock(API)
      .get(`${REPO}/pulls/7/files`)
      .query({ per_page: 100 })
      .reply(200, [{ filename: 'a.ts' }, { filename: 'environments/prod.yaml', previous_filename: 'environments/old.yaml' }], {
        Link: `<${API}${REPO}/pulls/7/files?per_page=100&page=2>; rel="next"`,
      })
      .get(`${REPO}/pulls/7/files`)
      .query({ per_page: 100, page: 2 })
      .reply(200, [{ filename: 'z.ts' }, { filename: 'a.ts' }]);
    expect(await client().listPullRequestFiles(7)).toEqual(['a.ts', 'environments/prod.yaml', 'environments/old.yaml', 'z.ts']);
  });

  test('GIVEN reviews over two pages including a ghost and a pending review WHEN listed THEN users, states and commits are mapped', async () => {
    nock(API)
      .get(`${REPO}/pulls/7/reviews`)
      .query({ per_page: 100 })
      .reply(200, [{ user: { login: 'bob' }, state: 'APPROVED', commit_id: 'h1', submitted_at: '2025-01-01T00:00:00Z' }], {
        Link: `<${API}${REPO}/pulls/7/reviews?per_page=100&page=2>; rel="next"`,
      })
      .get(`${REPO}/pulls/7/reviews`)
      .query({ per_page: 100, page: 2 })
      .reply(200, [
        { user: null, state: 'APPROVED', commit_id: 'h1', submitted_at: '2025-01-02T00:00:00Z' },
        { user: { login: 'carol' }, state: 'PENDING', commit_id: 'h1' },
      ]);
    expect(await client().listReviews(7)).toEqual([
      { user: 'bob', state: 'APPROVED', commitId: 'h1', submittedAt: '2025-01-01T00:00:00Z' },
      { user: 'carol', state: 'PENDING', commitId: 'h1' },
    ]);
  });
});

describe('OctokitGitHubClient permissions and teams', () => {
  test.each([
    [{ permission: 'admin', role_name: 'admin' }, 'admin'],
    [{ permission: 'write', role_name: 'maintain' }, 'maintain'],
    [{ permission: 'read', role_name: 'triage' }, 'triage'],
    [{ permission: 'write', role_name: 'deployer' }, 'write'],
    [{ permission: 'none', role_name: '' }, 'none'],
    [{ permission: 'weird' }, 'none'],
  ])('GIVEN the collaborator answer %p WHEN the permission is asked THEN it is %s', async (answer, expected) => {
    nock(API).get(`${REPO}/collaborators/alice/permission`).reply(200, answer);
    expect(await client().getPermission('alice')).toBe(expected);
  });

  test('GIVEN a user who is not a collaborator (404) WHEN asked THEN the permission is none; GIVEN a 500 THEN it throws', async () => {
    nock(API).get(`${REPO}/collaborators/mallory/permission`).reply(404, {}).get(`${REPO}/collaborators/bob/permission`).reply(500, {});
    expect(await client().getPermission('mallory')).toBe('none');
    await expect(client().getPermission('bob')).rejects.toMatchObject({ status: 500 });
  });

  test('GIVEN a readable team and an unreadable one WHEN members are listed THEN logins, or undefined', async () => {
    nock(API)
      .get('/orgs/acme/teams/security/members')
      .query({ per_page: 100 })
      .reply(200, [{ login: 'sam' }, { login: 'sue' }])
      .get('/orgs/acme/teams/secret/members')
      .query(true)
      .reply(403, { message: 'Resource not accessible by integration' });
    expect(await client().listTeamMembers('acme', 'security')).toEqual(['sam', 'sue']);
    expect(await client().listTeamMembers('acme', 'secret')).toBeUndefined();
  });
});

describe('OctokitGitHubClient check runs', () => {
  test('GIVEN a completed check WHEN created THEN the request carries name, sha, conclusion and output, and the id comes back', async () => {
    let body: unknown;
    nock(API)
      .post(`${REPO}/check-runs`, (b) => ((body = b), true))
      .reply(201, { id: 42 });
    const id = await client().createCheckRun({
      name: 'gitops/branch-policy',
      headSha: 'h1',
      status: 'completed',
      conclusion: 'failure',
      title: 'feature/x → main is not allowed',
      summary: 'Allowed pairs: …',
      externalId: 'pr-7',
    });
    expect(id).toBe(42);
    expect(body).toEqual({
      name: 'gitops/branch-policy',
      head_sha: 'h1',
      status: 'completed',
      conclusion: 'failure',
      external_id: 'pr-7',
      output: { title: 'feature/x → main is not allowed', summary: 'Allowed pairs: …' },
    });
  });

  test('GIVEN a summary over 65,535 characters WHEN created THEN it is cut to the limit with a note', async () => {
    let summary = '';
    nock(API)
      .post(`${REPO}/check-runs`, (b) => ((summary = b.output.summary), true))
      .reply(201, { id: 1 });
    await client().createCheckRun({ name: 'n', headSha: 'h', status: 'in_progress', title: 't', summary: 'x'.repeat(70_000) });
    expect(summary).toHaveLength(CHECK_RUN_LIMIT);
    expect(summary).toMatch(/cut to fit GitHub’s 65,535-character limit\)$/);
  });

  test('GIVEN status completed without a conclusion WHEN created THEN it throws before any request, listing the conclusions', async () => {
    await expect(
      client().createCheckRun({ name: 'gitops/plan/prod', headSha: 'h', status: 'completed', title: 't', summary: 's' }),
    ).rejects.toThrow(
      'check run "gitops/plan/prod": status "completed" needs a conclusion (success, failure, neutral, cancelled, skipped, timed_out, action_required)',
    );
  });

  test('GIVEN an update with a title but no summary WHEN sent THEN it throws naming both fields', async () => {
    await expect(client().updateCheckRun(1, { title: 't' })).rejects.toThrow('check run output needs both title and summary');
  });

  test('GIVEN a running check WHEN completed THEN a PATCH carries status, conclusion and output', async () => {
    let body: unknown;
    nock(API)
      .patch(`${REPO}/check-runs/42`, (b) => ((body = b), true))
      .reply(200, { id: 42 });
    await client().updateCheckRun(42, { status: 'completed', conclusion: 'success', title: 'ok', summary: 's', text: 'long' });
    expect(body).toEqual({ status: 'completed', conclusion: 'success', output: { title: 'ok', summary: 's', text: 'long' } });
  });
});

describe('OctokitGitHubClient comments', () => {
  const MARKER = '<!-- gitops:plan -->';

  test('GIVEN the marker in a comment on page 2 WHEN searched THEN that comment is found', async () => {
    nock(API)
      .get(`${REPO}/issues/7/comments`)
      .query({ per_page: 100 })
      .reply(200, [{ id: 1, body: 'hello', user: { login: 'alice' } }], {
        Link: `<${API}${REPO}/issues/7/comments?per_page=100&page=2>; rel="next"`,
      })
      .get(`${REPO}/issues/7/comments`)
      .query({ per_page: 100, page: 2 })
      .reply(200, [{ id: 2, body: `${MARKER}\nplan`, user: { login: 'gitops[bot]' } }]);
    expect(await client().findComment(7, MARKER)).toEqual({ id: 2, body: `${MARKER}\nplan`, author: 'gitops[bot]' });
  });

  test('GIVEN a user who pasted the marker WHEN searched by the bot author THEN only the bot comment is found', async () => {
    nock(API)
      .get(`${REPO}/issues/7/comments`)
      .query(true)
      .reply(200, [
        { id: 1, body: `${MARKER} hijack`, user: { login: 'mallory' } },
        { id: 2, body: MARKER, user: { login: 'GitOps[bot]' } },
      ]);
    expect((await client().findComment(7, MARKER, { author: 'gitops[bot]' }))?.id).toBe(2);
  });

  test('GIVEN no comment with the marker WHEN searched THEN undefined; GIVEN an empty marker THEN it throws', async () => {
    nock(API)
      .get(`${REPO}/issues/7/comments`)
      .query(true)
      .reply(200, [{ id: 1, body: null, user: null }]);
    expect(await client().findComment(7, MARKER)).toBeUndefined();
    await expect(client().findComment(7, ' ')).rejects.toThrow('findComment: the marker is empty (it would match every comment)');
  });

  test('GIVEN a body WHEN a comment is created and then updated THEN POST and PATCH carry the body', async () => {
    nock(API)
      .post(`${REPO}/issues/7/comments`, { body: 'first' })
      .reply(201, { id: 99 })
      .patch(`${REPO}/issues/comments/99`, { body: 'second' })
      .reply(200, { id: 99 });
    const c = client();
    expect(await c.createComment(7, 'first')).toBe(99);
    await c.updateComment(99, 'second');
  });
});
