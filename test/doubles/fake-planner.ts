// A planner double for the core's tests: answers with a one-stack report (no synth output), fails,
// or holds until its signal aborts; for applies, keeps "saved plans" it records applying and discarding.
import type { PlannedPullRequest, PlanReport } from '../../controller/core/ports/plan-report.js';
import type { Planner, PlanRequest, PlanToApply } from '../../controller/core/ports/planner.js';

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

  /** The report `planToApply` answers with. @default reportFor(request) */
  applyReport?: (req: PlanRequest) => PlanReport;
  /** Stacks whose apply fails. */
  readonly failingApplies = new Set<string>();
  /** `apply <stack>` and `discard`, in order. */
  readonly applyLog: string[] = [];

  async planToApply(req: PlanRequest): Promise<PlanToApply> {
    this.requests.push(req);
    if (this.failWith) throw this.failWith;
    const report = this.applyReport?.(req) ?? reportFor(req, this.source);
    return {
      report,
      apply: async (stack) => {
        this.applyLog.push(`apply ${stack}`);
        if (this.failingApplies.has(stack)) throw Object.assign(new Error('boom'), { reason: `${stack} failed`, logTail: 'Error: boom' });
        return { stack, log: `${stack}: Apply complete!` };
      },
      discard: async () => void this.applyLog.push('discard'),
    };
  }
}
