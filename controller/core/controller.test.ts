import { SqliteStore } from '../store/sqlite-store.js';
import { parseCommand } from '../rules/commands.js';
import { ReleaseController } from './controller.js';
import { FakeGitHub, pullRequest, sessionOf, sha } from '../../test/doubles/fake-github.js';
import { FakePlanner } from '../../test/doubles/fake-planner.js';

const BASE = sha('b');

function setup() {
  const gh = new FakeGitHub().withProjectEnvironments(BASE);
  gh.compares.set(`main...${sha('a')}`, [{ sha: sha('1'), parents: [sha('0')] }]);
  gh.compares.set('main...dev', []);
  gh.compares.set('main...uat', []);
  const store = new SqliteStore(':memory:');
  const planner = new FakePlanner();
  gh.open(pullRequest());
  return { gh, store, planner, session: sessionOf(gh), controller: new ReleaseController({ store, planner, replan: () => undefined }) };
}
const live = () => new AbortController().signal;

describe('ReleaseController', () => {
  test('GIVEN feature/x → dev WHEN the pull request changes THEN branch rules, approvals and the plan are recorded in that order', async () => {
    const { gh, controller, session, planner } = setup();
    await controller.pullRequestChanged(session, pullRequest(), live());
    expect(gh.writes).toEqual([
      'createCheckRun gitops/branch-policy completed success',
      'createCheckRun gitops/approvals/dev completed success',
      'createCheckRun gitops/plan/dev in_progress',
      'createComment #7',
      'updateCheckRun gitops/plan/dev completed success',
    ]);
    expect(planner.requests[0].environment).toBe('dev');
  });

  test('GIVEN environment files in a non-default folder WHEN the pull request changes THEN the branch rules read them there and the planner is asked to synth with that folder', async () => {
    const { gh, store, planner, session } = setup();
    for (const [path, text] of gh.files.get(BASE) ?? []) gh.setFile(BASE, path.replace(/^environments\//, 'infra/envs/'), text);
    gh.files.get(BASE)?.forEach((_t, path) => path.startsWith('environments/') && gh.files.get(BASE)?.delete(path));
    const controller = new ReleaseController({ store, planner, replan: () => undefined, envDir: 'infra/envs' });
    await controller.pullRequestChanged(session, pullRequest(), live());
    expect(gh.writes[0]).toBe('createCheckRun gitops/branch-policy completed success');
    expect(planner.requests[0]).toMatchObject({ environment: 'dev', envDir: 'infra/envs' });
  });

  test('GIVEN the default folder WHEN the pull request changes THEN the planner gets no envDir (its default, environments)', async () => {
    const { controller, session, planner } = setup();
    await controller.pullRequestChanged(session, pullRequest(), live());
    expect(planner.requests[0].envDir).toBeUndefined();
  });

  test('GIVEN feature/y → main WHEN the pull request changes THEN only the failing branch-policy check is written and nothing is planned', async () => {
    const { gh, controller, session, planner } = setup();
    await controller.pullRequestChanged(session, pullRequest({ headRef: 'feature/y', baseRef: 'main' }), live());
    expect(gh.writes).toEqual(['createCheckRun gitops/branch-policy completed failure']);
    expect(planner.requests).toHaveLength(0);
  });

  test('GIVEN feature/x → release/r1 (a uat candidate) WHEN the pull request changes THEN uat is planned and no approvals check is written', async () => {
    const { gh, controller, session, planner } = setup();
    await controller.pullRequestChanged(session, pullRequest({ baseRef: 'release/r1' }), live());
    expect(gh.writes.some((w) => w.includes('approvals'))).toBe(false);
    expect(planner.requests[0].environment).toBe('uat');
    expect(gh.check('gitops/plan/uat')?.conclusion).toBe('success');
  });

  test('GIVEN a review on release/r1 → uat WHEN reviews change THEN only the approvals check is written', async () => {
    const { gh, controller, session } = setup();
    await controller.reviewChanged(session, pullRequest({ headRef: 'release/r1', baseRef: 'uat' }));
    expect(gh.writes).toEqual(['createCheckRun gitops/approvals/uat completed failure']);
  });

  test.each([
    ['a disallowed pair', { headRef: 'feature/y', baseRef: 'main' }],
    ['a plan-only candidate', { baseRef: 'release/r1' }],
    ['an invalid branch name', { headRef: 'feature/a..b' }],
  ])('GIVEN %s WHEN reviews change THEN no check is written', async (_what, over) => {
    const { gh, controller, session } = setup();
    await controller.reviewChanged(session, pullRequest(over));
    expect(gh.writes).toEqual([]);
  });

  const lockOf = (pr: number, environment: string) => ({
    repo: 'acme/infra',
    environment,
    holder: `acme/infra#${pr}`,
    pr,
    leaseMs: 60_000,
  });
  const unlockComment = (command: string, sender = 'carol') => ({
    owner: 'acme',
    repo: 'infra',
    pr: 7,
    cloneUrl: 'https://github.example/acme/infra.git',
    command: parseCommand(command),
    sender,
    senderType: 'User',
  });

  test('GIVEN the dev lock held by another pull request WHEN a writer (no CODEOWNERS owner of dev.yaml) comments /unlock THEN the target is resolved from the base and the lock released', async () => {
    const { gh, controller, session, store } = setup();
    gh.permissions.set('carol', 'write');
    const held = await store.enterLockQueue(lockOf(41, 'dev'));
    const waiting = await store.enterLockQueue(lockOf(42, 'dev'));
    const outcome = await controller.commentCreated(session, unlockComment('/unlock'));
    expect(outcome).toMatchObject({ action: 'unlocked', result: { environment: 'dev', released: { id: held.ticket.id, pr: 41 } } });
    expect(await store.getLock('acme/infra', 'dev')).toBeUndefined();
    expect(await store.pollLock(waiting.ticket.id)).toMatchObject({ acquired: true });
    expect(gh.comments.at(-1)?.body).toBe('@carol released the <code>dev</code> lock held by <code>acme/infra#41</code>.');
  });

  test('GIVEN CODEOWNERS naming a team for prod.yaml WHEN a writer outside it comments /unlock prod THEN the lock stays; WHEN a member does THEN it is released', async () => {
    const { gh, controller, session, store } = setup();
    gh.setFile(BASE, 'CODEOWNERS', '* @acme/platform-team\n/environments/prod.yaml @acme/platform-leads\n');
    gh.teams.set('@acme/platform-leads', ['dora']);
    gh.permissions.set('carol', 'admin');
    gh.permissions.set('dora', 'write');
    await store.enterLockQueue(lockOf(41, 'prod'));
    expect(await controller.commentCreated(session, unlockComment('/unlock prod'))).toEqual({
      action: 'unlocked',
      result: { environment: 'prod', refused: true },
    });
    expect((await store.getLock('acme/infra', 'prod'))?.pr).toBe(41);
    expect(await controller.commentCreated(session, unlockComment('/unlock prod', 'dora'))).toMatchObject({
      result: { environment: 'prod', released: { pr: 41 } },
    });
    expect(await store.getLock('acme/infra', 'prod')).toBeUndefined();
  });

  test('GIVEN a pull request closed without merging WHEN its close is handled THEN its lock tickets are released; a merged one keeps them', async () => {
    const { controller, session, store } = setup();
    await store.enterLockQueue(lockOf(7, 'dev'));
    await controller.pullRequestClosed(session, { owner: 'acme', repo: 'infra', number: 7 }, true);
    expect(await store.listLocks()).toHaveLength(1);
    await controller.pullRequestClosed(session, { owner: 'acme', repo: 'infra', number: 7 }, false);
    expect(await store.listLocks()).toEqual([]);
  });
});
