// One apply of an environment at one commit: the `gitops/apply/<env>` check and the GitHub deployment
// (in_progress → success / failure, the check run as its log), the environment's lock (first come,
// first served), a re-plan of the commit whose saved plans are kept, the comparison with the plan that
// was reviewed, and, when they are equal, exactly those saved plans applied stack by stack in order,
// each stack a run in the store. When they differ nothing is applied: the deployment fails and the pull
// request is told the difference. Back-sync's own push (the branch rebased onto the trunk, whose changes
// were reviewed and applied there) has no reviewed plan: its re-plan is applied as it is. The saved plans
// (they hold secrets) are deleted when the job ends,
// whatever happened. The store records the apply, its check, deployment and lock ticket as soon as each
// exists, so a restarted controller can finish them (core/apply-recovery.ts).
import type { Environment } from '../../environments/schema.js';
import { applyCheckOutput, applySection, planDiffersComment, withApplySection, type ApplyPhase } from '../comment/apply.js';
import { repositoryWebUrl } from '../comment/escape.js';
import { errorLine, fitText, fitTitle } from '../comment/limits.js';
import { COMMENT_MARKER } from '../comment/templates.js';
import { comparePlans, type StackDifference } from './apply-compare.js';
import { originOf, unappliedBeforeBackSync } from './apply-back-sync.js';
import { holdLock, type HeldLock } from './apply-lock.js';
import { listedOrder, runInOrder, wavesOrder, type ApplyOrder, type StepResult } from './apply-order.js';
import type { PlanReport } from './ports/plan-report.js';
import type { Planner, PlanToApply } from './ports/planner.js';
import type { TerraformCredentials } from './ports/terraform.js';
import { shortSha, type RepoSession } from './ports/session.js';
import type {
  AbandonedPlans,
  ApplyRecord,
  ApplyRecords,
  ApplyStatus,
  Locks,
  PlanRecord,
  PlanRecords,
  RunRecords,
  SyncPush,
  SyncPushes,
} from './ports/store.js';

export const applyCheckName = (environment: string): string => `gitops/apply/${environment}`;

/** Called once an environment was applied successfully at `sha` (promotion and back-sync hook in here). */
export type AfterApply = (session: RepoSession, environment: Environment, sha: string, cloneUrl: string) => Promise<void>;

export interface ApplyDeps {
  readonly store: Pick<PlanRecords, 'savePlan'> &
    Pick<AbandonedPlans, 'plansOfHead'> &
    RunRecords &
    Locks &
    ApplyRecords &
    Pick<SyncPushes, 'takeSyncPush'>;
  readonly planner: Planner;
  /**
   * The order stacks apply in. @default the waves of the merged commit's synth output (the systems' declared
   * dependencies); listedOrder (each stack after the one listed before it) when the plan has none
   */
  readonly order?: ApplyOrder;
  /** Stacks applied at once, where the order allows it. @default 2 */
  readonly stackConcurrency?: number;
  /** @default LOCK_LEASE_MS */
  readonly leaseMs?: number;
  /** @default LOCK_POLL_MS */
  readonly pollMs?: number;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
  /** @default none */
  readonly afterApply?: AfterApply;
  /**
   * The environment's terraform credentials (its file's `credentials` block resolved from the controller's
   * environment), for the re-plan and the apply of merged code. @default none: terraform gets no credential
   */
  readonly credentialsOf?: (environment: Environment) => TerraformCredentials;
}

/** What to apply: an environment at a commit, and the plan it must equal. */
export interface ApplyRequest {
  readonly owner: string;
  readonly repo: string;
  readonly cloneUrl: string;
  readonly environment: Environment;
  /** The commit applied (the merge commit, the environment branch's tip). */
  readonly sha: string;
  /** The branch's tip before it (the re-plan's base). */
  readonly baseSha: string;
  /** The merged pull request, when there is one. */
  readonly pr?: number;
  /** The plan this commit's plan must equal; none means nothing is applied (the deployment fails saying why). */
  readonly reviewed?: PlanRecord;
  /**
   * The back-sync push this commit is (the controller's own: the branch rebased onto the trunk, whose changes
   * were reviewed and applied there): its re-plan is applied as it is, with no reviewed plan to equal. @default none
   */
  readonly backSync?: SyncPush;
  /** Why there is no reviewed plan, for the deployment and the comment. */
  readonly noReviewReason?: string;
  /** Who caused the apply: the push's sender (who merged), or the approver of `/apply`. @default unknown */
  readonly actor?: string;
}

