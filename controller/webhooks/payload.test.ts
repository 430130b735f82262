import { PayloadError, pullRequestKey, pullRequestRef, repositoryOf } from './payload.js';

const repository = { name: 'infra', owner: { login: 'acme' }, clone_url: 'https://github.com/acme/infra.git' };
const pull_request = {
  number: 7,
  user: { login: 'alice' },
  head: { ref: 'feature/x', sha: 'a'.repeat(40) },
  base: { ref: 'dev', sha: 'b'.repeat(40) },
};

describe('payload', () => {
  test('GIVEN a pull_request payload WHEN read THEN refs, SHAs, clone URL and author come out', () => {
    expect(pullRequestRef('pull_request', { repository, pull_request })).toEqual({
      owner: 'acme',
      repo: 'infra',
      cloneUrl: 'https://github.com/acme/infra.git',
      number: 7,
      headRef: 'feature/x',
      headSha: 'a'.repeat(40),
      baseRef: 'dev',
      baseSha: 'b'.repeat(40),
      author: 'alice',
    });
  });

  test.each([
    [{ pull_request }, 'pull_request payload has no repository'],
    [{ repository: { ...repository, clone_url: '' }, pull_request }, 'pull_request payload has no repository.clone_url'],
    [{ repository }, 'pull_request payload has no pull_request'],
    [{ repository, pull_request: { ...pull_request, head: { ref: 'feature/x' } } }, 'pull_request payload has no pull_request.head.sha'],
  ])('GIVEN a payload missing a field WHEN read THEN a PayloadError names it', (payload, message) => {
    expect(() => pullRequestRef('pull_request', payload as never)).toThrow(
      new PayloadError('pull_request', message.replace('pull_request payload has no ', '')),
    );
    expect(() => pullRequestRef('pull_request', payload as never)).toThrow(message);
  });

  test('GIVEN a repository WHEN keyed THEN one pull request has one serialization key', () => {
    expect(pullRequestKey(repositoryOf('issue_comment', { repository }), 7)).toBe('acme/infra#7');
  });
});
