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

  test('GIVEN the push’s sender WHEN the merge is applied THEN the apply records who merged; a push without one records nobody', async () => {
    const { session, deps, store } = await setup();
    const merged = await applyPush(session, push({ sender: 'priya' }), live(), deps);
    expect(merged.action === 'applied' && (await store.getApply(merged.applyId))).toMatchObject({ actor: 'priya', pr: 7 });
    const anonymous = await setup();
    const unknown = await applyPush(anonymous.session, push(), live(), anonymous.deps);
    expect(unknown.action === 'applied' && (await anonymous.store.getApply(unknown.applyId))).toMatchObject({ actor: null });
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
      reason: expect.stringContaining('is neither the merge commit of a pull request into dev nor a push back-sync made'),
    });
    // an unreviewed push runs nothing, not even a plan
    expect(planner.requests).toEqual([]);
  });

  const SYNCED = sha('5');
  const TRUNK = sha('9');
  const recorded = { repo: 'acme/infra', branch: 'dev', before: BASE, after: SYNCED, trunk: 'main', trunkSha: TRUNK };

  /** dev's last successful apply was of `commit`, which the pushed commit is not behind. */
  async function deployed(gh: FakeGitHub, store: SqliteStore, commit: string) {
    const id = await store.saveApply({ repo: 'acme/infra', environment: 'dev', sha: commit, baseSha: sha('0') });
    await store.updateApply(id, { status: 'succeeded' });
    gh.compareCommits = async () => ({ status: 'behind', aheadBy: 0, behindBy: 1, mergeBaseSha: commit, commits: [], files: [] });
  }

  test('GIVEN dev deployed at BASE and back-sync’s recorded push of dev from BASE to SYNCED WHEN that push arrives THEN its re-plan is applied as it is, the deployment succeeds naming back-sync, and the record is taken', async () => {
    const { gh, planner, session, deps, store } = await setup();
    await deployed(gh, store, BASE);
    await store.recordSyncPush(recorded);

    const outcome = await applyPush(session, push({ after: SYNCED }), live(), deps);

    expect(outcome).toMatchObject({ action: 'applied', status: 'succeeded', differences: [] });
    expect(planner.requests[0]).toMatchObject({ environment: 'dev', headSha: SYNCED, baseSha: BASE });
    expect(planner.applyLog).toEqual(['apply release-dev', 'discard']);
    const [deployment] = session.deployments.deployments;
    expect(deployment).toMatchObject({ environment: 'dev', sha: SYNCED, description: 'dev at 5555555 (back-sync onto main 9999999)' });
    expect(deployment.statuses.at(-1)?.state).toBe('success');
    expect(await store.takeSyncPush(recorded)).toBeUndefined();
  });

  test('GIVEN back-sync’s recorded push from BASE, which dev never deployed (a direct push sat there) WHEN it arrives THEN nothing is applied and the deployment says why', async () => {
    const { gh, planner, session, deps, store } = await setup();
    await deployed(gh, store, sha('4'));
    await store.recordSyncPush(recorded);

    const outcome = await applyPush(session, push({ after: SYNCED }), live(), deps);

    const reason =
      'back-sync rebased dev from bbbbbbb, which is not the commit last deployed to dev (4444444): its rebase would apply commits never applied there, so nothing is applied';
    expect(outcome).toMatchObject({ action: 'applied', status: 'differs', reason });
    expect(planner.requests).toEqual([]);
    expect(session.deployments.deployments[0].statuses.at(-1)).toMatchObject({ state: 'failure', description: `Failed: ${reason}` });
  });

  test.each([
    ['from another tip (someone reset dev first)', { before: sha('6'), after: SYNCED }],
    ['of another commit', { before: BASE, after: sha('7') }],
  ])(
    'GIVEN back-sync recorded its push of dev WHEN a person’s push %s arrives THEN nothing is applied, the reason is given, and the record stays',
    async (_what, over) => {
      const { gh, planner, session, deps, store } = await setup();
      gh.withProjectEnvironments(over.before);
      await store.recordSyncPush(recorded);

      const outcome = await applyPush(session, push(over), live(), deps);

      expect(outcome).toMatchObject({
        action: 'applied',
        status: 'differs',
        reason: `${over.after.slice(0, 7)} is neither the merge commit of a pull request into dev nor a push back-sync made: only reviewed changes are applied`,
      });
      expect(planner.requests).toEqual([]);
      expect(session.deployments.deployments[0].statuses.at(-1)?.state).toBe('failure');
      expect(await store.takeSyncPush(recorded)).toEqual(recorded);
    },
  );

  test('GIVEN a record of back-sync’s push WHEN a merge commit with the same before and after arrives THEN it is applied as the merge it is and the record is not taken', async () => {
    const { session, deps, store } = await setup();
    await store.recordSyncPush({ ...recorded, after: MERGE });
    const outcome = await applyPush(session, push(), live(), deps);
    expect(outcome).toMatchObject({ action: 'applied', status: 'succeeded' });
    expect(session.deployments.deployments[0].description).toBe(`dev at ${MERGE.slice(0, 7)} (#7)`);
    expect(await store.takeSyncPush({ ...recorded, after: MERGE })).toBeDefined();
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
    expect(queued[0]).toMatchObject({
      sha: MERGE,
      baseSha: BASE,
      pr: 7,
      environment: { name: 'dev' },
      reviewed: { headSha: HEAD },
      actor: 'carol',
    });
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
