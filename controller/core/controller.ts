// The release controller's flows, free of Probot: the webhook handlers turn payloads into
// PullRequestRefs and call these inside queued jobs. Tests drive them with in-memory fakes; the
// webhook-ack bench swaps in a no-op ControllerCore.
import { evaluateBranchPolicy } from '../rules/branch-policy.js';
import { validateBranchName } from '../rules/branch-name.js';
import { loadEnvironmentsAt } from '../config/load-at-ref.js';
import { checkApprovals } from './approvals.js';
import { checkBranchPolicy } from './branch-policy.js';
import { runCommand, type CommandOutcome, type CommentInput, type UnlockResult } from './commands.js';
import { runPlan, type PlanDeps } from './plan.js';
import type { LockRecords, PlanRecords, PullRequestRef, RepoSession } from './ports.js';

export interface ControllerCore {
  /** opened / synchronize / reopened / base edited / `/plan`: branch policy, approvals, plan and policy gate. */
  pullRequestChanged(session: RepoSession, pr: PullRequestRef, signal: AbortSignal): Promise<void>;
  /** A review was submitted or dismissed: the approvals check of the current head. */
  reviewChanged(session: RepoSession, pr: PullRequestRef): Promise<void>;
  /** A comment on a pull request; the outcome tells the handler whether to queue a plan. */
  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome>;
}

export interface ReleaseControllerOptions extends PlanDeps {
  readonly store: PlanRecords & LockRecords;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
}

export class ReleaseController implements ControllerCore {
  constructor(private readonly opts: ReleaseControllerOptions) {}

  async pullRequestChanged(session: RepoSession, pr: PullRequestRef, signal: AbortSignal): Promise<void> {
    const branch = await checkBranchPolicy(session, pr, this.opts.envDir);
    if (!branch.ok || !branch.environment || !branch.verdict) return;
    if (branch.verdict.action === 'deploy' && !signal.aborted) {
      await checkApprovals(session, pr, branch.environment, pr.author);
    }
    // the environment was read at the base: its policy level and waivers cannot come from the pull request
    await runPlan(session, pr, branch.environment.name, signal, this.opts, { policy: branch.environment.policy });
  }

  async reviewChanged(session: RepoSession, pr: PullRequestRef): Promise<void> {
    // Branch names were reported by the branch-policy check already; an invalid one gets no approvals check.
    if (validateBranchName(pr.headRef) || validateBranchName(pr.baseRef)) return;
    const target = await this.target(session, pr);
    if (target?.action !== 'deploy') return;
    await checkApprovals(session, pr, target.environment, pr.author);
  }

  commentCreated(session: RepoSession, input: CommentInput): Promise<CommandOutcome> {
    return runCommand(session, input, { unlock: (s, i, env) => this.unlock(s, i, env) });
  }

  /** The environment a pull request targets, by the environment files at its base; undefined when none. */
  private async target(session: RepoSession, pr: Pick<PullRequestRef, 'headRef' | 'baseRef' | 'baseSha'>) {
    const loaded = await loadEnvironmentsAt(session.github, pr.baseSha, this.opts.envDir);
    if (!loaded.ok) return undefined;
    const verdict = evaluateBranchPolicy({ head: pr.headRef, base: pr.baseRef, environments: loaded.environments });
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
