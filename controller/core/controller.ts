// The release controller's entry points, free of Probot: the webhook handlers turn payloads into
// PullRequestRefs and parsed commands and call these inside queued jobs. Each step below writes one
// check (see check-names.ts); tests drive them with in-memory doubles; the webhook-ack bench swaps
// in a no-op ControllerCore.
import type { PolicySettings } from '../../modules/policy/engine.js';
import { evaluateBranchRules } from '../rules/branch-rules.js';
import { validateBranchName } from '../rules/branch-name.js';
import { checkApprovals, refreshPromotionGates } from './approvals-check.js';
import { checkBranchRules } from './branch-check.js';
import { isApprover } from './apply-approver.js';
import { applyCommand, applyPush, type PushRef, type QueueApply } from './apply-push.js';
import { runApply, type ApplyDeps, type ApplyRequest } from './apply-run.js';
import { runCommand, type CommandOutcome, type CommentInput, type UnlockResult } from './comment-commands.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import { runPlan, type PlanDeps } from './plan-check.js';
import { currentPullRequest, mayRunCode, waitForWriter, type PlanTrigger } from './plan-gate.js';
import type { Clock, PullRequestRef, RepoSession } from './ports/session.js';
import type { PlanRecords, ReplyLimits } from './ports/store.js';

export interface ControllerCore {
  /**
   * opened / synchronize / reopened / base edited / `/plan`: branch rules, approvals, plan and policy check, for the
   * pull request's current head only; the code is planned when its author may push or a writer asked (`trigger`).
   */
  pullRequestChanged(session: RepoSession, pr: PullRequestRef, signal: AbortSignal, trigger?: PlanTrigger): Promise<void>;
  /** A review was submitted or dismissed: the approvals check of the current head. */
  reviewChanged(session: RepoSession, pr: PullRequestRef): Promise<void>;
  /** A command in a comment on a pull request (`/plan` queues a re-plan through `replan`, `/apply` an apply through `queueApply`). */
  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome>;
  /** A push to a branch: applies the environment deployed from it (core/apply-push.ts). */
  pushed(session: RepoSession, push: PushRef, signal: AbortSignal): Promise<void>;
  /** An apply an approver's `/apply` queued. */
  applyApproved(session: RepoSession, request: ApplyRequest, signal: AbortSignal): Promise<void>;
  /** A pull request was closed; one closed without merging gives up its lock tickets. */
  pullRequestClosed(session: RepoSession, pr: Pick<PullRequestRef, 'owner' | 'repo' | 'number'>, merged: boolean): Promise<void>;
}

/** Queues a plan of the pull request as a job of its own (a newer one supersedes it); never waits for it. */
export type Replan = (session: RepoSession, pr: PullRequestRef, trigger: PlanTrigger) => void;

export interface ReleaseControllerOptions extends PlanDeps, Omit<ApplyDeps, 'store' | 'planner' | 'envDir'> {
  readonly store: PlanRecords & ApplyDeps['store'] & ReplyLimits;
  /** The time refusal replies are counted at. @default systemClock */
  readonly clock?: Clock;
  /** How `/plan` queues a plan; the composition root queues it like a push would. */
  readonly replan: Replan;
  /** How `/apply` queues an apply; the composition root queues it like a push. @default `/apply` is refused */
  readonly queueApply?: QueueApply;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
}

export class ReleaseController implements ControllerCore {
  constructor(private readonly opts: ReleaseControllerOptions) {}

  async pullRequestChanged(session: RepoSession, pr: PullRequestRef, signal: AbortSignal, trigger: PlanTrigger = {}): Promise<void> {
    const now = await currentPullRequest(session, pr);
    if (!now.current) {
      session.log.info({ pr: pr.number, head: pr.headSha, reason: now.reason }, 'event no longer concerns the pull request; nothing done');
      return;
    }
    const branch = await checkBranchRules(session, pr, this.opts.envDir);
    if (!branch.ok || !branch.environment || !branch.verdict) return;
    if (branch.verdict.action === 'deploy' && !signal.aborted) {
      await checkApprovals(session, pr, branch.environment, this.opts.store);
    }
    if (!(await mayRunCode(session, now.info, trigger))) return waitForWriter(session, pr, now.info.author, branch.environment.name);
    // the environment was read at the base: its policy level and waivers cannot come from the pull request
    const policy: PolicySettings = branch.environment.policy;
    const planned = await runPlan(session, pr, branch.environment.name, signal, this.opts, { policy, envDir: this.opts.envDir });
    if (planned.status !== 'superseded') await refreshPromotionGates(session, pr, branch.environment, this.opts.store);
  }

