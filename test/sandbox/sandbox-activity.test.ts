import { createRequire } from 'node:module';
import type { Octokit } from '@octokit/rest';
import { verify } from '@octokit/webhooks-methods';
import type { Sandbox } from './sandbox.js';
import { owner, payloads, repo, SECRET, startTestSandbox, stopTestSandbox, type Receiver } from './test-sandbox.js';

describe('sandbox GitHub server', () => {
  let sandbox: Sandbox;
  let receiver: Receiver;
  let octokit: Octokit;

  beforeAll(async () => {
    ({ sandbox, receiver, octokit } = await startTestSandbox());
  });

  afterAll(stopTestSandbox);

  describe('pull request activity', () => {
    let number: number;
    let headSha: string;

    beforeAll(async () => {
      await sandbox.commit('feature/review', { 'environments/dev.yaml': 'name: dev\nreplicas: 2\n' }, 'scale dev', {
        user: 'alice',
        from: 'dev',
      });
      ({ number, headSha } = await sandbox.openPullRequest({ head: 'feature/review', base: 'dev', user: 'alice', title: 'Scale dev' }));
    });

    test('GIVEN an open pull request WHEN read and listed THEN head/base, files and filters match', async () => {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
      expect(data).toMatchObject({
        number,
        state: 'open',
        head: { ref: 'feature/review', sha: headSha },
        base: { ref: 'dev' },
        user: { login: 'alice' },
        mergeable: true,
      });
      const files = await octokit.rest.pulls.listFiles({ owner, repo, pull_number: number });
      expect(files.data.map((f) => `${f.status}:${f.filename}`)).toEqual(['modified:environments/dev.yaml']);
      const listed = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:feature/review`, state: 'open' });
      expect(listed.data.map((p) => p.number)).toEqual([number]);
      expect((await octokit.rest.pulls.list({ owner, repo, base: 'uat' })).data).toEqual([]);
    });

    test('GIVEN the author and a maintainer WHEN they review THEN self-approval is refused, the approval is listed and the webhook says "approved"', async () => {
      await expect(sandbox.submitReview({ pr: number, user: 'alice', state: 'approved' })).rejects.toMatchObject({ status: 422 });
      const before = receiver.received.length;
      await sandbox.submitReview({ pr: number, user: 'bob', state: 'approved' });
      const { data } = await octokit.rest.pulls.listReviews({ owner, repo, pull_number: number });
      expect(data.map((r) => `${r.user?.login}:${r.state}:${r.commit_id}`)).toEqual([`bob:APPROVED:${headSha}`]);
      const [hook] = payloads(receiver.received.slice(before), 'pull_request_review');
      expect(hook).toMatchObject({ action: 'submitted', review: { state: 'approved', user: { login: 'bob' }, commit_id: headSha } });
    });

    test('GIVEN comments by people and by the App WHEN created, edited and listed THEN each sends issue_comment and pagination links work', async () => {
      const before = receiver.received.length;
      await sandbox.addComment({ pr: number, user: 'rita', body: '/plan' });
      const { data: created } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: '<!-- gitops -->\nplan',
      });
      expect(created.user?.login).toBe(sandbox.botLogin);
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: created.id, body: '<!-- gitops -->\nplan v2' });
      expect((await octokit.rest.issues.getComment({ owner, repo, comment_id: created.id })).data.body).toBe('<!-- gitops -->\nplan v2');
      await sandbox.idle();
      const hooks = payloads(receiver.received.slice(before), 'issue_comment');
      expect(hooks.map((h) => `${h.action}:${(h.sender as { login: string }).login}`)).toEqual([
        'created:rita',
        `created:${sandbox.botLogin}`,
        `edited:${sandbox.botLogin}`,
      ]);
      expect((hooks[0] as { issue: { pull_request: unknown } }).issue.pull_request).toBeDefined();
      const pages = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 1 });
      expect(pages.map((c) => c.body)).toEqual(['/plan', '<!-- gitops -->\nplan v2']);
    });

    test('GIVEN a check run WHEN created, completed and listed for the ref THEN status rules hold and the latest run is listed', async () => {
      const { data: run } = await octokit.rest.checks.create({
        owner,
        repo,
        name: 'gitops/plan/dev',
        head_sha: headSha,
        status: 'in_progress',
        output: { title: 'Planning', summary: '…' },
      });
      await expect(octokit.rest.checks.update({ owner, repo, check_run_id: run.id, status: 'completed' })).rejects.toMatchObject({
        status: 422,
      });
      await octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
        conclusion: 'success',
        output: { title: 'No changes', summary: 'ok' },
      });
      const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: 'feature/review', check_name: 'gitops/plan/dev' });
      expect(data.total_count).toBe(1);
      expect(data.check_runs[0]).toMatchObject({
        status: 'completed',
        conclusion: 'success',
        output: { title: 'No changes' },
        pull_requests: [{ number }],
      });
      expect(sandbox.state.checkRuns.find((r) => r.id === run.id)?.history.map((h) => h.status)).toEqual(['in_progress', 'completed']);
      await expect(octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: 'f'.repeat(40) })).rejects.toMatchObject({ status: 422 });
    });

    test('GIVEN collaborators WHEN their permission is asked THEN role_name is exact and permission is the legacy level', async () => {
      const level = async (username: string) => (await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username })).data;
      expect(await level('bob')).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'bob' } });
      expect(await level('rita')).toMatchObject({ permission: 'read', role_name: 'read' });
      expect(await level('stranger')).toMatchObject({ permission: 'none' });
      expect(() => sandbox.setPermission('x', 'owner' as 'admin')).toThrow(
        'permission for x is "owner"; allowed: admin, maintain, write, triage, read, none',
      );
    });

    test('GIVEN the App opens a pull request with labels and assignees WHEN done over REST THEN opened is sent by the bot and only collaborators are assigned', async () => {
      await sandbox.commit('sync/dev', { 'sync.txt': 's\n' }, 'sync', { user: 'bob', from: 'main' });
      const before = receiver.received.length;
      const { data: pr } = await octokit.rest.pulls.create({
        owner,
        repo,
        head: 'sync/dev',
        base: 'dev',
        title: 'Bring main into dev',
        body: 'conflict',
      });
      await octokit.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels: ['gitops/back-sync'] });
      const { data: issue } = await octokit.rest.issues.addAssignees({
        owner,
        repo,
        issue_number: pr.number,
        assignees: ['bob', 'stranger'],
      });
      expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['gitops/back-sync']);
      expect(issue.assignees?.map((a) => a.login)).toEqual(['bob']);
      await sandbox.idle();
      expect(payloads(receiver.received.slice(before), 'pull_request')).toEqual([
        expect.objectContaining({ action: 'opened', sender: expect.objectContaining({ login: sandbox.botLogin, type: 'Bot' }) }),
      ]);
      await expect(octokit.rest.pulls.create({ owner, repo, head: 'sync/dev', base: 'dev', title: 'again' })).rejects.toMatchObject({
        status: 422,
      });
    });

    test('GIVEN an approved pull request WHEN merged THEN closed(merged) then push on the base, and the PR records the merge commit', async () => {
      const before = receiver.received.length;
      const { sha } = await sandbox.merge(number, { user: 'bob' });
      const fresh = receiver.received.slice(before).map((r) => JSON.parse(r.body));
      expect(fresh.map((p) => p.action ?? `push ${p.ref}`)).toEqual(['closed', 'push refs/heads/dev']);
      expect(fresh[0]).toMatchObject({ pull_request: { merged: true, merge_commit_sha: sha, merged_by: { login: 'bob' } } });
      expect(fresh[1]).toMatchObject({ after: sha, head_commit: { id: sha } });
      expect(await sandbox.branchSha('dev')).toBe(sha);
      await expect(sandbox.merge(number)).rejects.toThrow('already merged');
    });

    test('GIVEN two branches changing the same line WHEN the second is merged THEN it throws a conflict and nothing moves', async () => {
      await sandbox.commit('feature/c1', { 'conflict.txt': 'one\n' }, 'c1', { user: 'alice', from: 'uat' });
      await sandbox.commit('feature/c2', { 'conflict.txt': 'two\n' }, 'c2', { user: 'alice', from: 'uat' });
      const first = await sandbox.openPullRequest({ head: 'feature/c1', base: 'uat', user: 'alice' });
      const second = await sandbox.openPullRequest({ head: 'feature/c2', base: 'uat', user: 'alice' });
      await sandbox.merge(first.number, { user: 'bob' });
      const uat = await sandbox.branchSha('uat');
      expect((await octokit.rest.pulls.get({ owner, repo, pull_number: second.number })).data.mergeable).toBe(false);
      await expect(sandbox.merge(second.number, { user: 'bob' })).rejects.toThrow(/conflicts in conflict.txt/);
      expect(await sandbox.branchSha('uat')).toBe(uat);
      expect(sandbox.state.pull(second.number)).toMatchObject({ state: 'open', merged: false });
    });
  });

  describe('deployments', () => {
    // GitHub's default auto_merge is refused only on a ref behind main: give main a commit that uat lacks.
    beforeAll(async () => {
      await sandbox.commit('main', { 'main-only.txt': 'm\n' }, 'main moves past uat', { user: 'bob' });
    });

    test('GIVEN a ref behind main WHEN a deployment is created with GitHub defaults THEN 409 (auto_merge would rewrite the branch)', async () => {
      await expect(octokit.rest.repos.createDeployment({ owner, repo, ref: 'uat', environment: 'uat' })).rejects.toMatchObject({
        status: 409,
        message: expect.stringContaining('auto_merge'),
      });
    });

    test('GIVEN a failing check on the commit WHEN required_contexts is left default THEN 409 naming the context', async () => {
      const sha = (await sandbox.branchSha('uat')) as string;
      await octokit.rest.checks.create({
        owner,
        repo,
        name: 'ci',
        head_sha: sha,
        conclusion: 'failure',
        output: { title: 'red', summary: 'red' },
      });
      const error = await octokit.rest.repos
        .createDeployment({ owner, repo, ref: sha, environment: 'uat', auto_merge: false })
        .catch((e: { status: number; response: { data: unknown } }) => e);
      expect(error).toMatchObject({ status: 409, response: { data: { errors: [{ contexts: [{ context: 'ci' }] }] } } });
    });

    test('GIVEN two successful deployments to one environment WHEN the second succeeds THEN the first becomes inactive and lists filter by environment', async () => {
      const create = async () => {
        const { data } = await octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: 'uat',
          environment: 'uat',
          auto_merge: false,
          required_contexts: [],
          payload: { plan: 1 },
        });
        if (!('id' in data)) throw new Error('deployment not created');
        await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: data.id, state: 'in_progress' });
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: data.id,
          state: 'success',
          log_url: 'http://example.test/log',
        });
        return data.id;
      };
      const first = await create();
      const second = await create();
      const states = async (id: number) =>
        (await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: id })).data.map((s) => s.state);
      expect(await states(first)).toEqual(['inactive', 'success', 'in_progress']);
      expect(await states(second)).toEqual(['success', 'in_progress']);
      const listed = await octokit.rest.repos.listDeployments({ owner, repo, environment: 'uat' });
      expect(listed.data.map((d) => d.id)).toEqual([second, first]);
      expect((await octokit.rest.repos.listDeployments({ owner, repo, environment: 'prod' })).data).toEqual([]);
    });
  });

  describe('webhook deliveries', () => {
    // Redelivery and the examples comparison read one delivery of each kind: push, pull_request opened and
    // synchronize, pull_request_review submitted and issue_comment created. Make them here.
    beforeAll(async () => {
      await sandbox.commit('feature/hooks', { 'hooks.txt': 'one\n' }, 'start hooks', { user: 'alice' });
      const { number } = await sandbox.openPullRequest({ head: 'feature/hooks', base: 'dev', user: 'alice', title: 'Hooks' });
      await sandbox.commit('feature/hooks', { 'hooks.txt': 'two\n' }, 'second', { user: 'alice' });
      await sandbox.submitReview({ pr: number, user: 'bob', state: 'approved' });
      await sandbox.addComment({ pr: number, user: 'rita', body: '/plan' });
    });

    test('GIVEN a delivery WHEN redelivered THEN the same body and delivery id arrive again with a valid signature', async () => {
      const original = sandbox.deliveries.find((d) => d.event === 'pull_request' && d.action === 'opened')!;
      const before = receiver.received.length;
      const again = await sandbox.redeliver(original.id);
      const [arrived] = receiver.received.slice(before);
      expect(again).toMatchObject({ id: original.id, redelivery: true, status: 200 });
      expect(arrived?.headers['x-github-delivery']).toBe(original.id);
      expect(arrived?.body).toBe(original.body);
      expect(await verify(SECRET, arrived!.body, String(arrived!.headers['x-hub-signature-256']))).toBe(true);
      expect(() => sandbox.redeliver('nope')).toThrow('no delivery nope');
    });

    test('GIVEN a forged delivery WHEN sent THEN its signature does not verify with the webhook secret', async () => {
      const before = receiver.received.length;
      await sandbox.sendForged('issue_comment', { action: 'created' });
      const [arrived] = receiver.received.slice(before);
      expect(await verify(SECRET, arrived!.body, String(arrived!.headers['x-hub-signature-256']))).toBe(false);
    });

    test('GIVEN every delivery so far WHEN examined THEN each was answered 200 and none broke the x-webhooks schema', async () => {
      await sandbox.idle();
      expect(sandbox.deliveries.filter((d) => d.status !== 200)).toEqual([]);
      expect(sandbox.violations.filter((v) => v.kind === 'webhook' || v.kind === 'response')).toEqual([]);
    });

    test('GIVEN @octokit/webhooks-examples WHEN compared with the sandbox payloads THEN every key the examples have is present', async () => {
      const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
        name: string;
        examples: Record<string, unknown>[];
      }[];
      const example = (event: string, action?: string) =>
        examples.find((e) => e.name === event)!.examples.find((x) => x.action === action)!;
      const ours = (event: string, action?: string) =>
        sandbox.deliveries.find((d) => d.event === event && d.action === action && !d.forged)!.payload;
      const missing = (theirs: Record<string, unknown>, mine: Record<string, unknown>) => Object.keys(theirs).filter((k) => !(k in mine));
      const cases: [string, string | undefined, string[]][] = [
        ['pull_request', 'opened', ['pull_request', 'repository', 'sender']],
        ['pull_request', 'synchronize', ['pull_request']],
        ['pull_request_review', 'submitted', ['review', 'pull_request']],
        ['issue_comment', 'created', ['issue', 'comment']],
        ['push', undefined, ['repository', 'head_commit']],
      ];
      for (const [event, action, nested] of cases) {
        const theirs = example(event, action);
        const mine = ours(event, action);
        expect({ event, action, missing: missing(theirs, mine).filter((k) => k !== 'organization' && k !== 'enterprise') }).toEqual({
          event,
          action,
          missing: [],
        });
        for (const key of nested) {
          expect({ event, key, missing: missing(theirs[key] as Record<string, unknown>, mine[key] as Record<string, unknown>) }).toEqual({
            event,
            key,
            missing: [],
          });
        }
      }
    });
  });
});
