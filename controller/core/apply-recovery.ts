// Start-up recovery of applies, beside recovery.ts (plans). A controller killed during an apply leaves
// the apply `running` in the store, its stacks' runs `running`, its check in progress, its deployment
// in progress and its lock ticket held. The next process marks the runs and the apply failed, completes
// the check and sets the deployment to failure, each saying "controller restarted", and nothing is
// applied again on its own (an approver's `/apply`, or the next merge, applies). The tickets other
// processes left are then taken over: waiting ones are dropped; a held one is released only when
// Terraform's own state lock of the stacks is free, else it stays (and says why in the log) until an
// operator has looked at the state and an approver `/unlock`s.
import { errorLine, fitTitle } from '../comment/limits.js';
import type { CoreLog, RepoSession } from './ports/session.js';
import { shortSha } from './ports/session.js';
import type { ApplyRecord, ApplyRecords, LockRecord, Locks, RunRecords } from './ports/store.js';
import { RESTART_REASON } from './recovery.js';

/** Whether Terraform's state lock of each stack is held (`held`), as far as the backend lets the controller tell. */
export type StateLockCheck = (environment: string, stacks: readonly string[]) => Promise<{ readonly held: readonly string[] }>;

export interface ApplyRecoveryDeps {
  readonly store: Pick<ApplyRecords, 'abandonedApplies' | 'runsOfApply' | 'updateApply'> &
    Pick<RunRecords, 'finishRun'> &
    Pick<Locks, 'abandonedLocks' | 'releaseLock'>;
  readonly sessionFor: (installationId: number, owner: string, repo: string) => Promise<RepoSession>;
  readonly stateLocks: StateLockCheck;
  readonly log: CoreLog;
}

export interface RecoveredApplies {
  /** Applies marked failed. */
  readonly applies: number[];
  /** Lock tickets released (waiting ones, and held ones whose state lock was free). */
  readonly released: LockRecord[];
  /** Held tickets kept because Terraform's state lock is still held, with the stacks. */
  readonly kept: { readonly ticket: LockRecord; readonly stacks: readonly string[] }[];
}

async function failOnGitHub(apply: ApplyRecord, deps: ApplyRecoveryDeps): Promise<void> {
  if (apply.installationId === null) return;
  const [owner, repo] = apply.repo.split('/');
  const session = await deps.sessionFor(apply.installationId, owner, repo);
  const summary = `The apply of ${shortSha(apply.sha)} to ${apply.environment} was stopped: the ${RESTART_REASON} while it ran. Nothing is applied again on its own: an approver's \`/apply\` on the pull request, or the next merge, applies.`;
  if (apply.checkRunId !== null) {
    await session.github.updateCheckRun(apply.checkRunId, {
      status: 'completed',
      conclusion: 'failure',
      title: fitTitle(`Apply stopped: ${RESTART_REASON}`),
      summary,
    });
  }
  if (apply.deploymentId !== null) {
    await session.deployments.setDeploymentStatus(apply.deploymentId, { state: 'failure', description: RESTART_REASON });
  }
}

/** Finishes every apply and lock ticket that earlier controller processes left; one failure never stops the others. */
export async function recoverApplies(deps: ApplyRecoveryDeps): Promise<RecoveredApplies> {
  const applies = await deps.store.abandonedApplies();
  const stacksOfLock = new Map<number, string[]>();
  for (const apply of applies) {
    const where = { apply: apply.id, repo: apply.repo, environment: apply.environment, sha: apply.sha };
    const runs = await deps.store.runsOfApply(apply.id);
    if (apply.lockId !== null)
      stacksOfLock.set(
        apply.lockId,
        runs.map((r) => r.stack),
      );
    for (const run of runs.filter((r) => r.status === 'running')) {
      await deps.store.finishRun(run.id, { status: 'failed', logTail: `${RESTART_REASON} while terraform ran` });
    }
    try {
      await failOnGitHub(apply, deps);
    } catch (e) {
      deps.log.error({ ...where, err: errorLine(e) }, 'check or deployment of an abandoned apply could not be failed');
    }
    await deps.store.updateApply(apply.id, { status: 'failed', reason: RESTART_REASON });
    deps.log.info(where, 'abandoned apply failed: controller restarted');
  }
  const released: LockRecord[] = [];
  const kept: { ticket: LockRecord; stacks: readonly string[] }[] = [];
  for (const ticket of await deps.store.abandonedLocks()) {
    if (ticket.state === 'held') {
      // the stacks its apply ran; a ticket without a known apply is checked against every stack of the environment
      const stacks = stacksOfLock.get(ticket.id) ?? [];
      let held: readonly string[];
      try {
        held = (await deps.stateLocks(ticket.environment, stacks)).held;
      } catch (e) {
        deps.log.error({ ticket: ticket.id, err: errorLine(e) }, 'state lock could not be checked: the lock is kept');
        kept.push({ ticket, stacks });
        continue;
      }
      if (held.length > 0) {
        deps.log.warn(
          { ticket: ticket.id, environment: ticket.environment, holder: ticket.holder, stacks: held },
          "terraform's state lock is still held: the environment lock is kept until an approver's /unlock",
        );
        kept.push({ ticket, stacks: held });
        continue;
      }
    }
    const gone = await deps.store.releaseLock(ticket.id);
    if (gone) released.push(gone);
  }
  return { applies: applies.map((a) => a.id), released, kept };
}
