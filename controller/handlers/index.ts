// Webhook handlers: thin on purpose. Each one decides whether the event concerns the controller,
// claims the delivery id (a redelivery does nothing twice) and queues a job — no GitHub call, no
// git, nothing slow — so the HTTP answer goes out at once. The work happens in controller/core.
import type { Context, Probot } from 'probot';
import type { ControllerCore } from '../core/controller.js';
import { shortSha, type PullRequestRef, type RepoSession } from '../core/ports.js';
import { OctokitGitHubClient } from '../github/client.js';
import { parseCommand } from '../commands/commands.js';
import type { JobQueue } from '../webhooks/job-queue.js';
import { pullRequestKey, pullRequestRef, repositoryOf } from './payload.js';

export interface DeliveryClaims {
  /** False when the delivery id was seen before. */
  claimDelivery(id: string, event: string): boolean;
}

export interface HandlerDeps {
  readonly core: ControllerCore;
  readonly queue: JobQueue;
  readonly deliveries: DeliveryClaims;
  /** @default none: the sticky comment is found by its marker alone */
  readonly botLogin?: BotLogin;
}

type AnyContext = Context<'pull_request' | 'pull_request_review' | 'issue_comment'>;

type BotLogin = () => Promise<string | undefined>;

/** The App's bot login from GET /app (App JWT), asked once; a failure is asked again next time. */
function botLoginOf(app: Probot): BotLogin {
  let pending: Promise<string | undefined> | undefined;
  return () => {
    pending ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      return data?.slug ? `${data.slug}[bot]` : undefined;
    })().catch((e: unknown) => {
      pending = undefined;
      app.log.warn({ err: (e as Error).message }, 'GET /app failed; the sticky comment is found by its marker alone');
      return undefined;
    });
    return pending;
  };
}

function sessionFor(context: AnyContext, owner: string, repo: string, botLogin?: BotLogin): RepoSession {
  const octokit = context.octokit;
  return {
    github: new OctokitGitHubClient(octokit, owner, repo),
    async authToken() {
      const auth = (await octokit.auth({ type: 'installation' })) as { token?: string };
      return auth.token;
    },
    ...(botLogin ? { botLogin } : {}),
    log: context.log,
  };
}

/** Claims the delivery; false (and a log line) for a redelivery. */
function claim(context: AnyContext, deps: HandlerDeps): boolean {
  const event = `${context.name}.${(context.payload as { action?: string }).action ?? ''}`;
  if (deps.deliveries.claimDelivery(context.id, event)) return true;
  context.log.info({ delivery: context.id, event }, 'delivery seen before; ignored');
  return false;
}

function queuePlan(deps: HandlerDeps, session: RepoSession, pr: PullRequestRef): void {
  void deps.queue.enqueue({
    key: pullRequestKey(pr, pr.number),
    label: `plan of ${shortSha(pr.headSha)}`,
    supersedeGroup: 'plan',
    run: (signal) => deps.core.pullRequestChanged(session, pr, signal),
  });
}

export async function onPullRequest(context: Context<'pull_request'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.pull_request.state !== 'open') return;
  if (payload.action === 'edited' && !(payload.changes as { base?: unknown } | undefined)?.base) return;
  const pr = pullRequestRef(context.name, payload);
  if (!claim(context, deps)) return;
  queuePlan(deps, sessionFor(context, pr.owner, pr.repo, deps.botLogin), pr);
}

export async function onReview(context: Context<'pull_request_review'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.pull_request.state !== 'open') return;
  const pr = pullRequestRef(context.name, payload);
  if (!claim(context, deps)) return;
  const session = sessionFor(context, pr.owner, pr.repo, deps.botLogin);
  void deps.queue.enqueue({
    key: pullRequestKey(pr, pr.number),
    label: `approvals of ${shortSha(pr.headSha)}`,
    run: () => deps.core.reviewChanged(session, pr),
  });
}

export async function onComment(context: Context<'issue_comment'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (!payload.issue.pull_request || payload.issue.state !== 'open') return;
  // Ordinary conversation and comments by Apps (this one's included) are not commands: no claim, no job.
  if (payload.comment.user?.type === 'Bot' || parseCommand(payload.comment.body) === undefined) return;
  const repo = repositoryOf(context.name, payload);
  if (!claim(context, deps)) return;
  const session = sessionFor(context, repo.owner, repo.repo, deps.botLogin);
  const n = payload.issue.number;
  const input = {
    owner: repo.owner,
    repo: repo.repo,
    pr: n,
    body: payload.comment.body,
    sender: payload.comment.user?.login ?? '',
    senderType: payload.comment.user?.type ?? 'User',
  };
  void deps.queue.enqueue({
    key: pullRequestKey(repo, n),
    label: `comment ${payload.comment.id}`,
    run: async () => {
      const outcome = await deps.core.commentCreated(session, input);
      if (outcome.action !== 'plan') return;
      const info = await session.github.getPullRequest(n);
      if (info.state !== 'open') return;
      queuePlan(deps, session, {
        owner: repo.owner,
        repo: repo.repo,
        number: n,
        headRef: info.headRef,
        headSha: info.headSha,
        baseRef: info.baseRef,
        baseSha: info.baseSha,
        cloneUrl: repo.cloneUrl,
        author: info.author,
      });
    },
  });
}

export function registerHandlers(app: Probot, given: HandlerDeps): void {
  const deps: HandlerDeps = { botLogin: botLoginOf(app), ...given };
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.edited'], (c) =>
    onPullRequest(c, deps),
  );
  app.on(['pull_request_review.submitted', 'pull_request_review.dismissed'], (c) => onReview(c, deps));
  app.on('issue_comment.created', (c) => onComment(c, deps));
}
