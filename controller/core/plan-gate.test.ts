import { jest } from '@jest/globals';
import { SqliteStore } from '../store/sqlite-store.js';
import { parseCommand } from '../rules/commands.js';
import { ReleaseController, type Replan } from './controller.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner } from '../../test/doubles/fake-planner.js';

const BASE = sha('b');
const live = () => new AbortController().signal;

function setup(authorPermission: 'read' | 'write' | 'none' = 'write') {
  const gh = new FakeGitHub().withProjectEnvironments(BASE);
  gh.compares.set(`main...${sha('a')}`, [{ sha: sha('1'), parents: [sha('0')] }]);
  gh.compares.set('main...dev', []);
  gh.compares.set('main...uat', []);
  gh.permissions.set('carol', 'write');
  const pr = pullRequest({ author: 'mallory' });
  gh.open(pr, authorPermission);
  const planner = new FakePlanner();
  const replan = jest.fn<Replan>();
  const controller = new ReleaseController({ store: new SqliteStore(':memory:'), planner, replan });
  return { gh, pr, planner, replan, controller, session: sessionOf(gh) };
}

describe('who gets planned', () => {
  test('GIVEN a pull request by a user without write permission WHEN it is opened THEN its code is not run and the plan check waits, queued, for a writer', async () => {
    const { gh, pr, planner, controller, session } = setup('read');
    await controller.pullRequestChanged(session, pr, live());
    expect(planner.requests).toHaveLength(0);
    expect(gh.writes).toEqual([
      'createCheckRun gitops/branch-policy completed success',
      'createCheckRun gitops/approvals/dev completed success',
      'createCheckRun gitops/plan/dev queued',
    ]);
    expect(gh.check('gitops/plan/dev')).toMatchObject({ title: 'Not planned: waiting for /plan from a user with write permission' });
    expect(gh.check('gitops/plan/dev')?.summary).toContain('@mallory has no write permission on acme/infra');
  });

  test('GIVEN a pull request by a non-collaborator WHEN a reader comments /plan THEN nothing is queued', async () => {
    const { gh, replan, controller, session } = setup('none');
    gh.permissions.set('bob', 'read');
    const input = {
      owner: 'acme',
      repo: 'infra',
      pr: 7,
      cloneUrl: 'https://github.example/acme/infra.git',
      sender: 'bob',
      senderType: 'User',
    };
    expect(await controller.commentCreated(session, { ...input, command: parseCommand('/plan') })).toMatchObject({ action: 'refused' });
    expect(replan).not.toHaveBeenCalled();
  });

  test('GIVEN an outsider’s pull request WHEN a writer comments /plan THEN a plan of exactly the current head is queued, approved by the writer, and it runs', async () => {
    const { pr, planner, replan, controller, session } = setup('read');
    const input = { owner: 'acme', repo: 'infra', pr: 7, cloneUrl: pr.cloneUrl, sender: 'carol', senderType: 'User' };
    expect(await controller.commentCreated(session, { ...input, command: parseCommand('/plan') })).toEqual({ action: 'plan' });
    expect(replan).toHaveBeenCalledTimes(1);
    const [, queued, trigger] = replan.mock.calls[0];
    expect(queued).toMatchObject({ number: 7, headSha: pr.headSha, baseSha: pr.baseSha, author: 'mallory' });
    expect(trigger).toEqual({ approvedBy: 'carol' });
    await controller.pullRequestChanged(session, queued, live(), trigger);
    expect(planner.requests).toHaveLength(1);
    expect(planner.requests[0].headSha).toBe(pr.headSha);
  });

  test('GIVEN a writer’s /plan for one head WHEN the outsider pushes again THEN the new head waits for another /plan', async () => {
    const { gh, pr, planner, controller, session } = setup('read');
    const pushed = { ...pr, headSha: sha('c') };
    gh.open(pushed);
    await controller.pullRequestChanged(session, pushed, live());
    expect(planner.requests).toHaveLength(0);
    expect(gh.checkRuns.at(-1)).toMatchObject({ name: 'gitops/plan/dev', status: 'queued', headSha: sha('c') });
  });

  test('GIVEN a pull request by a writer WHEN it is opened THEN it is planned at once', async () => {
    const { planner, controller, session, pr } = setup('write');
    await controller.pullRequestChanged(session, pr, live());
    expect(planner.requests).toHaveLength(1);
  });
});

describe('stale and replayed events', () => {
  test('GIVEN an event about an older head (a replay under a new delivery id) WHEN it runs THEN nothing is written and nothing planned', async () => {
    const { gh, pr, planner, controller, session } = setup('write');
    gh.open({ ...pr, headSha: sha('c') });
    await controller.pullRequestChanged(session, pr, live());
    expect(gh.writes).toEqual([]);
    expect(planner.requests).toHaveLength(0);
    expect(session.logs.join('\n')).toContain("but #7's head is ccccccc");
  });

  test.each([
    ['closed', { state: 'closed' as const, merged: false }, '#7 is closed'],
    ['merged', { state: 'closed' as const, merged: true }, '#7 is merged'],
  ])('GIVEN a pull request %s since the event WHEN it runs THEN nothing is written', async (_what, change, reason) => {
    const { gh, pr, planner, controller, session } = setup('write');
    gh.pulls.set(7, { ...gh.pulls.get(7)!, ...change });
    await controller.pullRequestChanged(session, pr, live());
    expect(gh.writes).toEqual([]);
    expect(planner.requests).toHaveLength(0);
    expect(session.logs.join('\n')).toContain(reason);
  });
});
