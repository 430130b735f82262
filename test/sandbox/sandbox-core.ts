// The sandbox's behaviour behind the REST routes and the test helpers alike: GitHub's rules for pull
// requests, reviews and comments, what happens after refs move, and which webhooks go out.
// Events are queued, never awaited by a REST call: an app handler that calls the API while its own
// webhook delivery is open must not wait for the next delivery (that would deadlock).
import type { AppAuthority } from './auth.js';
import type { ApiHost, RequestLogEntry, Violation } from './api.js';
import type { RefUpdate, ReviewEvent, SandboxContext } from './context.js';
import { completeRun, workflowRunPayload, type WorkflowRunRecord } from './actions.js';
import { pushPayload } from './events.js';
import { isoSeconds, ZERO_SHA, type BareRepo } from './git.js';
import { validationFailed } from './http.js';
import { Mutex } from './mutex.js';
import type { OpenApiDescription } from './openapi-validator.js';
import { commentJson, issueJson, pullJson, reviewJson, type PullFacts } from './representations-pulls.js';
import { nodeId, repoJson, userJson, type Site } from './representations.js';
import { SandboxState, type CommentRecord, type PullRecord, type ReviewRecord } from './state.js';
import { WebhookSender } from './webhooks.js';

const REVIEW_STATES: Record<Exclude<ReviewEvent, 'PENDING'>, ReviewRecord['state']> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

export class SandboxCore implements SandboxContext, ApiHost {
  readonly state = new SandboxState();
  readonly violations: Violation[] = [];
  readonly requests: RequestLogEntry[] = [];
  readonly repoLock = new Mutex();
  readonly webhooks: WebhookSender;
  readonly context: SandboxContext = this;
  private readonly inflight = new Set<Promise<unknown>>();
  private pushedAt = isoSeconds();

  constructor(
    readonly site: Site,
    readonly repo: BareRepo,
    readonly authority: AppAuthority,
    readonly openapi: OpenApiDescription,
    webhook: { url: string | undefined; secret: string; timeoutMs?: number },
  ) {
    this.webhooks = new WebhookSender({
      ...webhook,
      appId: site.appId,
      host: new URL(site.url).host,
      validate: (event, action, payload) => openapi.validateWebhook(event, action, payload),
      onInvalid: (delivery, problems) =>
        this.violations.push({
          kind: 'webhook',
          method: 'POST',
          path: `webhook ${delivery.event}${delivery.action ? `.${delivery.action}` : ''}`,
          operationId: undefined,
          message: problems.join('; '),
        }),
    });
  }

  get botLogin(): string {
    return `${this.site.appSlug}[bot]`;
  }

  repoJson(): Record<string, unknown> {
    return repoJson(this.site, { pushedAt: this.pushedAt, openIssues: this.state.pulls.filter((p) => p.state === 'open').length });
  }

  async pullFacts(pr: PullRecord): Promise<PullFacts> {
    const mergeBase = (await this.repo.mergeBase(pr.baseSha, pr.headSha)) ?? pr.baseSha;
    const files = await this.repo.diff(mergeBase, pr.headSha);
    return {
      commits: await this.repo.count(`${pr.baseSha}..${pr.headSha}`),
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      changedFiles: files.length,
      mergeable: pr.state === 'open' ? await this.repo.mergeable(pr.baseSha, pr.headSha) : null,
    };
  }

  async pullJson(pr: PullRecord, simple = false): Promise<Record<string, unknown>> {
    const facts = simple ? { commits: 0, additions: 0, deletions: 0, changedFiles: 0, mergeable: null } : await this.pullFacts(pr);
    return pullJson(this.site, this.state, pr, facts, this.repoJson());
  }

  async updateRef(ref: string, sha: string, expected: string, actor: string): Promise<boolean> {
    return this.repoLock.run(async () => {
      const before = await this.repo.refs();
      if ((await this.repo.updateRef(ref, sha, expected)).code !== 0) return false;
      this.track(this.refsChanged([{ ref, before: expected, after: sha }], actor, before));
      return true;
    });
  }