export interface ApplyOutcome {
  readonly applyId: number;
  readonly status: ApplyStatus;
  readonly results: ReadonlyMap<string, StepResult>;
  readonly differences: readonly StackDifference[];
  readonly reason?: string;
}

/** A write to GitHub whose failure must not stop the apply or hide its result: logged instead. */
async function logged(session: RepoSession, what: string, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (e) {
    session.log.error({ err: errorLine(e) }, what);
  }
}

const reasonOf = (e: unknown): string => (e as { reason?: string }).reason ?? errorLine(e);

class ApplyJob {
  private readonly repoName: string;
  private checkRunId?: number;
  private deploymentId?: number;
  private lock?: HeldLock;
  private planned?: PlanToApply;

  constructor(
    private readonly session: RepoSession,
    private readonly req: ApplyRequest,
    private readonly deps: ApplyDeps,
    private readonly applyId: number,
  ) {
    this.repoName = `${req.owner}/${req.repo}`;
  }

  private get env(): string {
    return this.req.environment.name;
  }

  private get logUrl(): string | undefined {
    const web = repositoryWebUrl(this.req.cloneUrl);
    return web && this.checkRunId ? `${web}/runs/${this.checkRunId}` : undefined;
  }

  async run(signal: AbortSignal): Promise<ApplyOutcome> {
    try {
      await this.open();
      this.lock = await holdLock(
        this.deps.store,
        {
          repo: this.repoName,
          environment: this.env,
          holder: this.holder(),
          sha: this.req.sha,
          ...(this.req.pr ? { pr: this.req.pr } : {}),
        },
        {
          signal,
          leaseMs: this.deps.leaseMs,
          pollMs: this.deps.pollMs,
          onTicket: (ticket) => this.deps.store.linkApply(this.applyId, { lockId: ticket.id }),
          onWait: (standing) => this.show('waiting', `${standing.position} ahead in the ${this.env} queue.`),
        },
      );
      await this.deps.store.updateApply(this.applyId, { status: 'running' });
      await this.status('in_progress', `Applying ${shortSha(this.req.sha)} to ${this.env}`);
      await this.show('applying');
      const [last] = await this.deps.store.succeededApplies(this.repoName, this.env, 1);
      const later = await this.laterDeployment(last);
      if (later) return await this.finish('skipped', new Map(), [], later);
      const unapplied = unappliedBeforeBackSync(this.req, last);
      if (unapplied) return await this.finish('differs', new Map(), [], unapplied);
      return await this.planAndApply(signal);
    } catch (e) {
      const reason = signal.aborted ? `stopped: ${errorLine(signal.reason)}` : reasonOf(e);
      this.session.log.error({ environment: this.env, sha: this.req.sha, err: errorLine(e) }, 'apply failed');
      return await this.finish('failed', new Map(), [], reason);
    } finally {
      await this.planned?.discard();
      await this.lock?.release();
    }
  }

  private holder(): string {
    return this.req.pr ? `${this.repoName}#${this.req.pr}` : `${this.repoName}@${shortSha(this.req.sha)}`;
  }

  /** The check run and the deployment, recorded as soon as they exist. */
  private async open(): Promise<void> {
    const { github } = this.session;
    this.checkRunId = await github.createCheckRun({
      name: applyCheckName(this.env),
      headSha: this.req.sha,
      status: 'in_progress',
      externalId: String(this.applyId),
      title: `Waiting to apply ${shortSha(this.req.sha)} to ${this.env}`,
      summary: `The ${this.env} lock is taken first: one apply per environment at a time.`,
    });
    await this.deps.store.linkApply(this.applyId, { checkRunId: this.checkRunId });
    this.deploymentId = await this.session.deployments.createDeployment({
      sha: this.req.sha,
      environment: this.env,
      description: `${this.env} at ${shortSha(this.req.sha)}${originOf(this.req)}`,
      production: this.req.environment.tier === 'production',
    });
    await this.deps.store.linkApply(this.applyId, { deploymentId: this.deploymentId });
    await this.status('queued', `Waiting for the ${this.env} lock`);
  }

  private async status(state: 'queued' | 'in_progress' | 'success' | 'failure', description: string): Promise<void> {
    const id = this.deploymentId;
    if (id === undefined) return;
    const logUrl = this.logUrl;
    await logged(this.session, 'deployment status could not be written', () =>
      this.session.deployments.setDeploymentStatus(id, { state, description, ...(logUrl ? { logUrl } : {}) }),
    );
  }

