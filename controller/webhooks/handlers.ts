// Webhook handlers: thin on purpose. Each one decides whether the event concerns the controller,
// claims the delivery id (a redelivery does nothing twice) and queues a job — no GitHub call, no
// git, nothing slow — so the HTTP answer goes out at once. When the job has ended the delivery is
// marked done; a claim whose controller died first is released at the next start. The work happens
// in controller/core; the sessions it works with come from the composition root. Pushes are queued per
// branch (their applies run in the order the pushes arrived), plans and comments per pull request.
import type { Context, Probot } from 'probot';
import type { ControllerCore } from '../core/controller.js';
import type { PlanTrigger } from '../core/plan-gate.js';
import type { PullRequestRef, RepoSession } from '../core/ports/session.js';
import type { DeliveryClaims } from '../core/ports/store.js';
import { parseCommand } from '../rules/commands.js';
import type { JobBoard } from './job-queue.js';
import { jobOf, type JobOrder } from './job-orders.js';
import type { ApplyRequest } from '../core/apply-run.js';
import type { CompletedRun } from '../actions/workflow-runs.js';
import { completedRunOf, pullRequestRef, pushRef, repositoryOf } from './payload.js';

type AnyContext = Context<'pull_request' | 'pull_request_review' | 'issue_comment' | 'push'>;

/** Takes a completed workflow run: true when a job was waiting for it (controller/actions/workflow-runs.ts). */
export interface CompletedRuns {
  completed(run: CompletedRun): boolean;
}

/** What a session is made from: the event's installation-authenticated Octokit, its logger and its installation. */
export type RepoContext = Pick<AnyContext, 'octokit' | 'log' | 'payload'>;

export interface HandlerDeps {
  readonly core: ControllerCore;
  readonly queue: JobBoard;
  readonly deliveries: DeliveryClaims;
  /** The session of the event's installation and repository (controller/compose.ts sessionsOf). */
  readonly sessions: (context: RepoContext, owner: string, repo: string) => RepoSession;
  /** The waits for dispatched plan-apply.yml runs. @default none: workflow_run events do nothing */
  readonly workflowRuns?: CompletedRuns;
}

/** Claims the delivery; false (and a log line) for a redelivery. */
async function claim(context: AnyContext, deps: HandlerDeps): Promise<boolean> {
  const event = `${context.name}.${(context.payload as { action?: string }).action ?? ''}`;
  if (await deps.deliveries.claimDelivery(context.id, event)) return true;
  context.log.info({ delivery: context.id, event }, 'delivery seen before; ignored');
  return false;
}

/** Marks the delivery done once its job has ended (the job queue's promise never rejects). */
function finishWhenDone(context: AnyContext, deps: HandlerDeps, job: Promise<void>): void {
  void job
    .then(() => deps.deliveries.finishDelivery(context.id))
    .catch((e: unknown) => context.log.error({ delivery: context.id, err: (e as Error).message }, 'delivery could not be marked done'));
}

/** Queues the order's job for the event's delivery, and marks the delivery done once the job has ended. */
function queueFor(context: AnyContext, deps: HandlerDeps, session: RepoSession, order: JobOrder): void {
  finishWhenDone(context, deps, deps.queue.enqueue(jobOf(deps.core, session, order, context.id)));
}

/** Queues a plan of the pull request; a newer plan of the same pull request supersedes it. Settles when the job has ended. */
export function queuePlan(
  deps: Pick<HandlerDeps, 'core' | 'queue'>,
  session: RepoSession,
  pr: PullRequestRef,
  trigger?: PlanTrigger,
): Promise<void> {
  return deps.queue.enqueue(jobOf(deps.core, session, { kind: 'plan', pr, ...(trigger ? { trigger } : {}) }));
}

/** Queues an approver's `/apply` behind the pushes to the same branch. */
export function queueApply(deps: Pick<HandlerDeps, 'core' | 'queue'>, session: RepoSession, request: ApplyRequest): Promise<void> {
  return deps.queue.enqueue(jobOf(deps.core, session, { kind: 'apply', request }));
}