  /** Runs a git push under the repository lock, then reacts to whatever refs it moved. */
  async aroundPush(actor: string, push: () => Promise<void>): Promise<void> {
    await this.repoLock.run(async () => {
      const before = await this.repo.refs();
      await push();
      const after = await this.repo.refs();
      const changes: RefUpdate[] = [];
      for (const ref of new Set([...before.keys(), ...after.keys()])) {
        const was = before.get(ref) ?? ZERO_SHA;
        const now = after.get(ref) ?? ZERO_SHA;
        if (was !== now) changes.push({ ref, before: was, after: now });
      }
      if (changes.length) this.track(this.refsChanged(changes, actor, before));
    });
  }

  /** What GitHub does after refs move: pull request heads/bases follow, push and synchronize go out. */
  private async refsChanged(changes: RefUpdate[], actor: string, refsBefore: Map<string, string>): Promise<void> {
    this.pushedAt = isoSeconds();
    for (const change of changes) {
      const branch = change.ref.startsWith('refs/heads/') ? change.ref.slice('refs/heads/'.length) : undefined;
      const moved: { pr: PullRecord; before: string }[] = [];
      const closed: PullRecord[] = [];
      for (const pr of this.state.pulls.filter((p) => p.state === 'open' && branch !== undefined)) {
        if (pr.baseRef === branch && change.after !== ZERO_SHA) pr.baseSha = change.after;
        if (pr.headRef !== branch) continue;
        if (change.after === ZERO_SHA) {
          pr.state = 'closed';
          pr.closedAt = isoSeconds();
          closed.push(pr);
        } else {
          moved.push({ pr, before: pr.headSha });
          pr.headSha = change.after;
          pr.updatedAt = isoSeconds();
        }
      }
      const user = this.state.user(actor);
      const payload = await pushPayload(
        this.site,
        this.repo,
        {
          ...change,
          pusher: { name: actor, email: `${actor}@users.noreply.sandbox.test` },
          otherTips: [...refsBefore.entries()].filter(([ref]) => ref !== change.ref).map(([, sha]) => sha),
        },
        { repository: this.repoJson(), sender: userJson(this.site, user), installation: this.installationRef() },
      );
      void this.webhooks.send('push', payload);
      for (const { pr, before } of moved) await this.sendPullEvent(pr, 'synchronize', actor, { before, after: pr.headSha });
      for (const pr of closed) await this.sendPullEvent(pr, 'closed', actor);
    }
  }

  async createPull(input: {
    head: string;
    base: string;
    title: string;
    body: string | null;
    user: string;
    draft: boolean;
  }): Promise<PullRecord> {
    const headSha = await this.repo.branchSha(input.head);
    const baseSha = await this.repo.branchSha(input.base);
    if (!headSha) throw validationFailed('PullRequest', 'head', `head branch ${input.head} does not exist`);
    if (!baseSha) throw validationFailed('PullRequest', 'base', `base branch ${input.base} does not exist`);
    if (input.head === input.base) throw validationFailed('PullRequest', 'base', `head and base are both ${input.base}`);
    if (this.state.pulls.some((p) => p.state === 'open' && p.headRef === input.head && p.baseRef === input.base)) {
      throw validationFailed('PullRequest', 'head', `A pull request already exists for ${this.site.owner}:${input.head}.`);
    }
    if ((await this.repo.count(`${baseSha}..${headSha}`)) === 0) {
      throw validationFailed('PullRequest', 'head', `No commits between ${input.base} and ${input.head}`);
    }
    const now = isoSeconds();
    const pr: PullRecord = {
      number: this.state.newIssueNumber(),
      id: this.state.newId(),
      title: input.title,
      body: input.body,
      user: input.user,
      headRef: input.head,
      headSha,
      baseRef: input.base,
      baseSha,
      state: 'open',
      draft: input.draft,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      labels: [],
      assignees: [],
      requestedReviewers: [],
      requestedTeams: [],
    };
    this.state.pulls.push(pr);
    await this.sendPullEvent(pr, 'opened', input.user);
    return pr;
  }