  /** The deployment section of the merged pull request's sticky comment (lock queue and phase). */
  private async show(phase: ApplyPhase, detail?: string): Promise<void> {
    const pr = this.req.pr;
    if (pr === undefined) return;
    await logged(this.session, 'sticky comment could not show the deployment', async () => {
      const queue = (await this.deps.store.listLocks(this.repoName)).filter((t) => t.environment === this.env);
      const section = applySection({ environment: this.env, sha: this.req.sha, phase, detail, queue, checkRunUrl: this.logUrl });
      const author = await this.session.botLogin?.();
      const existing = await this.session.github.findComment(pr, COMMENT_MARKER, author ? { author } : undefined);
      if (existing) await this.session.github.updateComment(existing.id, withApplySection(existing.body, this.env, section));
    });
  }

  /** A commit after this one is deployed already (pushes can arrive late or twice): nothing to do. */
  private async laterDeployment(last: ApplyRecord | undefined): Promise<string | undefined> {
    if (!last) return undefined;
    if (last.sha === this.req.sha) return `${shortSha(this.req.sha)} is deployed to ${this.env} already`;
    const compared = await this.session.github.compareCommits(this.req.sha, last.sha);
    return compared.status === 'ahead' ? `a later commit (${shortSha(last.sha)}) is deployed to ${this.env} already` : undefined;
  }

  private async planAndApply(signal: AbortSignal): Promise<ApplyOutcome> {
    // a push with no pull request and no plan to equal (not back-sync's) gets nothing run: not even a plan
    if (!this.req.backSync && !this.req.reviewed?.summaryJson && this.req.pr === undefined)
      return await this.finish('differs', new Map(), [], this.req.noReviewReason ?? 'no reviewed plan of this commit was found');
    if (!this.deps.planner.planToApply) throw new Error('this controller has no planner that can apply');
    const authToken = await this.session.authToken();
    this.planned = await this.deps.planner.planToApply({
      repoUrl: this.req.cloneUrl,
      authToken,
      headSha: this.req.sha,
      baseSha: this.req.baseSha,
      baseRef: this.req.environment.branch,
      environment: this.env,
      jobId: `apply-${this.applyId}`,
      signal,
      ...(this.deps.credentialsOf ? { credentials: this.deps.credentialsOf(this.req.environment) } : {}),
      ...(this.deps.envDir !== undefined ? { envDir: this.deps.envDir } : {}),
    });
    const report = this.planned.report;
    if (this.req.backSync) {
      this.session.log.info(
        { environment: this.env, sha: this.req.sha, trunk: this.req.backSync.trunk, trunkSha: this.req.backSync.trunkSha },
        'back-sync push: its re-plan is applied as it is',
      );
      return await this.applyStacks(report, signal);
    }
    const reviewed = this.req.reviewed?.summaryJson ? (JSON.parse(this.req.reviewed.summaryJson) as PlanReport) : undefined;
    if (!reviewed) return await this.differs(report, [], this.req.noReviewReason ?? 'no reviewed plan of this commit was found');
    const comparison = comparePlans(reviewed, report);
    if (!comparison.equal) return await this.differs(report, comparison.differences);
    return await this.applyStacks(report, signal);
  }

  /** Nothing applied: the deployment fails and the pull request gets the difference (kept as a plan `/apply` can apply). */
  private async differs(report: PlanReport, differences: readonly StackDifference[], reason?: string): Promise<ApplyOutcome> {
    const pr = this.req.pr;
    if (pr !== undefined) {
      await this.deps.store.savePlan({
        repo: this.repoName,
        pr,
        environment: this.env,
        headSha: this.req.sha,
        baseSha: this.req.baseSha,
        status: 'planned',
        summaryJson: JSON.stringify(report),
        reason: 'the plan of the merged commit, shown on the pull request because it differs from the reviewed plan',
        cloneUrl: this.req.cloneUrl,
        ...(this.session.installationId !== undefined ? { installationId: this.session.installationId } : {}),
      });
      const body = planDiffersComment({
        environment: this.env,
        sha: this.req.sha,
        reviewedSha: reason === undefined ? this.req.reviewed?.headSha : undefined,
        differences,
        reason,
      });
      await logged(this.session, 'the difference could not be commented', () => this.session.github.createComment(pr, body));
    }
    const why =
      reason ?? `the plan of ${shortSha(this.req.sha)} differs from the reviewed plan in ${differences.map((d) => d.stack).join(', ')}`;
    return this.finish('differs', new Map(), differences, why);
  }