/** A push to a branch: its apply is queued behind earlier pushes to the same branch. */
export async function onPush(context: Context<'push'>, deps: HandlerDeps): Promise<void> {
  const push = pushRef(context.name, context.payload);
  if (!push) return;
  if (!(await claim(context, deps))) return;
  queueFor(context, deps, deps.sessions(context, push.owner, push.repo), { kind: 'push', push });
}

/** A closed pull request: one closed without merging releases its lock tickets (a merged one is applied by its push). */
export async function onPullRequestClosed(context: Context<'pull_request.closed'>, deps: HandlerDeps): Promise<void> {
  const pr = pullRequestRef(context.name, context.payload);
  if (context.payload.pull_request.merged) return;
  if (!(await claim(context, deps))) return;
  queueFor(context, deps, deps.sessions(context, pr.owner, pr.repo), {
    kind: 'close',
    pr: { owner: pr.owner, repo: pr.repo, number: pr.number },
  });
}

export async function onPullRequest(context: Context<'pull_request'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.pull_request.state !== 'open') return;
  if (payload.action === 'edited' && !(payload.changes as { base?: unknown } | undefined)?.base) return;
  const pr = pullRequestRef(context.name, payload);
  if (!(await claim(context, deps))) return;
  queueFor(context, deps, deps.sessions(context, pr.owner, pr.repo), { kind: 'plan', pr });
}

export async function onReview(context: Context<'pull_request_review'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (payload.pull_request.state !== 'open') return;
  const pr = pullRequestRef(context.name, payload);
  if (!(await claim(context, deps))) return;
  queueFor(context, deps, deps.sessions(context, pr.owner, pr.repo), { kind: 'review', pr });
}

export async function onComment(context: Context<'issue_comment'>, deps: HandlerDeps): Promise<void> {
  const { payload } = context;
  if (!payload.issue.pull_request) return;
  // Ordinary conversation and comments by Apps (this one's included) are not commands: no claim, no job.
  if (payload.comment.user?.type === 'Bot') return;
  const command = parseCommand(payload.comment.body);
  if (command === undefined) return;
  // a closed pull request takes only the commands about what its merge left: /apply and /unlock
  if (payload.issue.state !== 'open' && command.kind !== 'apply' && command.kind !== 'unlock') return;
  const repo = repositoryOf(context.name, payload);
  if (!(await claim(context, deps))) return;
  const input = {
    owner: repo.owner,
    repo: repo.repo,
    pr: payload.issue.number,
    cloneUrl: repo.cloneUrl,
    command,
    sender: payload.comment.user?.login ?? '',
    senderType: payload.comment.user?.type ?? 'User',
  };
  queueFor(context, deps, deps.sessions(context, repo.owner, repo.repo), { kind: 'comment', input, commentId: payload.comment.id });
}

/**
 * A completed workflow run settles the job waiting for it; no claim and no job of its own (a redelivery finds
 * nothing waiting). A run nobody waits for (another workflow, a run dispatched by hand) is logged and left.
 */
export async function onWorkflowRun(context: Context<'workflow_run.completed'>, deps: Pick<HandlerDeps, 'workflowRuns'>): Promise<void> {
  const run = completedRunOf(context.name, context.payload);
  const taken = deps.workflowRuns?.completed(run) ?? false;
  context.log.info(
    { delivery: context.id, run: run.id, conclusion: run.conclusion, taken },
    taken ? 'workflow run completed' : 'workflow run not awaited; ignored',
  );
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.edited'], (c) =>
    onPullRequest(c, deps),
  );
  app.on(['pull_request_review.submitted', 'pull_request_review.dismissed'], (c) => onReview(c, deps));
  app.on('issue_comment.created', (c) => onComment(c, deps));
  app.on('pull_request.closed', (c) => onPullRequestClosed(c, deps));
  app.on('push', (c) => onPush(c, deps));
  app.on('workflow_run.completed', (c) => onWorkflowRun(c, deps));
}
