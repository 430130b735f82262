// Start-up recovery of plans. A controller that was killed (or whose machine went down) leaves plans
// `running` in the store and their checks `in_progress` on GitHub. The next process, before it does
// anything else for those pull requests, completes each such check saying "controller restarted",
// marks the record failed, and queues a fresh plan of the pull request as `/plan` would. A head whose
// plan was already interrupted by a restart is not planned again on its own: a pull request whose
// plan brings the controller down must not keep bringing it down; a writer's `/plan` still plans it.
import { errorLine, fitTitle } from '../comment/limits.js';
import { planCheckName, policyCheckName } from './check-names.js';
import type { Replan } from './controller.js';
import type { CheckRunConclusion, PullRequestInfo } from './ports/github.js';
import { shortSha, type CoreLog, type RepoSession } from './ports/session.js';
import type { AbandonedPlans, PlanRecord, PlanRecords } from './ports/store.js';

/** The reason kept with the record and shown in the checks. */
export const RESTART_REASON = 'controller restarted';

/** Restarts one head may go through and still be planned again automatically. */
export const RESTARTS_REPLANNED_PER_HEAD = 1;

export interface RecoveryDeps {
  readonly store: AbandonedPlans & Pick<PlanRecords, 'updatePlan'>;
  /** A session acting as the installation, for one repository (the composition root authenticates it). */
  readonly sessionFor: (installationId: number, owner: string, repo: string) => Promise<RepoSession>;
  /** Queues a plan of the pull request as its own job, as a push does. */
  readonly replan: Replan;
  readonly log: CoreLog;
}

/** What recovery did with one abandoned plan. */
export interface RecoveredPlan {
  readonly planId: number;
  readonly repo: string;
  readonly pr: number;
  readonly environment: string;
  /** Every check the record names was completed (false when GitHub could not be reached or no installation was recorded). */
  readonly checksCompleted: boolean;
  readonly replanned: boolean;
}

/** Whether a plan is queued again, and why (or why not). */
type Next = 'replan' | 'closed' | 'restarted-before' | 'unreadable';

/** What the completed checks say, per `Next`. */
const OUTCOME: Record<Next, { conclusion: CheckRunConclusion; title: string; next: string }> = {
  replan: {
    conclusion: 'cancelled',
    title: `Stopped: ${RESTART_REASON}; planning again`,
    next: 'A new plan of the pull request is queued.',
  },
  closed: { conclusion: 'cancelled', title: `Stopped: ${RESTART_REASON}`, next: 'The pull request is closed: it is not planned again.' },
  'restarted-before': {
    conclusion: 'failure',
    title: `Stopped: ${RESTART_REASON} again while planning this head`,
    next: 'A restart interrupted a plan of this head before, so it is not planned again on its own (a pull request whose plan stops the controller must not stop it again); comment `/plan` to plan it again.',
  },
  unreadable: {
    conclusion: 'cancelled',
    title: `Stopped: ${RESTART_REASON}`,
    next: 'The pull request could not be read, so no new plan was queued; comment `/plan` to plan it again.',
  },
};

/** Finishes every plan that earlier controller processes left pending or running; one failure never stops the others. */
export async function recoverPlans(deps: RecoveryDeps): Promise<RecoveredPlan[]> {
  const abandoned = await deps.store.abandonedPlans();
  const queued = new Set<string>();
  const recovered: RecoveredPlan[] = [];
  for (const plan of abandoned) recovered.push(await recoverPlan(plan, deps, queued));
  return recovered;
}

