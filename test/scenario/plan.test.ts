// Scenario: a feature branch into dev is checked, planned and commented on; pushes edit the one
// comment and supersede older plans; a redelivered webhook plans nothing twice.
import { jest } from '@jest/globals';
import { COMMENT_MARKER } from '../../controller/comment/templates.js';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.close());

const PLAN_DONE = ['success', 'neutral'];

describe('scenario: feature/x → dev', () => {
  let pr: { number: number; headSha: string; baseSha: string };

  test('GIVEN feature/x branched from main WHEN its pull request into dev opens THEN branch-policy passes, the plan check completes and one sticky comment appears', async () => {
    const { sandbox } = world;
    await sandbox.commit('feature/x', { 'environments/README.md': 'feature x\n' }, 'Feature x');
    pr = await sandbox.openPullRequest({ head: 'feature/x', base: 'dev' });
    await world.settle();

    // Handlers only queue: the answer never waits for the plan (which takes seconds). The 100 ms
    // target is measured by bench/webhook-ack.ts; here the machine is busy synthesizing.
    expect(sandbox.deliveries.map((d) => d.status)).toEqual(sandbox.deliveries.map(() => 200));
    expect(Math.max(...sandbox.deliveries.map((d) => d.durationMs))).toBeLessThan(1000);

    const [policy] = checkRuns(sandbox, 'gitops/branch-policy', pr.headSha);
    expect(policy).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(policy.output.title).toBe('feature/x → dev: deploys dev');

    const plans = checkRuns(sandbox, 'gitops/plan/dev', pr.headSha);
    expect(plans).toHaveLength(1);
    expect(plans[0].status).toBe('completed');
    expect(PLAN_DONE).toContain(plans[0].conclusion);
    expect(plans[0].history.map((h) => h.status)).toEqual(['in_progress', 'completed']);
    expect(plans[0].output.summary).toContain('release-dev');

    const comments = botComments(sandbox, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(COMMENT_MARKER);
    expect(comments[0].body).toContain(pr.headSha.slice(0, 7));
    expect(await world.server.runtime.store.latestPlan('acme/infra', pr.number, 'dev')).toMatchObject({
      status: 'planned',
      headSha: pr.headSha,
    });
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the same delivery sent twice WHEN redelivered THEN it is acknowledged and nothing is planned twice', async () => {
    const { sandbox } = world;
    const opened = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened');
    const again = await sandbox.redeliver(opened!.id);
    await world.settle();
    expect(again.status).toBe(200);
    expect(checkRuns(sandbox, 'gitops/plan/dev', pr.headSha)).toHaveLength(1);
    expect(checkRuns(sandbox, 'gitops/branch-policy', pr.headSha)).toHaveLength(1);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a planned pull request WHEN two pushes follow each other THEN the first plan is stopped as superseded, the second completes, and the one comment is edited', async () => {
    const { sandbox, server } = world;
    const firstComment = botComments(sandbox, pr.number)[0];
    const first = await sandbox.commit('feature/x', { 'environments/README.md': 'feature x, take 2\n' }, 'Take 2');
    const second = await sandbox.commit('feature/x', { 'environments/README.md': 'feature x, take 3\n' }, 'Take 3');
    await world.settle();

    const stopped = checkRuns(sandbox, 'gitops/plan/dev', first.sha);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(stopped[0].output.title).toContain(`superseded by the plan of ${second.sha.slice(0, 7)}`);

    const latest = checkRuns(sandbox, 'gitops/plan/dev', second.sha);
    expect(latest).toHaveLength(1);
    expect(PLAN_DONE).toContain(latest[0].conclusion);

    expect(Math.max(...sandbox.deliveries.map((d) => d.durationMs))).toBeLessThan(1000);
    const comments = botComments(sandbox, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].id).toBe(firstComment.id);
    expect(comments[0].body).toContain(second.sha.slice(0, 7));
    expect(comments[0].body).not.toContain('out of date');

    const store = server.runtime.store;
    expect(await store.latestPlan('acme/infra', pr.number, 'dev')).toMatchObject({ status: 'planned', headSha: second.sha });
    // The first plan (of the opened head) completed earlier; the check run carries its record id.
    const original = checkRuns(sandbox, 'gitops/plan/dev', pr.headSha)[0];
    expect(await store.getPlan(Number(original.externalId))).toMatchObject({ headSha: pr.headSha, status: 'superseded' });
    expect(sandbox.violations).toEqual([]);
  });
});
