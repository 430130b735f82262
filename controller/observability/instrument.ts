// The composition root's parts, measured without changing them: each wrapper keeps the port it wraps
// and records into ControllerMetrics on the way through.
import type { RecoveredApplies } from '../core/apply-recovery.js';
import type { BackSync, BackSyncOptions } from '../core/ports/back-sync.js';
import type { Planner, PlanToApply } from '../core/ports/planner.js';
import type { DeliveryClaims, Locks, LockStanding } from '../core/ports/store.js';
import type { RecoveredPlan } from '../core/recovery.js';
import type { ControllerMetrics, RunOutcome } from './metrics.js';

/** Runs `work`, giving `done` its outcome; the result or error passes through. */
async function measured<T>(done: (outcome: RunOutcome) => void, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    done('ok');
    return result;
  } catch (e) {
    done('error');
    throw e;
  }
}

/** Plans timed by environment (kind pull_request; merge for the re-plan before an apply), each stack's apply too. */
export function timedPlanner(planner: Planner, metrics: ControllerMetrics): Planner {
  const { planToApply } = planner;
  return {
    synthesizes: planner.synthesizes,
    plan: (request) => {
      const end = metrics.planDuration.startTimer({ kind: 'pull_request', environment: request.environment });
      return measured(
        (outcome) => end({ outcome }),
        () => planner.plan(request),
      );
    },
    ...(planToApply && {
      planToApply: async (request) => {
        const end = metrics.planDuration.startTimer({ kind: 'merge', environment: request.environment });
        const saved: PlanToApply = await measured(
          (outcome) => end({ outcome }),
          () => planToApply.call(planner, request),
        );
        return {
          report: saved.report,
          discard: () => saved.discard(),
          apply: (stack, signal) => {
            const applied = metrics.applyDuration.startTimer({ environment: request.environment, stack });
            return measured(
              (outcome) => applied({ outcome }),
              () => saved.apply(stack, signal),
            );
          },
        };
      },
    }),
  };
}

/**
 * The store as the core sees it, with each lock wait recorded when the ticket takes the lock: from the
 * ticket's enqueuedAt to its acquiredAt, both stamped by the store's clock (0 when taken on entering).
 */
export function withLockWaits<S extends Locks>(store: S, metrics: ControllerMetrics): S {
  const record = (standing: LockStanding | undefined) => {
    const t = standing?.ticket;
    if (standing?.acquired && t?.acquiredAt) {
      metrics.lockWait.observe({ environment: t.environment }, Math.max(0, Date.parse(t.acquiredAt) - Date.parse(t.enqueuedAt)) / 1000);
    }
    return standing;
  };
  const enterLockQueue: Locks['enterLockQueue'] = async (request) => (await store.enterLockQueue(request).then(record))!;
  const pollLock: Locks['pollLock'] = (ticketId) => store.pollLock(ticketId).then(record);
  return new Proxy(store, {
    get(target, property) {
      if (property === 'enterLockQueue') return enterLockQueue;
      if (property === 'pollLock') return pollLock;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Delivery claims that count the redeliveries they turn away. */
export function countedClaims(claims: DeliveryClaims, metrics: ControllerMetrics): DeliveryClaims {
  return {
    claimDelivery: async (id, event) => {
      const first = await claims.claimDelivery(id, event);
      metrics.deliveryClaims.inc({ outcome: first ? 'won' : 'lost' });
      if (!first) metrics.webhooksDeduplicated.inc({ event });
      return first;
    },
    finishDelivery: (id) => claims.finishDelivery(id),
    releaseAbandonedDeliveries: async () => {
      const released = await claims.releaseAbandonedDeliveries();
      metrics.takeovers.inc({ kind: 'delivery' }, released);
      return released;
    },
  };
}

/** Counts the applies failed and lock tickets released by a recovery; returns what it was given. */
export function countAppliesTakenOver<R extends RecoveredApplies | undefined>(metrics: ControllerMetrics, recovered: R): R {
  if (recovered) {
    metrics.takeovers.inc({ kind: 'apply' }, recovered.applies.length);
    metrics.takeovers.inc({ kind: 'lock' }, recovered.released.length);
  }
  return recovered;
}

/** Counts the plans a recovery finished; returns what it was given. */
export function countPlansTakenOver<R extends readonly RecoveredPlan[]>(metrics: ControllerMetrics, recovered: R): R {
  metrics.takeovers.inc({ kind: 'plan' }, recovered.length);
  return recovered;
}

/** A back-sync that counts each branch's outcome, and `failed` (branch `*`) when the run itself throws. */
export function countedBackSync<O extends BackSyncOptions>(backSync: BackSync<O>, metrics: ControllerMetrics): BackSync<O> {
  return async (opts) => {
    try {
      const report = await backSync(opts);
      for (const b of report.branches) metrics.backSyncs.inc({ branch: b.branch, outcome: b.outcome });
      return report;
    } catch (e) {
      metrics.backSyncs.inc({ branch: '*', outcome: 'failed' });
      throw e;
    }
  };
}
