import { createRequire } from 'node:module';
import {
  checkPayload,
  completedRunOf,
  HANDLED_EVENT_SCHEMAS,
  PayloadError,
  pullRequestKey,
  pullRequestRef,
  pushRef,
  repositoryOf,
} from './payload.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
/** GitHub's own examples of an event, as an App receives them (with the installation). */
const examplesOf = (event: string) =>
  examples.find((e) => e.name === event)!.examples.map((x) => ({ installation: { id: 2 }, ...structuredClone(x) }) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
const messageOf = (run: () => void) => {
  try {
    run();
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
};

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

  test.each(Object.keys(HANDLED_EVENT_SCHEMAS))(
    "GIVEN every example of %s in GitHub's webhook examples WHEN checked THEN each is accepted",
    (event) => {
      const all = examplesOf(event);
      expect(all.length).toBeGreaterThan(0);
      expect(all.map((x) => `${x.action}: ${messageOf(() => checkPayload(event, x))}`)).toEqual(all.map((x) => `${x.action}: accepted`));
    },
  );

  const pullRequest = () => examplesOf('pull_request')[0]!;
  const comment = () => examplesOf('issue_comment')[0]!;
  test.each([
    [
      'pull_request',
      () => ({ ...pullRequest(), pull_request: { ...pullRequest().pull_request, head: undefined } }),
      'pull_request payload has no pull_request.head',
    ],
    ['pull_request', () => ({ ...pullRequest(), installation: undefined }), 'pull_request payload has no installation'],
    ['pull_request', () => ({ ...pullRequest(), action: '' }), 'pull_request payload has no action'],
    [
      'pull_request',
      () => ({ ...pullRequest(), pull_request: { ...pullRequest().pull_request, number: '7' } }),
      'pull_request payload: pull_request.number is invalid (expected number, received string)',
    ],
    [
      'pull_request',
      () => ({ ...pullRequest(), pull_request: { ...pullRequest().pull_request, head: { ref: 'x', sha: 'HEAD~1' } } }),
      'pull_request payload: pull_request.head.sha is invalid (must be a commit id of 40 or 64 lowercase hex digits)',
    ],
    [
      'pull_request_review',
      () => ({ ...examplesOf('pull_request_review')[0], pull_request: undefined }),
      'pull_request_review payload has no pull_request',
    ],
    [
      'issue_comment',
      () => ({ ...comment(), comment: { ...comment().comment, body: undefined } }),
      'issue_comment payload has no comment.body',
    ],
    [
      'issue_comment',
      () => ({ ...comment(), issue: { ...comment().issue, number: 0 } }),
      'issue_comment payload: issue.number is invalid (Too small: expected number to be >0)',
    ],
    [
      'issue_comment',
      () => ({ ...comment(), repository: { ...comment().repository, owner: null } }),
      'issue_comment payload has no repository.owner',
    ],
    ['issue_comment', () => 'MARKER', 'issue_comment payload is invalid (expected object, received string)'],
  ])(
    'GIVEN a %s payload with a field missing or malformed WHEN checked THEN one line names the event and the field, and quotes no value',
    (event, payload, message) => {
      expect(messageOf(() => checkPayload(event, payload()))).toBe(message);
    },
  );

  const run = () => ({
    action: 'completed',
    installation: { id: 2 },
    repository,
    workflow_run: {
      id: 7,
      display_title: 'gitops plan ingest-dev in dev @ sha',
      path: '.github/workflows/plan-apply.yml',
      event: 'workflow_dispatch',
      conclusion: null,
      html_url: 'https://github.com/acme/infra/actions/runs/7',
      created_at: '2026-01-01T00:00:00Z',
    },
  });
  test.each<[string, () => unknown, string]>([
    ['a whole workflow run', run, 'accepted'],
    [
      'a run without html_url',
      () => ({ ...run(), workflow_run: { ...run().workflow_run, html_url: undefined } }),
      'workflow_run payload has no workflow_run.html_url',
    ],
    [
      'a run whose id is text',
      () => ({ ...run(), workflow_run: { ...run().workflow_run, id: '7' } }),
      'workflow_run payload: workflow_run.id is invalid (expected number, received string)',
    ],
  ])('GIVEN %s WHEN checked THEN the fields the waits match on are checked', (_what, payload, message) => {
    expect(messageOf(() => checkPayload('workflow_run', payload()))).toBe(message);
  });

  test('GIVEN a completed run WHEN read THEN repository, id, title, path, event, conclusion, address and creation time come out', () => {
    expect(completedRunOf('workflow_run', run())).toEqual({
      owner: 'acme',
      repo: 'infra',
      id: 7,
      title: 'gitops plan ingest-dev in dev @ sha',
      path: '.github/workflows/plan-apply.yml',
      event: 'workflow_dispatch',
      conclusion: null,
      htmlUrl: 'https://github.com/acme/infra/actions/runs/7',
      createdAt: '2026-01-01T00:00:00Z',
    });
  });

  test('GIVEN an event the controller does not handle WHEN checked THEN its payload is not looked at', () => {
    expect(messageOf(() => checkPayload('check_run', {}))).toBe('accepted');
  });

  const push = () => ({
    ref: 'refs/heads/dev',
    before: 'b'.repeat(40),
    after: 'a'.repeat(40),
    installation: { id: 2 },
    repository: { name: 'infra', owner: { login: 'acme' }, clone_url: 'https://github.com/acme/infra.git' },
  });
  test.each<[string, () => unknown, string]>([
    ['a whole push', push, 'accepted'],
    ['a push without after', () => ({ ...push(), after: undefined }), 'push payload has no after'],
    [
      'a push whose before is no commit id',
      () => ({ ...push(), before: 'main' }),
      'push payload: before is invalid (must be a commit id of 40 or 64 lowercase hex digits)',
    ],
    ['a push without installation', () => ({ ...push(), installation: undefined }), 'push payload has no installation'],
  ])('GIVEN %s WHEN checked THEN the push fields the handler reads are checked', (_what, payload, message) => {
    expect(messageOf(() => checkPayload('push', payload()))).toBe(message);
  });

  test('GIVEN a push with a sender WHEN read THEN the sender (who merged) is kept; a sender without a login is refused naming it', () => {
    expect(pushRef('push', { ...push(), sender: { login: 'priya' } })).toMatchObject({ branch: 'dev', sender: 'priya' });
    expect(messageOf(() => checkPayload('push', { ...push(), sender: { login: 7 } }))).toBe(
      'push payload: sender.login is invalid (expected string, received number)',
    );
  });

  test('GIVEN pushes to a branch and to a tag WHEN read THEN the branch push names its branch and the tag push is none', () => {
    expect(pushRef('push', push())).toEqual({
      owner: 'acme',
      repo: 'infra',
      cloneUrl: 'https://github.com/acme/infra.git',
      branch: 'dev',
      before: 'b'.repeat(40),
      after: 'a'.repeat(40),
    });
    expect(pushRef('push', { ...push(), ref: 'refs/tags/v1' })).toBeUndefined();
  });
});
