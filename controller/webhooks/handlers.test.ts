// Handlers through Probot: payloads from @octokit/webhooks-examples, GitHub mocked with nock
// (every request the flows make is listed; an unexpected one fails the job and the test).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { sessionsOf } from '../compose.js';
import type { ControllerCore } from '../core/controller.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { JobQueue } from './job-queue.js';
import { registerHandlers } from './handlers.js';
import { PLAN_APPLY_PATH, runTitle, WorkflowRunWaits } from '../actions/workflow-runs.js';
import {
  API,
  BASE,
  captureCheckRun,
  examples,
  HEAD,
  mockApprovalsReads,
  mockCurrentPullRequest,
  mockPolicyReads,
  mockTrunkCompares,
  payload,
  privateKey,
  REPO,
  setupHandlers as setup,
  type Body,
} from '../../test/fixtures/probot-handlers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('webhook handlers', () => {
  test('GIVEN pull_request.opened feature/x → dev WHEN received THEN branch-policy, approvals and plan checks and the App’s own sticky comment are written', async () => {
    const { receive, planner, errors } = setup();
    const api = nock(API);
    const checks: Body[] = [];
    mockPolicyReads(api);
    mockCurrentPullRequest(api, 'write');
    mockTrunkCompares(api);
    mockApprovalsReads(api);
    api
      .post(`${REPO}/check-runs`)
      .times(3)
      .reply(201, (_uri, body) => {
        checks.push(body as Body);
        return { id: checks.length };
      });
    api.get('/app').reply(200, { id: 1, slug: 'gitops', name: 'gitops', owner: { login: 'acme' } });
    api
      .get(`${REPO}/issues/7/comments`)
      .query(true)
      .reply(200, [{ id: 50, body: 'pasted <!-- gitops:plan -->', user: { login: 'mallory', type: 'User' } }]);
    let comment: Body | undefined;
    api.post(`${REPO}/issues/7/comments`).reply(201, (_uri, body) => {
      comment = body as Body;
      return { id: 99 };
    });
    let completed: Body | undefined;
    api.patch(`${REPO}/check-runs/3`).reply(200, (_uri, body) => {
      completed = body as Body;
      return { id: 3 };
    });

    await receive('pull_request', 'delivery-1', payload('pull_request', 'opened'));

    expect(errors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(checks.map((c) => [c.name, c.head_sha, c.status, c.conclusion])).toEqual([
      ['gitops/branch-policy', HEAD, 'completed', 'success'],
      ['gitops/approvals/dev', HEAD, 'completed', 'success'],
      ['gitops/plan/dev', HEAD, 'in_progress', undefined],
    ]);
    expect(completed).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(comment?.body).toContain('<!-- gitops:plan -->');
    expect(planner.requests[0]).toMatchObject({
      repoUrl: 'https://github.com/acme/infra.git',
      authToken: 'ghs_test',
      headSha: HEAD,
      baseSha: BASE,
      environment: 'dev',
    });
  });

  test('GIVEN the same delivery id twice WHEN received THEN the second does nothing', async () => {
    const { receive, planner, store } = setup();
    await store.claimDelivery('delivery-2', 'pull_request.opened');
    await receive('pull_request', 'delivery-2', payload('pull_request', 'opened'));
    expect(planner.requests).toHaveLength(0);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN pull_request.opened feature/y → main WHEN received THEN one failing branch-policy check lists the allowed pairs and nothing is planned', async () => {
    const { receive, planner, errors } = setup();
    const api = nock(API);
    mockPolicyReads(api);
    mockCurrentPullRequest(api);
    const posted = captureCheckRun(api);
    await receive('pull_request', 'delivery-3', payload('pull_request', 'opened', { head: 'feature/y', base: 'main' }));
    expect(errors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(posted.check).toMatchObject({
      name: 'gitops/branch-policy',
      conclusion: 'failure',
      output: { title: 'feature/y → main is not allowed' },
    });
    expect(posted.check?.output.text).toContain('`release/* → main`');
    expect(planner.requests).toHaveLength(0);
  });

  test.each([
    ['pull_request.edited without a base change', 'pull_request', 'edited'],
    ['pull_request.closed (merged: its push applies it)', 'pull_request', 'closed'],
    ['pull_request.labeled', 'pull_request', 'labeled'],
  ])('GIVEN %s WHEN received THEN no request is made and the delivery is not even claimed', async (_what, event, action) => {
    const { receive, store } = setup();
    const body = payload(event, action);
    if (action === 'edited') body.changes = { title: { from: 'old' } };
    if (action === 'closed') (body.pull_request as { merged: boolean }).merged = true;
    await receive(event, 'delivery-4', body);
    expect(nock.pendingMocks()).toEqual([]);
    expect(await store.claimDelivery('delivery-4', 'x')).toBe(true);
  });

  test('GIVEN pull_request.edited that changed the base to main WHEN received THEN the branch rules are checked again', async () => {
    const { receive, errors } = setup();
    const api = nock(API);
    mockPolicyReads(api);
    mockCurrentPullRequest(api);
    const posted = captureCheckRun(api);
    const body = payload('pull_request', 'edited', { base: 'main' });
    body.changes = { base: { ref: { from: 'dev' }, sha: { from: BASE } } };
    await receive('pull_request', 'delivery-9', body);
    expect(errors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(posted.check).toMatchObject({ name: 'gitops/branch-policy', conclusion: 'failure' });
  });

  test('GIVEN two pushes to one pull request WHEN the second arrives while the first job runs THEN the first job is aborted as superseded and they never overlap', async () => {
    const queue = new JobQueue();
    const store = new SqliteStore(':memory:');
    const seen: { head: string; signal: AbortSignal }[] = [];
    let running = 0;
    let maxRunning = 0;
    const core: ControllerCore = {
      async pullRequestChanged(_session, pr, signal) {
        running++;
        maxRunning = Math.max(maxRunning, running);
        seen.push({ head: pr.headSha, signal });
        if (seen.length === 1) await new Promise((r) => signal.addEventListener('abort', r));
        running--;
      },
      reviewChanged: async () => undefined,
      commentCreated: async () => ({ action: 'ignored' }),
      pushed: async () => undefined,
      applyApproved: async () => undefined,
      pullRequestClosed: async () => undefined,
    };
    const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }) });
    registerHandlers(probot, { core, queue, deliveries: store, sessions: sessionsOf(probot) });
    const push = (id: string, head: string) => {
      const body = payload('pull_request', 'synchronize') as Body;
      body.pull_request.head.sha = head;
      return probot.receive({ id, name: 'pull_request', payload: body } as never);
    };
    await push('d-1', '1'.repeat(40));
    await new Promise((r) => setImmediate(r));
    await push('d-2', '2'.repeat(40));
    await queue.onIdle();
    expect(seen.map((s) => [s.head[0], s.signal.aborted])).toEqual([
      ['1', true],
      ['2', false],
    ]);
    expect((seen[0].signal.reason as Error).message).toBe('superseded by plan of 2222222');
    expect(maxRunning).toBe(1);
  });

  test('GIVEN pull_request.closed without merging WHEN received THEN the delivery is claimed and the pull request’s lock tickets are released, with no GitHub request', async () => {
    const { receive, store } = setup();
    await store.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#7', pr: 7, leaseMs: 60_000 });
    await store.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#8', pr: 8, leaseMs: 60_000 });
    const body = payload('pull_request', 'closed');
    Object.assign(body.pull_request as object, { merged: false, state: 'closed' });
    await receive('pull_request', 'delivery-closed', body);
    expect(nock.pendingMocks()).toEqual([]);
    expect(await store.claimDelivery('delivery-closed', 'x')).toBe(false);
    expect((await store.listLocks()).map((t) => t.pr)).toEqual([8]);
  });

  test('GIVEN comments on a closed pull request WHEN received THEN /apply and /unlock are queued and /plan is not even claimed', async () => {
    const store = new SqliteStore(':memory:');
    const queue = new JobQueue();
    const commands: string[] = [];
    const core: ControllerCore = {
      pullRequestChanged: async () => undefined,
      reviewChanged: async () => undefined,
      commentCreated: async (_session, input) => (commands.push(input.command?.kind ?? ''), { action: 'ignored' }),
      pushed: async () => undefined,
      applyApproved: async () => undefined,
      pullRequestClosed: async () => undefined,
    };
    const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }) });
    registerHandlers(probot, { core, queue, deliveries: store, sessions: sessionsOf(probot) });
    const comment = (body: string) => {
      const p = payload('issue_comment', 'created');
      Object.assign(p.issue as object, { state: 'closed', pull_request: { url: 'x' } });
      Object.assign(p.comment as object, { body, user: { login: 'carol', type: 'User' } });
      return p;
    };
    await probot.receive({ id: 'c1', name: 'issue_comment', payload: comment('/plan') } as never);
    await probot.receive({ id: 'c2', name: 'issue_comment', payload: comment('/apply') } as never);
    await probot.receive({ id: 'c3', name: 'issue_comment', payload: comment('/unlock dev') } as never);
    await queue.onIdle();
    expect(commands).toEqual(['apply', 'unlock']);
    expect(await store.claimDelivery('c1', 'x')).toBe(true);
  });

  test('GIVEN pushes to a branch and a tag WHEN received THEN each branch push is claimed once and queued in arrival order, and the tag is skipped', async () => {
    const store = new SqliteStore(':memory:');
    const queue = new JobQueue();
    const pushed: string[] = [];
    const core: ControllerCore = {
      pullRequestChanged: async () => undefined,
      reviewChanged: async () => undefined,
      commentCreated: async () => ({ action: 'ignored' }),
      pushed: async (_session, push) => {
        await new Promise((r) => setTimeout(r, push.after === HEAD ? 20 : 0));
        pushed.push(`${push.branch} ${push.before.slice(0, 1)}..${push.after.slice(0, 1)}`);
      },
      applyApproved: async () => undefined,
      pullRequestClosed: async () => undefined,
    };
    const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }) });
    registerHandlers(probot, { core, queue, deliveries: store, sessions: sessionsOf(probot) });
    const example = examples.find((e) => e.name === 'push')!.examples.find((x) => x.installation) as Record<string, unknown>;
    const push = (ref: string, before: string, after: string) => ({
      ...structuredClone(example),
      ref,
      before,
      after,
      installation: { id: 2 },
      repository: {
        ...(example.repository as object),
        name: 'infra',
        owner: { login: 'acme' },
        clone_url: 'https://github.com/acme/infra.git',
      },
    });
    await probot.receive({ id: 'p1', name: 'push', payload: push('refs/heads/dev', BASE, HEAD) } as never);
    await probot.receive({ id: 'p2', name: 'push', payload: push('refs/heads/dev', HEAD, 'c'.repeat(40)) } as never);
    await probot.receive({ id: 'p1', name: 'push', payload: push('refs/heads/dev', BASE, HEAD) } as never);
    await probot.receive({ id: 'p3', name: 'push', payload: push('refs/tags/v1', BASE, HEAD) } as never);
    await queue.onIdle();
    expect(pushed).toEqual(['dev b..a', 'dev a..c']);
    expect(await store.claimDelivery('p3', 'x')).toBe(true);
  });

  test("GIVEN a controller killed while a delivery's job ran WHEN the next one starts THEN that delivery's redelivery runs, a finished one stays ignored, and the job's session knows its installation", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-handlers-'));
    const file = join(dir, 'gitops.sqlite');
    /** One controller process: its store, queue and handlers; `hold` keeps plan jobs running. */
    const controllerProcess = (id: string, hold: boolean) => {
      const store = new SqliteStore(file, { controllerId: id });
      const queue = new JobQueue();
      const plans: (number | undefined)[] = [];
      const reviews: string[] = [];
      const core: ControllerCore = {
        async pullRequestChanged(session) {
          plans.push(session.installationId);
          if (hold) await new Promise(() => undefined);
        },
        reviewChanged: async (_session, pr) => void reviews.push(pr.headSha),
        commentCreated: async () => ({ action: 'ignored' }),
        pushed: async () => undefined,
        applyApproved: async () => undefined,
        pullRequestClosed: async () => undefined,
      };
      const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }) });
      registerHandlers(probot, { core, queue, deliveries: store, sessions: sessionsOf(probot) });
      const receive = (id: string, name: string, body: Record<string, unknown>) => probot.receive({ id, name, payload: body } as never);
      return { store, queue, plans, reviews, receive };
    };
    try {
      const killed = controllerProcess('killed', true);
      await killed.receive('d-review', 'pull_request_review', payload('pull_request_review', 'submitted'));
      await killed.receive('d-push', 'pull_request', payload('pull_request', 'synchronize'));
      while (killed.plans.length === 0 || killed.queue.size > 1) await new Promise((r) => setImmediate(r));
      expect(killed.plans).toEqual([2]);

      const next = controllerProcess('next', false);
      expect(await next.store.releaseAbandonedDeliveries()).toBe(1);
      await next.receive('d-push', 'pull_request', payload('pull_request', 'synchronize'));
      await next.receive('d-review', 'pull_request_review', payload('pull_request_review', 'submitted'));
      await next.queue.onIdle();
      await new Promise((r) => setImmediate(r));
      expect(next.plans).toEqual([2]);
      expect(next.reviews).toEqual([]);
      // the redelivered job ended: a third process has nothing to release
      const third = new SqliteStore(file, { controllerId: 'third' });
      expect(await third.releaseAbandonedDeliveries()).toBe(0);
      [killed.store, next.store, third].forEach((s) => s.close());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN pull_request_review.submitted on release/r1 → uat by a read-only user WHEN received THEN the approvals check fails and does not count them', async () => {
    const { receive, errors } = setup();
    const api = nock(API);
    mockPolicyReads(api);
    mockApprovalsReads(api, [{ user: { login: 'bob' }, state: 'APPROVED', commit_id: HEAD, submitted_at: '2025-01-01T00:00:00Z' }]);
    api.get(`${REPO}/collaborators/bob/permission`).reply(200, { permission: 'read', role_name: 'read', user: { login: 'bob' } });
    const posted = captureCheckRun(api);
    await receive('pull_request_review', 'delivery-5', payload('pull_request_review', 'submitted', { head: 'release/r1', base: 'uat' }));
    expect(errors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(posted.check).toMatchObject({ name: 'gitops/approvals/uat', conclusion: 'failure' });
    expect(posted.check?.output.text).toContain('`bob`: has read permission');
  });

  test('GIVEN a /plan comment from a read-only user WHEN received THEN exactly one reply says so and nothing else happens', async () => {
    const { receive, planner, errors } = setup();
    const api = nock(API);
    api.post('/app/installations/2/access_tokens').reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z' });
    api.get(`${REPO}/collaborators/bob/permission`).reply(200, { permission: 'read', role_name: 'read', user: { login: 'bob' } });
    let reply: Body | undefined;
    api.post(`${REPO}/issues/7/comments`).reply(201, (_uri, body) => {
      reply = body as Body;
      return { id: 5 };
    });
    const body = payload('issue_comment', 'created') as Body;
    body.issue.pull_request = { url: `${API}${REPO}/pulls/7` };
    body.comment.body = '/plan';
    body.comment.user = { login: 'bob', type: 'User' };
    await receive('issue_comment', 'delivery-6', body);
    expect(errors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(reply?.body).toBe('@bob `/plan` needs write permission on acme/infra; you have read. Nothing was done.');
    expect(planner.requests).toHaveLength(0);
  });

  test('GIVEN a /plan comment on an issue that is not a pull request, or an ordinary comment WHEN received THEN no request is made', async () => {
    const { receive } = setup();
    const onIssue = payload('issue_comment', 'created') as Body;
    delete onIssue.issue.pull_request;
    onIssue.comment.body = '/plan';
    await receive('issue_comment', 'delivery-7', onIssue);
    const chat = payload('issue_comment', 'created') as Body;
    chat.issue.pull_request = { url: 'x' };
    chat.comment.body = 'thanks, looks good';
    await receive('issue_comment', 'delivery-8', chat);
    expect(nock.pendingMocks()).toEqual([]);
  });

  test('GIVEN a wait for a plan-apply.yml run WHEN its workflow_run.completed arrives THEN the wait settles with the run, without a claim or a job', async () => {
    const waits = new WorkflowRunWaits();
    const { receive, store, errors } = setup(waits);
    const inputs = { env: 'dev', stack: 'ingest-dev', sha: HEAD, mode: 'plan' } as const;
    const waiting = waits.wait({ owner: 'acme', repo: 'infra', inputs, since: new Date(0), timeoutMs: 10_000 });
    const example = examples
      .find((e) => e.name === 'workflow_run')!
      .examples.find((x) => x.action === 'completed' && (x as Body).workflow_run.path);
    const body = structuredClone(example) as Body;
    body.installation = { id: 2 };
    Object.assign(body.repository, { name: 'infra', clone_url: 'https://github.com/acme/infra.git' });
    body.repository.owner.login = 'acme';
    Object.assign(body.workflow_run, {
      display_title: runTitle(inputs),
      path: PLAN_APPLY_PATH,
      event: 'workflow_dispatch',
      conclusion: 'failure',
    });
    await receive('workflow_run', 'delivery-run-1', body);
    expect(errors).toEqual([]);
    await expect(waiting).resolves.toMatchObject({ owner: 'acme', repo: 'infra', id: body.workflow_run.id, conclusion: 'failure' });
    expect(await store.claimDelivery('delivery-run-1', 'workflow_run.completed')).toBe(true);
    await receive('workflow_run', 'delivery-run-2', body);
    expect(waits.size).toBe(0);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