  async reviewChanged(session: RepoSession, pr: PullRequestRef): Promise<void> {
    // Branch names were reported by the branch-rules check already; an invalid one gets no approvals check.
    if (validateBranchName(pr.headRef) || validateBranchName(pr.baseRef)) return;
    const target = await this.target(session, pr);
    if (target?.action !== 'deploy') return;
    await checkApprovals(session, pr, target.environment, this.opts.store);
  }

  async pushed(session: RepoSession, push: PushRef, signal: AbortSignal): Promise<void> {
    const outcome = await applyPush(session, push, signal, this.opts);
    if (outcome.action === 'ignored')
      session.log.info({ branch: push.branch, after: push.after, reason: outcome.reason }, 'push applies nothing');
  }

  async applyApproved(session: RepoSession, request: ApplyRequest, signal: AbortSignal): Promise<void> {
    await runApply(session, request, signal, this.opts);
  }

  async pullRequestClosed(session: RepoSession, pr: Pick<PullRequestRef, 'owner' | 'repo' | 'number'>, merged: boolean): Promise<void> {
    if (merged) return; // its push applies it; the apply holds and releases its own ticket
    const released = await this.opts.store.releaseLocksOf(`${pr.owner}/${pr.repo}`, pr.number);
    if (released.length > 0)
      session.log.info({ pr: pr.number, released: released.map((t) => t.environment) }, 'closed pull request released its locks');
  }

  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome> {
    const queueApply = this.opts.queueApply;
    return runCommand(session, input, {
      plan: (s, i) => this.replan(s, i),
      unlock: (s, i, env) => this.unlock(s, i, env),
      ...(queueApply ? { apply: (s: RepoSession, i: CommentInput) => applyCommand(s, i, this.opts, queueApply) } : {}),
      replyLimits: this.opts.store,
      clock: this.opts.clock,
    });
  }

  /** `/plan` by a writer: the pull request as it is now (the comment's payload carries no SHAs), if it is still open. */
  private async replan(session: RepoSession, input: CommentInput): Promise<void> {
    const info = await session.github.getPullRequest(input.pr);
    if (info.state !== 'open') return;
    this.opts.replan(
      session,
      {
        owner: input.owner,
        repo: input.repo,
        number: input.pr,
        headRef: info.headRef,
        headSha: info.headSha,
        baseRef: info.baseRef,
        baseSha: info.baseSha,
        cloneUrl: input.cloneUrl,
        author: info.author,
      },
      { approvedBy: input.sender },
    );
  }

  /** The environment a pull request targets, by the environment files at its base; undefined when none. */
  private async target(session: RepoSession, pr: Pick<PullRequestRef, 'headRef' | 'baseRef' | 'baseSha'>) {
    const loaded = await loadEnvironmentsAt(session.github, pr.baseSha, this.opts.envDir);
    if (!loaded.ok) return undefined;
    const verdict = evaluateBranchRules({ head: pr.headRef, base: pr.baseRef, environments: loaded.environments });
    const environment = loaded.environments.find((e) => e.name === verdict.environment);
    return verdict.allowed && environment ? { action: verdict.action, environment } : undefined;
  }

  /** `/unlock [env]` by an approver of the environment: releases whoever holds its lock (a stuck apply). */
  private async unlock(session: RepoSession, input: CommentInput, environment: string | undefined): Promise<UnlockResult> {
    const pr = await session.github.getPullRequest(input.pr);
    let env = environment;
    if (env === undefined) {
      env = (await this.target(session, pr))?.environment.name;
      if (env === undefined) throw new Error('this pull request targets no environment; name one: /unlock <env>');
    }
    // the approvers are read where the rules are: at the pull request's base
    if (!(await isApprover(session, env, input.sender, pr.baseSha, this.opts.envDir))) return { environment: env, refused: true };
    const repo = `${input.owner}/${input.repo}`;
    const lock = await this.opts.store.getLock(repo, env);
    if (!lock) return { environment: env };
    const released = await this.opts.store.releaseLock(lock.id);
    session.log.info({ environment: env, pr: input.pr, by: input.sender, holder: lock.holder }, 'lock released by /unlock');
    return { environment: env, ...(released ? { released } : {}) };
  }
}
