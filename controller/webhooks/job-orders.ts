// What a queued job does, as data: the handlers and the core's re-queues describe each job as an
// order, and jobOf turns an order and a session into the job the queue runs. The order is plain JSON,
// so a replica that shares its jobs through the database stores it, and any replica rebuilds the same
// job from it (with a session of the same installation).
import type { ControllerCore } from '../core/controller.js';
import type { ApplyRequest } from '../core/apply-run.js';
import type { PushRef } from '../core/apply-push.js';
import type { CommentInput } from '../core/comment-commands.js';
import type { PlanTrigger } from '../core/plan-gate.js';
import { shortSha, type PullRequestRef, type RepoSession } from '../core/ports/session.js';
import type { JobSpec } from './job-queue.js';
import { pullRequestKey } from './payload.js';

export type JobOrder =
  | { readonly kind: 'plan'; readonly pr: PullRequestRef; readonly trigger?: PlanTrigger }
  | { readonly kind: 'review'; readonly pr: PullRequestRef }
  | { readonly kind: 'close'; readonly pr: Pick<PullRequestRef, 'owner' | 'repo' | 'number'> }
  | { readonly kind: 'comment'; readonly input: CommentInput; readonly commentId: number }
  | { readonly kind: 'push'; readonly push: PushRef }
  | { readonly kind: 'apply'; readonly request: ApplyRequest };

export const JOB_KINDS: readonly JobOrder['kind'][] = ['plan', 'review', 'close', 'comment', 'push', 'apply'];

/** The order of a queued job with what any replica needs to run it. */
export interface PortableJob {
  readonly order: JobOrder;
  /** The installation the job acts for; without one only the accepting process can run it. @default unknown */
  readonly installationId?: number;
  /** The delivery the job came from. @default none */
  readonly delivery?: string;
}

/** Serialization key of the applies of one branch: pushes to it apply in the order they arrived. */
export const branchKey = (r: { owner: string; repo: string }, branch: string): string => `${r.owner}/${r.repo}:branch:${branch}`;

/** The repository an order is about. */
export function repositoryOfOrder(order: JobOrder): { owner: string; repo: string } {
  const { owner, repo } =
    order.kind === 'push' ? order.push : order.kind === 'apply' ? order.request : order.kind === 'comment' ? order.input : order.pr;
  return { owner, repo };
}

/** The job of an order, run with `session`. */
export function jobOf(core: ControllerCore, session: RepoSession, order: JobOrder, delivery?: string): JobSpec {
  const portable: PortableJob = {
    order,
    ...(session.installationId !== undefined ? { installationId: session.installationId } : {}),
    ...(delivery !== undefined ? { delivery } : {}),
  };
  switch (order.kind) {
    case 'plan':
      return {
        key: pullRequestKey(order.pr, order.pr.number),
        label: `plan of ${shortSha(order.pr.headSha)}`,
        supersedeGroup: 'plan',
        portable,
        run: (signal) => core.pullRequestChanged(session, order.pr, signal, order.trigger),
      };
    case 'review':
      return {
        key: pullRequestKey(order.pr, order.pr.number),
        label: `approvals of ${shortSha(order.pr.headSha)}`,
        portable,
        run: () => core.reviewChanged(session, order.pr),
      };
    case 'close':
      return {
        key: pullRequestKey(order.pr, order.pr.number),
        label: `close of #${order.pr.number}`,
        portable,
        run: () => core.pullRequestClosed(session, order.pr, false),
      };
    case 'comment':
      return {
        key: pullRequestKey(order.input, order.input.pr),
        label: `comment ${order.commentId}`,
        portable,
        run: async () => void (await core.commentCreated(session, order.input)),
      };
    case 'push':
      return {
        key: branchKey(order.push, order.push.branch),
        label: `push of ${shortSha(order.push.after)} to ${order.push.branch}`,
        portable,
        run: (signal) => core.pushed(session, order.push, signal),
      };
    case 'apply':
      return {
        key: branchKey(order.request, order.request.environment.branch),
        label: `apply of ${shortSha(order.request.sha)} to ${order.request.environment.name}`,
        portable,
        run: (signal) => core.applyApproved(session, order.request, signal),
      };
  }
}

/** An order read back from the database: the kind must be one this controller knows. */
export function parseOrder(json: string, label: string): JobOrder {
  const order = JSON.parse(json) as { kind?: unknown };
  if (order === null || typeof order !== 'object' || !JOB_KINDS.includes(order.kind as JobOrder['kind'])) {
    throw new Error(`job "${label}": its order has kind ${JSON.stringify(order?.kind)}; expected one of ${JOB_KINDS.join(', ')}`);
  }
  return order as JobOrder;
}