  private async applyStacks(report: PlanReport, signal: AbortSignal): Promise<ApplyOutcome> {
    const changing = report.stacks.filter((s) => (s.source === 'terraform' ? s.summary?.hasChanges : s.status !== 'unchanged'));
    const order = (this.deps.order ?? (report.order ? wavesOrder(report.order) : listedOrder))(
      this.env,
      changing.map((s) => s.name),
    );
    const reasons = new Map<string, string>();
    const results = await runInOrder(
      order,
      async (stack) => {
        const report = changing.find((s) => s.name === stack)!;
        const runId = await this.deps.store.recordRun({
          repo: this.repoName,
          kind: 'apply',
          environment: this.env,
          stack,
          sha: this.req.sha,
          applyId: this.applyId,
        });
        try {
          if (report.source !== 'terraform') throw Object.assign(new Error('no terraform plan'), { reason: report.unavailableReason });
          const applied = await this.planned!.apply(stack, signal);
          await this.deps.store.finishRun(runId, { status: 'succeeded', logTail: applied.log });
          this.session.log.info({ environment: this.env, stack, sha: this.req.sha }, 'stack applied');
          return true;
        } catch (e) {
          reasons.set(stack, reasonOf(e));
          this.session.log.error({ environment: this.env, stack, sha: this.req.sha, err: reasonOf(e) }, 'stack apply failed');
          await this.deps.store.finishRun(runId, { status: 'failed', logTail: (e as { logTail?: string }).logTail ?? reasonOf(e) });
          return false;
        }
      },
      this.deps.stackConcurrency,
    );
    for (const [stack, result] of results) if (result === 'skipped') reasons.set(stack, 'a stack it follows was not applied');
    const ok = [...results.values()].every((r) => r === 'succeeded');
    return this.finish(ok ? 'succeeded' : 'failed', results, [], ok ? undefined : [...reasons].map(([s, r]) => `${s}: ${r}`)[0], reasons);
  }

  private async finish(
    status: ApplyStatus,
    results: ReadonlyMap<string, StepResult>,
    differences: readonly StackDifference[],
    reason?: string,
    reasons: ReadonlyMap<string, string> = new Map(),
  ): Promise<ApplyOutcome> {
    const ok = status === 'succeeded' || status === 'skipped';
    await this.deps.store.updateApply(this.applyId, { status, ...(reason ? { reason } : {}) });
    const output =
      status === 'succeeded' || (status === 'failed' && results.size > 0)
        ? applyCheckOutput({ environment: this.env, sha: this.req.sha, results, reasons })
        : {
            title: status === 'skipped' ? `Nothing applied: ${reason}` : `Nothing applied to ${this.env}: ${reason}`,
            summary: `Nothing was applied to ${this.env} at ${shortSha(this.req.sha)}: ${reason}.`,
          };
    const checkRunId = this.checkRunId;
    if (checkRunId !== undefined) {
      await logged(this.session, 'apply check could not be completed', () =>
        this.session.github.updateCheckRun(checkRunId, {
          status: 'completed',
          conclusion: ok ? (status === 'skipped' ? 'neutral' : 'success') : 'failure',
          title: fitTitle(output.title),
          summary: fitText(output.summary),
        }),
      );
    }
    await this.status(ok ? 'success' : 'failure', ok ? output.title : `Failed: ${reason ?? output.title}`);
    const phase: ApplyPhase =
      status === 'succeeded' ? 'applied' : status === 'differs' ? 'differs' : status === 'skipped' ? 'skipped' : 'failed';
    await this.lock?.release();
    await this.show(phase, reason);
    if (status === 'succeeded' && this.deps.afterApply) {
      const after = this.deps.afterApply;
      await logged(this.session, 'after-apply step failed', () =>
        after(this.session, this.req.environment, this.req.sha, this.req.cloneUrl),
      );
    }
    this.session.log.info({ environment: this.env, sha: this.req.sha, status, reason }, 'apply finished');
    return { applyId: this.applyId, status, results, differences, ...(reason ? { reason } : {}) };
  }
}

/** Applies `req.environment` at `req.sha` as described above; failures are reported on GitHub, not thrown. */
export async function runApply(session: RepoSession, req: ApplyRequest, signal: AbortSignal, deps: ApplyDeps): Promise<ApplyOutcome> {
  const applyId = await deps.store.saveApply({
    repo: `${req.owner}/${req.repo}`,
    environment: req.environment.name,
    sha: req.sha,
    baseSha: req.baseSha,
    cloneUrl: req.cloneUrl,
    ...(req.pr ? { pr: req.pr } : {}),
    ...(req.actor ? { actor: req.actor } : {}),
    ...(session.installationId !== undefined ? { installationId: session.installationId } : {}),
  });
  return new ApplyJob(session, req, deps, applyId).run(signal);
}
