// Scenario: the code of a pull request by a user without write permission runs only after a writer's
// `/plan`, and only for the head it was given for; an old event re-sent under a new delivery id
// (a replay) changes nothing.
import { jest } from '@jest/globals';
import { sign } from '../sandbox/webhooks.js';
import { botComments, checkRuns, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { otto: 'read', wanda: 'write' } });
});
afterAll(() => world?.close());

const WAITING = 'Not planned: waiting for /plan from a user with write permission';
const plansOf = (w: World, pr: number) => w.server.runtime.store.latestPlan('acme/infra', pr, 'dev');

describe('scenario: a pull request by a reader', () => {
  let pr: { number: number; headSha: string };

  test('GIVEN a reader opens feature/o → dev WHEN the controller sees it THEN its code is not run: the plan check waits for a writer and nothing is planned', async () => {
    const { sandbox } = world;
    await sandbox.commit('feature/o', { 'environments/README.md': 'outsider\n' }, 'Outsider change');
    pr = await sandbox.openPullRequest({ head: 'feature/o', base: 'dev', user: 'otto' });
    await world.settle();

    const plans = checkRuns(sandbox, 'gitops/plan/dev', pr.headSha);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ status: 'queued' });
    expect(plans[0].output.title).toBe(WAITING);
    expect(plans[0].output.summary).toContain('@otto has no write permission on acme/infra');
    expect(await plansOf(world, pr.number)).toBeUndefined();
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the waiting pull request WHEN a writer comments /plan THEN exactly that head is planned', async () => {
    const { sandbox } = world;
    await sandbox.addComment({ pr: pr.number, user: 'wanda', body: '/plan' });
    await world.settle();

    const done = checkRuns(sandbox, 'gitops/plan/dev', pr.headSha).filter((c) => c.status === 'completed');
    expect(done).toHaveLength(1);
    expect(['success', 'neutral']).toContain(done[0].conclusion);
    expect(await plansOf(world, pr.number)).toMatchObject({ status: 'planned', headSha: pr.headSha });
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a planned head WHEN a new commit is pushed to the reader’s pull request THEN the new head waits for another /plan', async () => {
    const { sandbox } = world;
    const next = await sandbox.commit('feature/o', { 'environments/README.md': 'outsider, take 2\n' }, 'Outsider take 2');
    await world.settle();

    const plans = checkRuns(sandbox, 'gitops/plan/dev', next.sha);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ status: 'queued' });
    expect(plans[0].output.title).toBe(WAITING);
    expect(await plansOf(world, pr.number)).toMatchObject({ headSha: pr.headSha });
    pr = { ...pr, headSha: next.sha };
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN the opened event of an older head WHEN it is re-sent signed under a new delivery id (a replay) THEN it is answered and nothing changes', async () => {
    const { sandbox, server } = world;
    const opened = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
    const before = {
      checkRuns: sandbox.state.checkRuns.length,
      comments: botComments(sandbox, pr.number).map((c) => c.body),
      plan: await plansOf(world, pr.number),
    };
    const res = await fetch(server.webhookUrl, {
      method: 'POST',
      body: opened.body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'replay-of-opened-1',
        'x-hub-signature-256': sign(sandbox.webhookSecret, opened.body),
      },
    });
    await world.settle();

    expect(res.status).toBe(200);
    expect(sandbox.state.checkRuns.length).toBe(before.checkRuns);
    expect(botComments(sandbox, pr.number).map((c) => c.body)).toEqual(before.comments);
    expect(await plansOf(world, pr.number)).toEqual(before.plan);
    expect(sandbox.violations).toEqual([]);
  });
});
