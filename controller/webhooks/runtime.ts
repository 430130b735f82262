// The controller's long-lived parts, built once per process: the SQLite store, the job queue and
// the core with its plan service and terraform runner. `gitops serve` and `probot run` share it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorLine } from '../core/check-text.js';
import { ReleaseController, type ControllerCore } from '../core/controller.js';
import type { CoreLog, Planner } from '../core/ports.js';
import type { HandlerDeps } from '../handlers/index.js';
import { PlanService } from '../plan/service.js';
import { TerraformRunner } from '../runner/index.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { RuntimeConfig } from './config.js';
import { JobQueue } from './job-queue.js';

/** Deliveries older than this are forgotten at start (GitHub redelivers for a few days at most). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface RuntimeOptions extends RuntimeConfig {
  readonly log: CoreLog;
  /** Replaces the release controller (the webhook-ack bench uses a no-op). @default ReleaseController */
  readonly core?: ControllerCore;
  /** Replaces the plan service. @default PlanService with a TerraformRunner under <workDir>/terraform */
  readonly planner?: Planner;
}

export interface Runtime extends HandlerDeps {
  readonly store: SqliteStore;
  /** Stops accepting jobs, aborts running ones (their checks say so), waits for them, closes the store. */
  close(): Promise<void>;
}

export function createRuntime(opts: RuntimeOptions): Runtime {
  mkdirSync(opts.workDir, { recursive: true });
  const store = new SqliteStore(opts.dbPath);
  store.pruneDeliveries(new Date(Date.now() - DELIVERY_RETENTION_MS));
  const queue = new JobQueue({
    concurrency: opts.concurrency,
    onError: (e, job) => opts.log.error({ job: job.label, key: job.key, err: errorLine(e) }, 'job failed'),
  });
  const planner =
    opts.planner ??
    new PlanService({
      workDir: opts.workDir,
      runner: new TerraformRunner({ workRoot: join(opts.workDir, 'terraform'), concurrency: opts.concurrency }),
    });
  const core = opts.core ?? new ReleaseController({ store, planner });
  return {
    store,
    queue,
    core,
    deliveries: store,
    async close() {
      await queue.close();
      store.close();
    },
  };
}
