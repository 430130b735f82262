// Scenario: forged webhooks and commands from people without write permission change nothing.
import { jest } from '@jest/globals';
import { sign } from '../sandbox/webhooks.js';
import { botComments, startWorld, type World } from './harness.js';

jest.setTimeout(300_000);

let world: World;
beforeAll(async () => {
  world = await startWorld({ permissions: { rita: 'read', wanda: 'write' } });
});
afterAll(() => world?.close());

/** Everything the controller can write, as counts. */
const footprint = (w: World) => ({
  checkRuns: w.sandbox.state.checkRuns.length,
  comments: w.sandbox.state.comments.length,
  jobs: w.server.runtime.queue.size,
});

/** Posts a body to the controller's webhook URL as GitHub's Hookshot would, signed with the webhook secret. */
async function post(w: World, event: string, id: string, body: string) {
  const res = await fetch(w.server.webhookUrl, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': sign(w.sandbox.webhookSecret, body),
    },
  });
  return { status: res.status, text: await res.text() };
}

describe('scenario: security', () => {
  let pr: { number: number; headSha: string };

  beforeAll(async () => {
    // A pull request the app sees, but whose branch policy fails fast (no plan), to keep the world quiet.
    await world.sandbox.commit('feature/s', { 'environments/README.md': 's\n' }, 'Feature s');
    pr = await world.sandbox.openPullRequest({ head: 'feature/s', base: 'main' });
    await world.settle();
  });

  test('GIVEN a forged pull_request webhook WHEN it is delivered THEN the app answers 400 and nothing happens (no check run, no comment)', async () => {
    const { sandbox } = world;
    const before = footprint(world);
    const real = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
    const forged = await sandbox.sendForged('pull_request', { ...real.payload, action: 'synchronize' });
    await world.settle();
    expect(forged.status).toBe(400);
    expect(footprint(world)).toEqual(before);
    expect(await world.server.runtime.store.claimDelivery(forged.id, 'check')).toBe(true);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a read-only user WHEN they comment /plan THEN exactly one reply says write permission is needed and nothing else happens', async () => {
    const { sandbox } = world;
    const checksBefore = sandbox.state.checkRuns.length;
    await sandbox.addComment({ pr: pr.number, user: 'rita', body: '/plan' });
    await world.settle();
    const replies = botComments(sandbox, pr.number);
    expect(replies.map((c) => c.body)).toEqual(['@rita `/plan` needs write permission on acme/infra; you have read. Nothing was done.']);
    expect(sandbox.state.checkRuns.length).toBe(checksBefore);
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer WHEN they comment an unknown command THEN the reply lists the commands', async () => {
    const { sandbox } = world;
    await sandbox.addComment({ pr: pr.number, user: 'wanda', body: '/deploy prod' });
    await world.settle();
    const reply = botComments(sandbox, pr.number).at(-1)!;
    expect(reply.body).toContain('`/deploy` is not a command (allowed: /plan, /apply, /unlock, /help)');
    expect(reply.body).toContain('| `/unlock [env]` |');
    expect(sandbox.violations).toEqual([]);
  });

  test('GIVEN a writer WHEN they comment /plan THEN the pull request is checked again', async () => {
    const { sandbox } = world;
    await sandbox.addComment({ pr: pr.number, user: 'wanda', body: '/plan' });
    await world.settle();
    expect(sandbox.state.checkRuns.filter((c) => c.name === 'gitops/branch-policy' && c.headSha === pr.headSha)).toHaveLength(2);
    expect(sandbox.violations).toEqual([]);
  });

  test.each([
    ['an empty', ''],
    ['a 10 kB', 'd'.repeat(10_240)],
  ])(
    'GIVEN a real delivery re-sent under %s delivery id WHEN it arrives THEN 400 and nothing happens (nothing stored)',
    async (_what, id) => {
      const { sandbox } = world;
      const before = footprint(world);
      const real = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
      const res = await post(world, 'pull_request', id, real.body);
      await world.settle();
      expect(res).toEqual({ status: 400, text: expect.stringContaining('x-github-delivery must be 1 to 64 letters, digits or dashes') });
      expect(footprint(world)).toEqual(before);
      if (id !== '') expect(await world.server.runtime.store.claimDelivery(id, 'check')).toBe(true);
    },
  );

  test('GIVEN a signed pull_request whose pull_request has no head WHEN it arrives THEN 400 names the field and nothing happens', async () => {
    const { sandbox } = world;
    const before = footprint(world);
    const real = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
    const { head: _head, ...pullRequest } = real.payload.pull_request as Record<string, unknown>;
    const res = await post(
      world,
      'pull_request',
      'no-head-1',
      JSON.stringify({ ...real.payload, action: 'synchronize', pull_request: pullRequest }),
    );
    await world.settle();
    expect(res).toEqual({ status: 400, text: 'pull_request payload has no pull_request.head\n' });
    expect(footprint(world)).toEqual(before);
    expect(await world.server.runtime.store.claimDelivery('no-head-1', 'check')).toBe(true);
  });

  test('GIVEN a forged body of 26 MiB WHEN it arrives THEN 413 and nothing happens', async () => {
    const before = footprint(world);
    const res = await fetch(world.server.webhookUrl, {
      method: 'POST',
      body: 'x'.repeat(26 * 1024 * 1024),
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'huge-1',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    });
    await world.settle();
    expect(res.status).toBe(413);
    expect(footprint(world)).toEqual(before);
  });
});
