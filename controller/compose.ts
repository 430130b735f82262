// The composition root: the one place that builds the controller's long-lived parts (SQLite store,
// job queue, terraform runner, plan service, the core) and the per-installation GitHub sessions, and
// hands them to the Probot app. `gitops serve` (serveController) and `probot run` (app.ts) share it.
// At start it takes over from the process before it: leftover job directories are removed before any
// job runs, abandoned delivery claims released, abandoned plans finished (core/recovery.ts), and
// abandoned applies and lock tickets finished (core/apply-recovery.ts).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Probot, ProbotOctokit } from 'probot';
import type { Logger } from 'pino';
import { errorLine } from './comment/limits.js';
import { ReleaseController, type ControllerCore } from './core/controller.js';
import type { Planner } from './core/ports/planner.js';
import { recoverPlans, type RecoveredPlan } from './core/recovery.js';
import { recoverApplies, type RecoveredApplies, type StateLockCheck } from './core/apply-recovery.js';
import type { AfterApply } from './core/apply-run.js';
import type { ApplyOrder } from './core/apply-order.js';
import type { CoreLog, RepoSession } from './core/ports/session.js';
import { ActionsPlanner } from './actions/planner.js';
import { octokitWorkflows } from './actions/workflow-client.js';
import { WorkflowRunWaits } from './actions/workflow-runs.js';
import { OctokitGitHubClient } from './github/client.js';
import { OctokitDeployments } from './github/deployments.js';
import { OctokitSyncRequests } from './github/sync-requests.js';
import { backSync } from './release/back-sync.js';
import { afterApplySteps } from './core/after-apply.js';
import { maskingGitHub } from './github/masking.js';
import { HeldSecrets } from './secrets/held.js';
import { PlanService } from './plan/service.js';
import { probeSandbox, sandboxDecision } from './process/sandbox.js';
import { TerraformRunner } from './runner/runner.js';
import { resolveCredentials } from './runner/credentials.js';
import { DEFAULT_ENV_DIR } from '../environments/load.js';
import { checkLocalStateLocks } from './runner/state-lock.js';
import { openStore, type ControllerStore } from './store/open-store.js';
import { DEFAULT_REPLICA_LEASE_MS } from './store/postgres-replicas.js';
import { repeatEvery, type Repeating } from './store/repeat.js';
import type { RuntimeConfig, ServeConfig } from './webhooks/config.js';
import { queueApply, queuePlan, registerHandlers, type RepoContext } from './webhooks/handlers.js';
import { JobQueue, type JobBoard } from './webhooks/job-queue.js';
import { SharedJobQueue } from './webhooks/shared-job-queue.js';
import { startWebhookServer, type WebhookServer } from './webhooks/server.js';
import { statusPage } from './status/page.js';
import { ControllerMetrics } from './observability/metrics.js';
import { maskedLogger } from './observability/log.js';
import {
  countAppliesTakenOver,
  countedBackSync,
  countedClaims,
  countPlansTakenOver,
  timedPlanner,
  withLockWaits,
} from './observability/instrument.js';

/** Deliveries older than this are forgotten at start (GitHub redelivers for a few days at most). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Limited replies older than this are forgotten at start (the longest limit window is an hour). */
export const REPLY_RETENTION_MS = 24 * 3600 * 1000;
/** The terraform runner's root under the work directory. */
const TERRAFORM_DIR = 'terraform';
/** Where the runner keeps local-backend state (TerraformRunner's default under its root). */
export const stateDirOf = (workDir: string): string => join(workDir, TERRAFORM_DIR, 'state');

/**
 * Terraform's state lock of the stacks on the local backend (runner/state-lock.ts). A ticket whose
 * stacks are not known is checked against every state file of the environment (`<name>-<env>[-…]`).
 */
export function localStateLockCheck(stateDir: string): StateLockCheck {
  return async (environment, stacks) => {
    const known =
      stacks.length > 0
        ? stacks
        : (existsSync(stateDir) ? readdirSync(stateDir) : [])
            .filter((f) => f.endsWith('.tfstate'))
            .map((f) => f.slice(0, -'.tfstate'.length))
            .filter((name) => name.split('-').includes(environment));
    return checkLocalStateLocks(stateDir, known);
  };
}

