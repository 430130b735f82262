// One end-to-end world: the sandbox GitHub (REST checked against the OpenAPI description, a real bare
// git repository holding this project's sources, signed webhooks) and the controller as a real HTTP
// server (`gitops serve`'s serveController) on an ephemeral port, reaching the sandbox exactly like
// GitHub Enterprise (GHE_HOST, GHE_PROTOCOL=http). `npm run demo` and the scenario suite both run in it.
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { readServeConfig } from '../controller/webhooks/config.js';
import { serveController, type ServedController } from '../controller/compose.js';
import { adoptProjectDependencies } from '../test/fixtures/project-dependencies.js';
import { startSandbox, type Permission, type Sandbox } from '../test/sandbox/sandbox.js';
import { PROJECT_PATHS, PROJECT_ROOT } from './project.js';

export { PROJECT_PATHS, PROJECT_ROOT };

export interface WorldOptions {
  /** Collaborator roles beside `developer` (write). */
  readonly permissions?: Record<string, Permission>;
  /** Changes the staged copy of the project before it becomes the repository's first commit. */
  readonly prepare?: (dir: string) => void;
  /** The controller's log level. @default process.env.SCENARIO_LOG_LEVEL ?? 'silent' */
  readonly logLevel?: string;
  /** Serve configuration over the defaults (e.g. `GITOPS_RUNNER`). @default none */
  readonly env?: Record<string, string>;
}

export interface World {
  readonly sandbox: Sandbox;
  readonly server: ServedController;
  readonly workDir: string;
  /** Waits until the sandbox has delivered every webhook and the controller has finished every job. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A copy of the project's sources without tests, build output or dependencies. */
function stageProject(prepare?: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-scenario-src-'));
  for (const path of PROJECT_PATHS) {
    cpSync(join(PROJECT_ROOT, path), join(dir, path), {
      recursive: true,
      filter: (src) =>
        !/(^|\/)(node_modules|cdktf\.out|__golden__)(\/|$)/.test(src.slice(PROJECT_ROOT.length)) && !src.endsWith('.test.ts'),
    });
  }
  prepare?.(dir);
  return dir;
}

/** The sandbox GitHub holding this project, and a work directory whose dependency cache is seeded. */
export interface GitHubWorld {
  readonly sandbox: Sandbox;
  readonly workDir: string;
  /** The environment variables an operator would set for `gitops serve` against this sandbox. */
  readonly serveEnv: Record<string, string>;
}

export async function startGitHub(opts: WorldOptions = {}): Promise<GitHubWorld> {
  const source = stageProject(opts.prepare);
  const webhookSecret = 'scenario-webhook-secret';
  const sandbox = await startSandbox({
    webhookSecret,
    appId: 4242,
    owner: 'acme',
    repo: 'infra',
    fromDir: source,
    permissions: { developer: 'write', ...opts.permissions },
  });
  rmSync(source, { recursive: true, force: true });
  const workDir = mkdtempSync(join(tmpdir(), 'gitops-scenario-work-'));
  chmodSync(workDir, 0o711); // the sandbox's uid passes through to the jobs' work trees and outputs
  // The plan service installs dependencies once per lockfile: this checkout's node_modules fill that entry, so nothing installs.
  await adoptProjectDependencies(workDir, PROJECT_ROOT);
  const serveEnv: Record<string, string> = {
    APP_ID: String(sandbox.appId),
    PRIVATE_KEY: sandbox.privateKey,
    WEBHOOK_SECRET: webhookSecret,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: opts.logLevel ?? process.env.SCENARIO_LOG_LEVEL ?? 'silent',
    GHE_HOST: sandbox.gheHost,
    GHE_PROTOCOL: 'http',
    GITOPS_WORK_DIR: workDir,
  };
  return { sandbox, workDir, serveEnv };
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const { sandbox, workDir, serveEnv } = await startGitHub(opts);
  const config = readServeConfig({ ...serveEnv, ...opts.env });
  const server = await serveController({ config, log: pino({ level: config.logLevel, name: 'gitops' }) });
  sandbox.setWebhookUrl(server.webhookUrl);

  const settle = async () => {
    do {
      await sandbox.idle();
      await server.runtime.queue.onIdle();
      await sandbox.idle();
    } while (server.runtime.queue.size > 0);
  };
  return {
    sandbox,
    server,
    workDir,
    settle,
    async close() {
      await settle();
      await server.close();
      await sandbox.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Check runs of `name` on `headSha`, oldest first. */
export function checkRuns(sandbox: Sandbox, name: string, headSha?: string) {
  return sandbox.state.checkRuns.filter((c) => c.name === name && (headSha === undefined || c.headSha === headSha));
}

export function botComments(sandbox: Sandbox, pr: number) {
  return sandbox.state.comments.filter((c) => c.issueNumber === pr && c.user === sandbox.botLogin);
}

/** Where the controller keeps `release-<env>`'s Terraform state (the local backend of the shipped environments). */
export function releaseStatePath(workDir: string, env: string): string {
  return join(workDir, 'terraform', 'state', `release-${env}.tfstate`);
}

/** The commit `release-<env>`'s Terraform state records (its terraform_data input), if it was applied. */
export function deployedCommit(workDir: string, env: string): string | undefined {
  const path = releaseStatePath(workDir, env);
  if (!existsSync(path)) return undefined;
  return /"commit_sha":\s*"([0-9a-f]{40})"/.exec(readFileSync(path, 'utf8'))?.[1];
}
