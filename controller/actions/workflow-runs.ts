// The runs of plan-apply.yml the controller dispatched and waits for. GitHub's dispatch API answers
// 204 without the run it creates, so a run is known by what plan-apply.yml's `run-name` makes of its
// inputs (`gitops <mode> <stack> in <env> @ <sha>`, the `display_title` of its workflow_run events):
// the webhook handler hands each completed run of that workflow to `completed`, which settles the
// oldest wait for the same repository and title. Runs with the same title did the same thing, so
// which of two such waits gets which run does not matter; a run created before the wait began (less
// the clock skew allowed between GitHub and this machine) is not taken.

/** The workflow the actions runner dispatches, by file name (its id in GitHub's REST API) and by path. */
export const PLAN_APPLY_WORKFLOW = 'plan-apply.yml';
export const PLAN_APPLY_PATH = `.github/workflows/${PLAN_APPLY_WORKFLOW}`;

export type RunMode = 'plan' | 'apply';

/** plan-apply.yml's workflow_dispatch inputs. */
export interface RunInputs {
  readonly env: string;
  readonly stack: string;
  readonly sha: string;
  readonly mode: RunMode;
}

/** The title plan-apply.yml gives a run of these inputs (its `run-name`; a test compares the two). */
export const runTitle = (i: RunInputs): string => `gitops ${i.mode} ${i.stack} in ${i.env} @ ${i.sha}`;

/** What a workflow_run.completed event says of a run. */
export interface CompletedRun {
  readonly owner: string;
  readonly repo: string;
  readonly id: number;
  /** The run's display_title. */
  readonly title: string;
  /** The workflow file, e.g. .github/workflows/plan-apply.yml. */
  readonly path: string;
  /** What started the run: workflow_dispatch for the controller's runs. */
  readonly event: string;
  /** success, failure, cancelled, timed_out, …; null when GitHub gives none. */
  readonly conclusion: string | null;
  readonly htmlUrl: string;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** How long GitHub's clock may be behind this machine's when a run it created is compared with a wait's start. */
export const CLOCK_SKEW_MS = 120_000;

/** The wait ended without a run: timed out, or the job was cancelled. */
export class RunWaitError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RunWaitError';
  }
}

interface Wait {
  readonly key: string;
  readonly since: number;
  readonly resolve: (run: CompletedRun) => void;
}

export interface WaitOptions {
  readonly owner: string;
  readonly repo: string;
  readonly inputs: RunInputs;
  /** When the run was dispatched (before the dispatch call). */
  readonly since: Date;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const duration = (ms: number): string => (ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

const keyOf = (owner: string, repo: string, title: string): string => `${owner.toLowerCase()}/${repo.toLowerCase()}\n${title}`;

export class WorkflowRunWaits {
  private readonly waits: Wait[] = [];

  /** How many waits are open (for the status of the process). */
  get size(): number {
    return this.waits.length;
  }

  /** Settles with the completed run of these inputs; rejects with RunWaitError on timeout or abort. */
  wait(opts: WaitOptions): Promise<CompletedRun> {
    const title = runTitle(opts.inputs);
    return new Promise<CompletedRun>((resolve, reject) => {
      const end = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', aborted);
        const i = this.waits.indexOf(wait);
        if (i >= 0) this.waits.splice(i, 1);
      };
      const wait: Wait = {
        key: keyOf(opts.owner, opts.repo, title),
        since: opts.since.getTime() - CLOCK_SKEW_MS,
        resolve: (run) => (end(), resolve(run)),
      };
      const timer = setTimeout(() => {
        end();
        reject(new RunWaitError(`no run "${title}" of ${PLAN_APPLY_WORKFLOW} completed within ${duration(opts.timeoutMs)}`));
      }, opts.timeoutMs);
      const aborted = () => {
        end();
        const why = (opts.signal?.reason as Error | undefined)?.message ?? 'cancelled';
        reject(new RunWaitError(`stopped waiting for "${title}" (${why}); the run itself is not cancelled`));
      };
      if (opts.signal?.aborted) return aborted();
      opts.signal?.addEventListener('abort', aborted, { once: true });
      this.waits.push(wait);
    });
  }

  /** Settles the oldest wait for this run; false when no wait is for it (another workflow, a run nobody waits for). */
  completed(run: CompletedRun): boolean {
    if (run.path !== PLAN_APPLY_PATH || run.event !== 'workflow_dispatch') return false;
    const key = keyOf(run.owner, run.repo, run.title);
    const created = Date.parse(run.createdAt);
    const wait = this.waits.find((w) => w.key === key && !(created < w.since));
    if (!wait) return false;
    wait.resolve(run);
    return true;
  }
}