export interface ControllerOptions extends RuntimeConfig {
  readonly log: CoreLog;
  /** Replaces the release controller (the webhook-ack bench uses a no-op). @default ReleaseController */
  readonly core?: ControllerCore;
  /** Replaces the plan service. @default PlanService with a TerraformRunner under <workDir>/terraform */
  readonly planner?: Planner;
  /**
   * The secrets the process holds; installation tokens are added as they are issued. Everything written to
   * GitHub and the store is masked with them. @default none known at start (tokens are still learnt)
   */
  readonly secrets?: HeldSecrets;
  /** Runs after an environment was applied successfully. @default afterApplySteps: the promotion gates, then back-sync */
  readonly afterApply?: AfterApply;
  /** The order an environment's stacks apply in. @default listedOrder (core/apply-order.ts) */
  readonly applyOrder?: ApplyOrder;
  /** Whether Terraform's state lock of stacks is held, before a dead controller's lock is released. @default the local backend's, in <workDir>/terraform/state */
  readonly stateLocks?: StateLockCheck;
}

export interface Controller {
  readonly store: ControllerStore;
  /** Which store it is: the SQLite file, or PostgreSQL shared by replicas. */
  readonly storeKind: 'sqlite' | 'postgresql';
  /** Where jobs go: this process's queue (SQLite), or the jobs the replicas share (PostgreSQL). */
  readonly queue: JobBoard;
  readonly core: ControllerCore;
  /** This controller's metrics (its own registry). */
  readonly metrics: ControllerMetrics;
  /** The Probot app over these parts; loading it starts the recovery of abandoned plans. */
  readonly app: (app: Probot) => void;
  /** What the recovery started by loading `app` did with each abandoned plan, once it has run; empty before `app` is loaded. */
  recovered(): Promise<RecoveredPlan[]>;
  /** What the same recovery did with abandoned applies and lock tickets. */
  recoveredApplies(): Promise<RecoveredApplies | undefined>;
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

type InstallationOctokit = RepoContext['octokit'];

/** A session over an installation-authenticated Octokit, bound to one repository. */
function repoSession(
  octokit: InstallationOctokit,
  log: CoreLog,
  owner: string,
  repo: string,
  installationId: number | undefined,
  botLogin: () => Promise<string | undefined>,
  secrets: HeldSecrets,
): RepoSession {
  return {
    github: maskingGitHub(new OctokitGitHubClient(octokit, owner, repo), secrets),
    deployments: new OctokitDeployments(octokit, owner, repo),
    syncRequests: new OctokitSyncRequests(octokit, owner, repo),
    ...(installationId !== undefined ? { installationId } : {}),
    async authToken() {
      const auth = (await octokit.auth({ type: 'installation' })) as { token?: string };
      secrets.add(auth.token);
      return auth.token;
    },
    botLogin,
    log,
  };
}

/** Per-event sessions: the event's installation-authenticated Octokit, bound to one repository. */
export function sessionsOf(
  app: Probot,
  botLogin: () => Promise<string | undefined> = botLoginOf(app),
  secrets: HeldSecrets = new HeldSecrets(),
): (context: RepoContext, owner: string, repo: string) => RepoSession {
  return (context, owner, repo) => {
    const installationId = 'installation' in context.payload ? context.payload.installation?.id : undefined;
    // every line of the job says which repository and pull request it is about (context.log binds the delivery)
    const { pull_request: pullRequest, issue } = context.payload as { pull_request?: { number?: number }; issue?: { number?: number } };
    const pr = pullRequest?.number ?? issue?.number;
    const log = context.log.child({ repo: `${owner}/${repo}`, ...(pr !== undefined ? { pr } : {}) });
    return repoSession(context.octokit, log, owner, repo, installationId, botLogin, secrets);
  };
}

/** Sessions for an installation id with no event behind them (recovery at start): the App authenticates as the installation. */
export function installationSessionsOf(
  app: Probot,
  botLogin: () => Promise<string | undefined> = botLoginOf(app),
  secrets: HeldSecrets = new HeldSecrets(),
): (installationId: number, owner: string, repo: string) => Promise<RepoSession> {
  return async (installationId, owner, repo) =>
    repoSession(
      await app.auth(installationId),
      app.log.child({ installation: installationId }),
      owner,
      repo,
      installationId,
      botLogin,
      secrets,
    );
}

export function composeController(opts: ControllerOptions): Controller {
  mkdirSync(opts.workDir, { recursive: true });
  const secrets = opts.secrets ?? new HeldSecrets();
  const { store, kind: storeKind, where } = openStore(opts, { controllerId: randomUUID(), mask: (text) => secrets.mask(text) });
  opts.log.info(
    { store: storeKind, where, replica: store.controllerId },
    `state kept in ${storeKind === 'sqlite' ? 'the SQLite file' : 'PostgreSQL at'} ${where}`,
  );
  const local = new JobQueue({
    concurrency: opts.concurrency,
    onError: (e, job) => opts.log.error({ job: job.label, key: job.key, err: errorLine(e) }, 'job failed'),
  });
  // replicas share their jobs through the database: a webhook one accepts may run in another
  const shared = store.jobs
    ? new SharedJobQueue({ jobs: store.jobs, local, concurrency: opts.concurrency, deliveries: store, log: opts.log })
    : undefined;
  const queue: JobBoard = shared ?? local;
  const metrics = new ControllerMetrics({
    queueDepth: () => queue.size,
    ...(storeKind === 'postgresql' ? { replica: store.controllerId, leaseRenewals: () => store.leaseRenewals } : {}),
  });
  const deliveries = countedClaims(store, metrics);
  const now = Date.now();
  void Promise.all([
    store.pruneDeliveries(new Date(now - DELIVERY_RETENTION_MS)),
    store.pruneReplies(new Date(now - REPLY_RETENTION_MS)),
  ]).catch((e: unknown) => opts.log.error({ err: errorLine(e) }, 'old deliveries and replies could not be pruned'));
  void deliveries.releaseAbandonedDeliveries().then(
    (released) => released > 0 && opts.log.info({ released }, 'delivery claims of a stopped controller released: their redelivery runs'),
    (e: unknown) => opts.log.error({ err: errorLine(e) }, 'abandoned delivery claims could not be released'),
  );
  const workflowRuns = new WorkflowRunWaits();
  let planner = opts.planner;
  if (!planner) {
    const terraformRoot = join(opts.workDir, TERRAFORM_DIR);
    // One probe for both: the synth of pull request code and the terraform plan of what it synthesized run alike.
    const probe = probeSandbox();
    const decision = sandboxDecision(probe, { GITOPS_UNSAFE_SANDBOX: process.env.GITOPS_UNSAFE_SANDBOX });
    const sandbox = probe.ok ? probe.host : decision.run ? 'none' : undefined;
    const service = new PlanService({
      workDir: opts.workDir,
      sandboxProbe: probe,
      // under the actions runner the service only synthesizes; plan-apply.yml runs run terraform
      runner:
        opts.runner === 'actions' ? undefined : new TerraformRunner({ workRoot: terraformRoot, concurrency: opts.concurrency, sandbox }),
    });
    if (decision.run && !decision.sandboxed) opts.log.warn({}, decision.reason);
    else opts.log.info({}, decision.reason);
    // before any job runs: every job directory left now belongs to a process that is gone
    const removed = service.removeLeftovers({ terraformJobs: join(terraformRoot, 'jobs') });
    if (Object.values(removed).some((count) => count > 0)) opts.log.info(removed, 'leftovers of a stopped controller removed');
    planner =
      opts.runner === 'actions'
        ? new ActionsPlanner({ synth: service, waits: workflowRuns, clientFor: octokitWorkflows(opts.baseUrl ?? 'https://api.github.com') })
        : service;
  }
  const core: ControllerCore =
    opts.core ??
    new ReleaseController({
      store: withLockWaits(store, metrics),
      planner: timedPlanner(planner, metrics),
      replan: (session, pr, trigger) => queuePlan({ core, queue }, session, pr, trigger),
      queueApply: (session, request) => void queueApply({ core, queue }, session, request),
      // after uat is applied the promotions into main are checked again; after main, uat and dev are
      // rebased onto it in a fresh clone under the work directory, their pushes recorded in the store
      afterApply:
        opts.afterApply ?? afterApplySteps({ backSync: countedBackSync((o) => backSync({ ...o, workDir: opts.workDir }), metrics), store }),
      ...(opts.applyOrder ? { order: opts.applyOrder } : {}),
      // the block is read from the environment file at the branch's tip before the merge; values become held secrets
      credentialsOf: (environment) =>
        resolveCredentials(`${DEFAULT_ENV_DIR}/${environment.name}.yaml`, environment, process.env, { held: secrets }),
    });
  let recovery: Promise<RecoveredPlan[]> | undefined;
  let applyRecovery: Promise<RecoveredApplies | undefined> | undefined;
  let sweep: Repeating | undefined;
  return {
    store,
    storeKind,
    queue,
    core,
    metrics,
    recovered: () => recovery ?? Promise.resolve([]),
    recoveredApplies: () => applyRecovery ?? Promise.resolve(undefined),
    app: (app: Probot) => {
      const botLogin = botLoginOf(app);
      registerHandlers(app, {
        core,
        queue,
        deliveries,
        sessions: sessionsOf(app, botLogin, secrets),
        workflowRuns,
      });
      const sessionFor = installationSessionsOf(app, botLogin, secrets);
      shared?.start({ core, sessionFor });
      const recover = () => {
        applyRecovery = recoverApplies({
          store,
          sessionFor,
          stateLocks: opts.stateLocks ?? localStateLockCheck(stateDirOf(opts.workDir)),
          log: opts.log,
        })
          .then((recovered) => countAppliesTakenOver(metrics, recovered))
          .catch((e: unknown) => {
            opts.log.error({ err: errorLine(e) }, 'abandoned applies could not be recovered');
            return undefined;
          });
        recovery = recoverPlans({
          store,
          sessionFor,
          replan: (session, pr, trigger) => void queuePlan({ core, queue }, session, pr, trigger),
          log: opts.log,
        })
          .then((recovered) => countPlansTakenOver(metrics, recovered))
          .catch((e: unknown) => {
            opts.log.error({ err: errorLine(e) }, 'abandoned plans could not be recovered');
            return [];
          });
        return Promise.all([applyRecovery, recovery]);
      };
      void recover();
      // replicas on a shared store: what a replica that stops leaves is taken over once its lease has run out
      if (storeKind === 'postgresql') {
        sweep = repeatEvery(
          opts.replicaLeaseMs ?? DEFAULT_REPLICA_LEASE_MS,
          async () => {
            // a dead replica's running jobs are not run twice: their plans and applies are recovered below
            await store.jobs?.dropAbandonedJobs();
            await deliveries.releaseAbandonedDeliveries();
            await recover();
          },
          (e) => opts.log.error({ err: errorLine(e) }, 'work of stopped replicas could not be taken over'),
        );
      }
    },
    async close() {
      await sweep?.stop();
      await recovery;
      await applyRecovery;
      await queue.close();
      await store.close();
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

/** GET /healthz's fields: the jobs accepted and not finished, and the store; not ok when the store does not answer. */
export async function storeHealth(runtime: Controller): Promise<Record<string, unknown>> {
  const fields = { jobs: runtime.queue.size, store: runtime.storeKind };
  try {
    await runtime.store.ping();
    return fields;
  } catch (e) {
    return { ok: false, ...fields, error: `store unreachable: ${errorLine(e)}` };
  }
}

/** `gitops serve`: the controller composed and listening; close() stops listening, then drains and closes it. */
export async function serveController(opts: ServeOptions): Promise<ServedController> {
  const { config } = opts;
  const secrets = new HeldSecrets([config.webhookSecret, config.privateKey]);
  const log = opts.log ?? maskedLogger(config.logLevel, secrets);
  const runtime = composeController({ ...config, log, core: opts.core, planner: opts.planner, secrets });
  let server: WebhookServer;
  try {
    // a database that cannot be reached (or a schema too new) stops the start, before any webhook is accepted
    await runtime.store.ready;
    server = await startWebhookServer({
      config,
      log,
      app: runtime.app,
      health: () => storeHealth(runtime),
      Octokit: opts.Octokit,
      statusPage: statusPage(runtime.store),
      metrics: runtime.metrics,
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
