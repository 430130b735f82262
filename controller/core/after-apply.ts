// What follows a successful apply: when the applied environment's branch has `release.rebase` (main),
// the branches it names are rebased onto it (back-sync), and each branch left untouched gets its sync
// pull request. The environment files are read at the applied commit, as the rest of the release half
// reads them from the branch that moved.
import type { AfterApply } from './apply-run.js';
import { syncAfterTrunkMoved } from './back-sync-step.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import type { BackSync } from './ports/back-sync.js';
import { shortSha } from './ports/session.js';

/** Back-sync after an environment whose branch others are rebased onto was applied. Logs what happened; never throws. */
export function backSyncAfterApply(backSync: BackSync, envDir?: string): AfterApply {
  return async (session, environment, sha, cloneUrl) => {
    if (environment.release.rebase.length === 0) return;
    const requests = session.syncRequests;
    if (!requests) {
      session.log.warn({ environment: environment.name, sha }, 'back-sync skipped: this session cannot open sync pull requests');
      return;
    }
    const loaded = await loadEnvironmentsAt(session.github, sha, envDir);
    if (!loaded.ok) {
      session.log.error({ environment: environment.name, sha, problems: loaded.text }, 'back-sync skipped: environment files invalid');
      return;
    }
    const result = await syncAfterTrunkMoved(
      { backSync, requests, github: session.github, log: session.log },
      { repo: cloneUrl, authToken: await session.authToken(), branch: environment.branch, environments: loaded.environments },
    );
    session.log.info(
      {
        environment: environment.name,
        sha: shortSha(sha),
        branches: result.report?.branches.map((b) => `${b.branch}: ${b.outcome}`),
        pullRequests: result.pullRequests.map((p) => `#${p.number} ${p.action}`),
        failures: result.failures.map((f) => `${f.branch}: ${f.error}`),
      },
      'back-sync after apply',
    );
  };
}
