import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner, reportFor } from '../../test/doubles/fake-planner.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { applyCommand, applyPush, type PushRef } from './apply-push.js';
import type { ApplyRequest } from './apply-run.js';

const HEAD = sha('a');
const BASE = sha('b');
const MERGE = sha('c');
const live = () => new AbortController().signal;

async function setup() {
  const gh = new FakeGitHub().withProjectEnvironments(BASE);
  gh.open(pullRequest());
  gh.pulls.set(7, { ...gh.pulls.get(7)!, state: 'closed', merged: true, mergeCommitSha: MERGE });
  const store = new SqliteStore(':memory:');
  await store.savePlan({
    repo: 'acme/infra',
    pr: 7,
    environment: 'dev',
    headSha: HEAD,
    baseSha: BASE,
    status: 'planned',
    summaryJson: JSON.stringify(reportFor({ environment: 'dev', headSha: HEAD, baseSha: BASE })),
  });
  const planner = new FakePlanner();
  return { gh, store, planner, session: sessionOf(gh), deps: { store, planner, pollMs: 5 } };
}
const push = (over: Partial<PushRef> = {}): PushRef => ({
  owner: 'acme',
  repo: 'infra',
  cloneUrl: 'https://github.example/acme/infra.git',
  branch: 'dev',
  before: BASE,
  after: MERGE,
  ...over,
});

describe('applyPush', () => {
  test('GIVEN the merge commit of #7 pushed to dev WHEN handled THEN dev (read at the push’s before) is applied against #7’s reviewed plan', async () => {
    const { planner, session, deps } = await setup();
    const outcome = await applyPush(session, push(), live(), deps);
    expect(outcome).toMatchObject({ action: 'applied', status: 'succeeded' });
    expect(planner.requests[0]).toMatchObject({ environment: 'dev', headSha: MERGE, baseSha: BASE });
    expect(session.deployments.deployments[0]).toMatchObject({
      environment: 'dev',
      sha: MERGE,
      description: `dev at ${MERGE.slice(0, 7)} (#7)`,
    });
  });

  test.each([
    [{ before: '0'.repeat(40) }, 'the push created or deleted the branch'],
    [{ after: '0'.repeat(40) }, 'the push created or deleted the branch'],
    [{ branch: 'feature/x' }, 'no environment deploys from feature/x'],
  ])('GIVEN a push %j WHEN handled THEN nothing is applied', async (over, reason) => {
    const { planner, session, deps } = await setup();
    expect(await applyPush(session, push(over), live(), deps)).toEqual({ action: 'ignored', reason });
    expect(planner.requests).toEqual([]);
  });

  test('GIVEN environment files that are not valid at the push’s before WHEN handled THEN nothing is applied and the reason is logged', async () => {
    const { gh, session, deps } = await setup();
    gh.setFile(BASE, 'environments/dev.yaml', 'name: [');
    const outcome = await applyPush(session, push(), live(), deps);
    expect(outcome).toMatchObject({
      action: 'ignored',
      reason: expect.stringContaining(`the environment files at ${BASE.slice(0, 7)} are not valid`),
    });
  });

  test('GIVEN a direct push (no pull request merged it) WHEN handled THEN the deployment fails: only reviewed changes are applied', async () => {
    const { planner, session, deps } = await setup();
    const outcome = await applyPush(session, push({ after: sha('e') }), live(), deps);
    expect(outcome).toMatchObject({
      action: 'applied',
      status: 'differs',
      reason: expect.stringContaining('is not the merge commit of a pull request into dev'),
    });
    expect(planner.applyLog).toEqual(['discard']);
  });
});

describe('applyCommand', () => {
  const input = (sender = 'carol') => ({ owner: 'acme', repo: 'infra', cloneUrl: 'https://github.example/acme/infra.git', pr: 7, sender });

  test('GIVEN a merged pull request whose merge commit is dev’s tip WHEN an approver comments /apply THEN the apply of the merge commit is queued against the reviewed plan', async () => {
    const { gh, session, deps } = await setup();
    gh.permissions.set('carol', 'write');
    gh.compares.set(`${MERGE}...dev`, []);
    const queued: ApplyRequest[] = [];
    const compare = gh.compareCommits.bind(gh);
    gh.compareCommits = async (b, h) => ({ ...(await compare(b, h)), status: 'identical' });
    const result = await applyCommand(session, input(), deps, (_s, r) => void queued.push(r));
    expect(result).toEqual({
      queued: true,
      reply: '@carol queued the apply of <code>ccccccc</code> to <code>dev</code>; the deployment says how it went.',
    });
    expect(queued[0]).toMatchObject({ sha: MERGE, baseSha: BASE, pr: 7, environment: { name: 'dev' }, reviewed: { headSha: HEAD } });
  });

  test('GIVEN an open pull request, a non-approver, or a branch that moved on WHEN /apply THEN nothing is queued and the reply says why', async () => {
    const { gh, session, deps } = await setup();
    const queue = () => {
      throw new Error('must not queue');
    };
    gh.permissions.set('carol', 'read');
    expect((await applyCommand(session, input(), deps, queue)).reply).toContain('`/apply` needs an approver of <code>dev</code>');
    gh.permissions.set('carol', 'write');
    gh.compares.set(`${MERGE}...dev`, [{ sha: sha('f'), parents: [MERGE] }]);
    expect((await applyCommand(session, input(), deps, queue)).reply).toBe(
      `@carol \`/apply\`: dev has moved on since ${MERGE.slice(0, 7)} was merged; the later commits are applied on their own. Nothing was done.`,
    );
    gh.pulls.set(7, { ...gh.pulls.get(7)!, state: 'open', merged: false });
    expect((await applyCommand(session, input(), deps, queue)).reply).toBe(
      '@carol `/apply`: only a merged pull request can be applied. Nothing was done.',
    );
  });
});
