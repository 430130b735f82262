// What follows a successful apply. First the promotion gates of the open pull requests that promote
// from the applied environment (release/* → main after uat) are evaluated again: their deployment
// gate reads what was just deployed. Then, when the applied environment's branch has `release.rebase`
// (main), the branches it names are rebased onto it (back-sync), each push recorded first so that its
// webhook is applied as the controller's own, and each branch left untouched gets its sync pull
// request. The environment files are read at the applied commit, as the rest of the release half
// reads them from the branch that moved.
import { errorLine } from '../comment/limits.js';
import type { AfterApply } from './apply-run.js';
import { refreshPromotionsFrom, type LatestPlan } from './approvals-check.js';
import { syncAfterTrunkMoved } from './back-sync-step.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import type { BackSync } from './ports/back-sync.js';
import { shortSha } from './ports/session.js';
import type { SyncPushes } from './ports/store.js';

export interface AfterApplyDeps {
  readonly backSync: BackSync;
  /** Where back-sync's pushes are recorded, and the latest plans the promotion gates read. */
  readonly store: Pick<SyncPushes, 'recordSyncPush'> & LatestPlan;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
}

/** The promotion gates of pull requests promoting from the applied environment, then back-sync. Logs what happened; never throws. */
export function afterApplySteps(deps: AfterApplyDeps): AfterApply {
  const backSync = backSyncAfterApply(deps.backSync, { envDir: deps.envDir, pushes: deps.store });
  return async (session, environment, sha, cloneUrl) => {
    try {
      const refreshed = await refreshPromotionsFrom(session, environment, { sha, cloneUrl }, deps.store, deps.envDir);
      if (refreshed.length > 0) session.log.info({ environment: environment.name, pullRequests: refreshed }, 'promotion gates refreshed');
    } catch (e) {
      session.log.error({ environment: environment.name, sha, err: errorLine(e) }, 'promotion gates not refreshed');
    }
    await backSync(session, environment, sha, cloneUrl);
  };
}

/** Back-sync after an environment whose branch others are rebased onto was applied. Logs what happened; never throws. */
export function backSyncAfterApply(
  backSync: BackSync,
  opts: { readonly envDir?: string; readonly pushes?: Pick<SyncPushes, 'recordSyncPush'> } = {},
): AfterApply {
  return async (session, environment, sha, cloneUrl) => {
    if (environment.release.rebase.length === 0) return;
    const requests = session.syncRequests;
    if (!requests) {
      session.log.warn({ environment: environment.name, sha }, 'back-sync skipped: this session cannot open sync pull requests');
      return;
    }
    const loaded = await loadEnvironmentsAt(session.github, sha, opts.envDir);
    if (!loaded.ok) {
      session.log.error({ environment: environment.name, sha, problems: loaded.text }, 'back-sync skipped: environment files invalid');
      return;
    }
    const result = await syncAfterTrunkMoved(
      { backSync, requests, github: session.github, log: session.log, ...(opts.pushes ? { pushes: opts.pushes } : {}) },
      { repo: cloneUrl, authToken: await session.authToken(), branch: environment.branch, environments: loaded.environments },
    );
    session.log.info(
      {
        environment: environment.name,
        sha: shortSha(sha),
        branches: result.report?.branches.map((b) => `${b.branch}: ${b.outcome}`),
        pullRequests: result.pullRequests.map((p) => `#${p.number} ${p.action}`),
        closed: result.closed.map((p) => `#${p.number}`),
        failures: result.failures.map((f) => `${f.branch}: ${f.error}`),
      },
      'back-sync after apply',
    );
  };
}