async function recoverPlan(plan: PlanRecord, deps: RecoveryDeps, queued: Set<string>): Promise<RecoveredPlan> {
  const [owner, repo] = plan.repo.split('/');
  const where = { plan: plan.id, repo: plan.repo, pr: plan.pr, environment: plan.environment, head: plan.headSha };
  const result = { planId: plan.id, repo: plan.repo, pr: plan.pr, environment: plan.environment };
  let checksCompleted = false;
  let replanned = false;
  try {
    if (plan.installationId === null) {
      deps.log.warn(where, 'abandoned plan has no installation recorded (saved before the upgrade): its checks stay as they are');
      return { ...result, checksCompleted, replanned };
    }
    const session = await deps.sessionFor(plan.installationId, owner, repo);
    const { next, now } = await decide(plan, session, deps);
    checksCompleted = await completeChecks(plan, session, next, deps.log);
    const key = `${plan.repo}#${plan.pr}`;
    if (next === 'replan' && now && plan.cloneUrl && !queued.has(key)) {
      queued.add(key);
      // as after a push: no writer's `/plan` is carried over, so an outside contributor's head waits for one again
      const trigger = {};
      deps.replan(
        session,
        {
          owner,
          repo,
          number: plan.pr,
          headRef: now.headRef,
          headSha: now.headSha,
          baseRef: now.baseRef,
          baseSha: now.baseSha,
          cloneUrl: plan.cloneUrl,
          author: now.author,
        },
        trigger,
      );
      replanned = true;
    }
  } catch (e) {
    deps.log.error({ ...where, err: errorLine(e) }, 'abandoned plan could not be recovered on GitHub');
  } finally {
    await deps.store.updatePlan(plan.id, { status: 'failed', reason: RESTART_REASON });
  }
  deps.log.info({ ...where, checksCompleted, replanned }, 'abandoned plan failed: controller restarted');
  return { ...result, checksCompleted, replanned };
}

/** Plan again when the pull request is open, and its head moved or was not interrupted by a restart before. */
async function decide(plan: PlanRecord, session: RepoSession, deps: RecoveryDeps): Promise<{ next: Next; now?: PullRequestInfo }> {
  let now: PullRequestInfo;
  try {
    now = await session.github.getPullRequest(plan.pr);
  } catch (e) {
    deps.log.error({ plan: plan.id, pr: plan.pr, err: errorLine(e) }, 'pull request of an abandoned plan could not be read');
    return { next: 'unreadable' };
  }
  if (now.state !== 'open') return { next: 'closed', now };
  if (now.headSha !== plan.headSha) return { next: 'replan', now };
  const ofHead = await deps.store.plansOfHead(plan.repo, plan.pr, plan.environment, plan.headSha);
  const restarts = ofHead.filter((p) => p.id !== plan.id && p.reason === RESTART_REASON).length;
  return { next: restarts < RESTARTS_REPLANNED_PER_HEAD ? 'replan' : 'restarted-before', now };
}

/** Completes the plan check (created completed when its id was never recorded) and the policy check; true when all were written. */
async function completeChecks(plan: PlanRecord, session: RepoSession, next: Next, log: CoreLog): Promise<boolean> {
  const { conclusion, title, next: sentence } = OUTCOME[next];
  const stopped = (what: string) =>
    ({
      status: 'completed',
      conclusion,
      title: fitTitle(title),
      summary: `The ${what} of ${shortSha(plan.headSha)} for ${plan.environment} was stopped: the ${RESTART_REASON} while it ran. ${sentence}`,
    }) as const;
  const writes: { name: string; write: () => Promise<unknown> }[] = [
    {
      name: planCheckName(plan.environment),
      write: () =>
        plan.planCheckId === null
          ? session.github.createCheckRun({ name: planCheckName(plan.environment), headSha: plan.headSha, ...stopped('plan') })
          : session.github.updateCheckRun(plan.planCheckId, stopped('plan')),
    },
  ];
  const policyCheckId = plan.policyCheckId;
  if (policyCheckId !== null) {
    writes.push({
      name: policyCheckName(plan.environment),
      write: () => session.github.updateCheckRun(policyCheckId, stopped('policy check')),
    });
  }
  let all = true;
  for (const { name, write } of writes) {
    try {
      await write();
    } catch (e) {
      all = false;
      log.error({ plan: plan.id, check: name, err: errorLine(e) }, 'check of an abandoned plan could not be completed');
    }
  }
  return all;
}
