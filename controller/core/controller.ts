// The release controller's entry points, free of Probot: the webhook handlers turn payloads into
// PullRequestRefs and parsed commands and call these inside queued jobs. Each step below writes one
// check (see check-names.ts); tests drive them with in-memory doubles; the webhook-ack bench swaps
// in a no-op ControllerCore.
import type { PolicySettings } from '../../modules/policy/engine.js';
import { evaluateBranchRules } from '../rules/branch-rules.js';
import { validateBranchName } from '../rules/branch-name.js';
import { checkApprovals, refreshPromotionGates } from './approvals-check.js';
import { checkBranchRules } from './branch-check.js';
import { runCommand, type CommandOutcome, type CommentInput, type UnlockResult } from './comment-commands.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import { runPlan, type PlanDeps } from './plan-check.js';
import { currentPullRequest, mayRunCode, waitForWriter, type PlanTrigger } from './plan-gate.js';
import type { Clock, PullRequestRef, RepoSession } from './ports/session.js';
import type { Locks, PlanRecords, ReplyLimits } from './ports/store.js';

export interface ControllerCore {
  /**
   * opened / synchronize / reopened / base edited / `/plan`: branch rules, approvals, plan and policy check, for the
   * pull request's current head only; the code is planned when its author may push or a writer asked (`trigger`).
   */
  pullRequestChanged(session: RepoSession, pr: PullRequestRef, signal: AbortSignal, trigger?: PlanTrigger): Promise<void>;
  /** A review was submitted or dismissed: the approvals check of the current head. */
  reviewChanged(session: RepoSession, pr: PullRequestRef): Promise<void>;
  /** A command in a comment on a pull request (`/plan` queues a re-plan through `replan`). */
  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome>;
}

/** Queues a plan of the pull request as a job of its own (a newer one supersedes it); never waits for it. */
export type Replan = (session: RepoSession, pr: PullRequestRef, trigger: PlanTrigger) => void;

export interface ReleaseControllerOptions extends PlanDeps {
  readonly store: PlanRecords & Pick<Locks, 'getLock' | 'releaseLock'> & ReplyLimits;
  /** The time refusal replies are counted at. @default systemClock */
  readonly clock?: Clock;
  /** How `/plan` queues a plan; the composition root queues it like a push would. */
  readonly replan: Replan;
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

  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome> {
    return runCommand(session, input, {
      plan: (s, i) => this.replan(s, i),
      unlock: (s, i, env) => this.unlock(s, i, env),
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

  private async unlock(session: RepoSession, input: CommentInput, environment: string | undefined): Promise<UnlockResult> {
    let env = environment;
    if (env === undefined) {
      const pr = await session.github.getPullRequest(input.pr);
      env = (await this.target(session, pr))?.environment.name;
      if (env === undefined) throw new Error('this pull request targets no environment; name one: /unlock <env>');
    }
    const lock = this.opts.store.getLock(env);
    if (!lock) return { environment: env, released: false };
    if (lock.pr !== input.pr) return { environment: env, released: false, heldBy: lock.pr === null ? lock.holder : `#${lock.pr}` };
    this.opts.store.releaseLock(env, lock.holder);
    session.log.info({ environment: env, pr: input.pr, by: input.sender }, 'lock released by /unlock');
    return { environment: env, released: true };
  }
}