  async sendPullEvent(pr: PullRecord, action: string, sender: string, extra: Record<string, unknown> = {}): Promise<void> {
    const payload = { action, number: pr.number, ...extra, pull_request: await this.pullJson(pr), ...this.common(sender) };
    void this.webhooks.send('pull_request', payload);
  }

  async submitReview(input: { pr: PullRecord; user: string; event: ReviewEvent; body: string; commitId?: string }): Promise<ReviewRecord> {
    const { pr, user, event, body } = input;
    if (event !== 'PENDING' && event !== 'COMMENT' && user === pr.user) {
      const verb = event === 'APPROVE' ? 'approve' : 'request changes on';
      throw validationFailed('PullRequestReview', 'event', `Can not ${verb} your own pull request`);
    }
    if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !body.trim()) {
      throw validationFailed('PullRequestReview', 'body', `body is needed for ${event}`);
    }
    const commitId = input.commitId ?? pr.headSha;
    if ((await this.repo.resolveCommit(commitId)) !== commitId)
      throw validationFailed('PullRequestReview', 'commit_id', `No commit found for SHA: ${commitId}`);
    const review: ReviewRecord = {
      id: this.state.newId(),
      pullNumber: pr.number,
      user,
      state: event === 'PENDING' ? 'PENDING' : REVIEW_STATES[event],
      body,
      commitId,
      submittedAt: isoSeconds(),
    };
    this.state.reviews.push(review);
    if (review.state !== 'PENDING') {
      const pullRequest = await this.pullJson(pr, true);
      void this.webhooks.send('pull_request_review', {
        action: 'submitted',
        review: reviewJson(this.site, this.state, review, true),
        pull_request: pullRequest,
        ...this.common(user),
      });
    }
    return review;
  }

  async addComment(pr: PullRecord, user: string, body: string): Promise<CommentRecord> {
    const now = isoSeconds();
    const comment: CommentRecord = { id: this.state.newId(), issueNumber: pr.number, user, body, createdAt: now, updatedAt: now };
    this.state.comments.push(comment);
    void this.webhooks.send('issue_comment', {
      action: 'created',
      issue: issueJson(this.site, this.state, pr),
      comment: commentJson(this.site, this.state, comment),
      ...this.common(user),
    });
    return comment;
  }

  async sendCommentEdited(pr: PullRecord, comment: CommentRecord, previousBody: string, sender: string): Promise<void> {
    void this.webhooks.send('issue_comment', {
      action: 'edited',
      changes: { body: { from: previousBody } },
      issue: issueJson(this.site, this.state, pr),
      comment: commentJson(this.site, this.state, comment),
      ...this.common(sender),
    });
  }

  /** Completes a dispatched run (conclusion, artifacts) and sends workflow_run.completed. */
  async completeWorkflowRun(run: WorkflowRunRecord, conclusion: string, artifacts?: Record<string, Record<string, string>>): Promise<void> {
    completeRun(this.state, run, conclusion, artifacts);
    const actor = this.state.user(run.actor);
    const payload = await workflowRunPayload(this.site, this.repo, run, this.common(run.actor), actor);
    void this.webhooks.send('workflow_run', payload);
  }

  /** Resolves once every queued reaction (push analysis, webhook delivery) has finished. */
  async idle(): Promise<void> {
    // A push holds the lock until its ref changes are tracked; the git client may already have exited.
    await this.repoLock.run(async () => undefined);
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.webhooks.idle();
    if (this.inflight.size) await this.idle();
  }

  track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => {
      this.violations.push({
        kind: 'response',
        method: '-',
        path: 'sandbox',
        operationId: undefined,
        message: `background work failed: ${String(error)}`,
      });
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  installationRef(): Record<string, unknown> {
    return { id: this.site.installationId, node_id: nodeId('Installation', this.site.installationId) };
  }

  private common(sender: string): Record<string, unknown> {
    return { repository: this.repoJson(), sender: userJson(this.site, this.state.user(sender)), installation: this.installationRef() };
  }
}
