// What an apply decides about back-sync's own push (ApplyRequest.backSync): whether its re-plan may be
// applied as it is, and how its deployment names where the commit came from.
import type { ApplyRequest } from './apply-run.js';
import { shortSha } from './ports/session.js';
import type { ApplyRecord } from './ports/store.js';

/**
 * Why back-sync's push must not be applied, or undefined when it may. It is applied as re-planned only
 * when the tip it replaced is the commit last deployed to the environment: then it adds nothing but the
 * trunk's changes, reviewed and applied there. Otherwise the branch held commits never applied (a direct
 * push, a merge whose plan differed), and applying the rebase would apply them unreviewed.
 */
export function unappliedBeforeBackSync(req: ApplyRequest, last: Pick<ApplyRecord, 'sha'> | undefined): string | undefined {
  if (!req.backSync || last?.sha === req.baseSha) return undefined;
  return (
    `back-sync rebased ${req.environment.branch} from ${shortSha(req.baseSha)}, which is not the commit last deployed to ` +
    `${req.environment.name} (${last ? shortSha(last.sha) : 'none'}): its rebase would apply commits never applied there, so nothing is applied`
  );
}

/** Where the commit came from, for its deployment's description: the merged pull request, or back-sync. */
export function originOf(req: Pick<ApplyRequest, 'pr' | 'backSync'>): string {
  if (req.pr) return ` (#${req.pr})`;
  return req.backSync ? ` (back-sync onto ${req.backSync.trunk} ${shortSha(req.backSync.trunkSha)})` : '';
}
