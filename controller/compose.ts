// The composition root: the one place that builds the controller's long-lived parts (SQLite store,
// job queue, terraform runner, plan service, the core) and the per-installation GitHub sessions, and
// hands them to the Probot app. `gitops serve` (serveController) and `probot run` (app.ts) share it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Probot, ProbotOctokit } from 'probot';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { errorLine } from './comment/limits.js';
import { ReleaseController, type ControllerCore } from './core/controller.js';
import type { Planner } from './core/ports/planner.js';
import type { CoreLog, RepoSession } from './core/ports/session.js';
import { OctokitGitHubClient } from './github/client.js';
import { PlanService } from './plan/service.js';
import { TerraformRunner } from './runner/runner.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { RuntimeConfig, ServeConfig } from './webhooks/config.js';
import { queuePlan, registerHandlers, type RepoContext } from './webhooks/handlers.js';
import { JobQueue } from './webhooks/job-queue.js';
import { startWebhookServer, type WebhookServer } from './webhooks/server.js';

/** Deliveries older than this are forgotten at start (GitHub redelivers for a few days at most). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3600 * 1000;

export interface ControllerOptions extends RuntimeConfig {
  readonly log: CoreLog;
  /** Replaces the release controller (the webhook-ack bench uses a no-op). @default ReleaseController */
  readonly core?: ControllerCore;
  /** Replaces the plan service. @default PlanService with a TerraformRunner under <workDir>/terraform */
  readonly planner?: Planner;
}

export interface Controller {
  readonly store: SqliteStore;
  readonly queue: JobQueue;
  readonly core: ControllerCore;
  /** The Probot app over these parts. */
  readonly app: (app: Probot) => void;
  /** Stops accepting jobs, aborts running ones (their checks say so), waits for them, closes the store. */
  close(): Promise<void>;
}

/** The App's bot login from GET /app (App JWT), asked once; a failure is asked again next time. */
function botLoginOf(app: Probot): () => Promise<string | undefined> {
  let pending: Promise<string | undefined> | undefined;
  return () => {
    pending ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      return data?.slug ? `${data.slug}[bot]` : undefined;
    })().catch((e: unknown) => {
      pending = undefined;
      app.log.warn({ err: errorLine(e) }, 'GET /app failed; the sticky comment is found by its marker alone');
      return undefined;
    });
    return pending;
  };
}

/** Per-installation sessions: the event's installation-authenticated Octokit, bound to one repository. */
export function sessionsOf(app: Probot): (context: RepoContext, owner: string, repo: string) => RepoSession {
  const botLogin = botLoginOf(app);
  return (context, owner, repo) => ({
    github: new OctokitGitHubClient(context.octokit, owner, repo),
    async authToken() {
      const auth = (await context.octokit.auth({ type: 'installation' })) as { token?: string };
      return auth.token;
    },
    botLogin,
    log: context.log,
  });
}

export function composeController(opts: ControllerOptions): Controller {
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
  const core: ControllerCore =
    opts.core ??
    new ReleaseController({ store, planner, replan: (session, pr, trigger) => queuePlan({ core, queue }, session, pr, trigger) });
  return {
    store,
    queue,
    core,
    app: (app: Probot) => registerHandlers(app, { core, queue, deliveries: store, sessions: sessionsOf(app) }),
    async close() {
      await queue.close();
      store.close();
    },
  };
}

export interface ServeOptions {
  readonly config: ServeConfig;
  /** @default a JSON pino logger at config.logLevel */
  readonly log?: Logger;
  /** Replaces the release controller (the webhook-ack bench). */
  readonly core?: ControllerCore;
  /** Replaces the plan service. */
  readonly planner?: Planner;
  /** Octokit class for Probot (tests turn retries and throttling off). @default ProbotOctokit */
  readonly Octokit?: typeof ProbotOctokit;
}

export interface ServedController extends WebhookServer {
  readonly runtime: Controller;
}

/** `gitops serve`: the controller composed and listening; close() stops listening, then drains and closes it. */
export async function serveController(opts: ServeOptions): Promise<ServedController> {
  const { config } = opts;
  const log = opts.log ?? pino({ level: config.logLevel, name: 'gitops' });
  const runtime = composeController({ ...config, log, core: opts.core, planner: opts.planner });
  let server: WebhookServer;
  try {
    server = await startWebhookServer({
      config,
      log,
      app: runtime.app,
      health: () => ({ jobs: runtime.queue.size }),
      Octokit: opts.Octokit,
    });
  } catch (e) {
    await runtime.close();
    throw e;
  }
  let closing: Promise<void> | undefined;
  return {
    ...server,
    runtime,
    close() {
      closing ??= server.close().then(() => runtime.close());
      return closing;
    },
  };
}
