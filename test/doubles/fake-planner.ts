// A planner double for the core's tests: answers with a one-stack report (no synth output), fails,
// or holds until its signal aborts.
import type { PlannedPullRequest, PlanReport } from '../../controller/core/ports/plan-report.js';
import type { Planner, PlanRequest } from '../../controller/core/ports/planner.js';

export function reportFor(
  req: Pick<PlanRequest, 'environment' | 'headSha' | 'baseSha'>,
  source: 'terraform' | 'synth' = 'terraform',
): PlanReport {
  const counts = { add: 1, change: 0, replace: 0, destroy: 0, noop: 0, read: 0 };
  return {
    environment: req.environment,
    headSha: req.headSha,
    baseSha: req.baseSha,
    stacks: [
      {
        name: `release-${req.environment}`,
        status: 'changed',
        source,
        ...(source === 'terraform'
          ? { summary: { stack: `release-${req.environment}`, counts, hasChanges: true, resources: [], outputs: [] } }
          : { unavailableReason: 'providers cannot be installed (offline)' }),
      },
    ],
    warnings: [],
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
  };
}

/** A planner that answers with `reportFor` (and no synth output), or waits for the signal when `hold` is set. */
export class FakePlanner implements Planner {
  readonly synthesizes: boolean = false;
  readonly requests: PlanRequest[] = [];
  hold = false;
  failWith?: Error;
  source: 'terraform' | 'synth' = 'terraform';

  async plan(req: PlanRequest): Promise<PlannedPullRequest> {
    return { report: await this.planReport(req) };
  }

  async planReport(req: PlanRequest): Promise<PlanReport> {
    this.requests.push(req);
    if (this.failWith) throw this.failWith;
    if (this.hold) {
      await new Promise<void>((_, reject) => {
        if (req.signal?.aborted) reject(req.signal.reason);
        req.signal?.addEventListener('abort', () => reject(req.signal?.reason));
      });
    }
    return reportFor(req, this.source);
  }
}
