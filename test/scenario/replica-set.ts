// Controller replicas as an operator runs them: `gitops serve` processes on one PostgreSQL database,
// each with its own work directory (clones, job directories), behind a load balancer that sends each
// webhook to the replica its delivery id hashes to. The replica scenario and `npm run bench -- replicas`
// both start theirs here.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptProjectDependencies } from '../fixtures/project-dependencies.js';
import { killHard, startController, type ControllerProcess } from './controller-process.js';
import { PROJECT_ROOT, type GitHubWorld } from './harness.js';
import { balance, type Balancer, type WebhookAnswer } from './replica-world.js';

export type { WebhookAnswer };

export interface ReplicaSetOptions {
  readonly world: GitHubWorld;
  readonly databaseUrl: string;
  readonly count: number;
  /** Serve configuration over the defaults. @default none */
  readonly env?: Record<string, string>;
  /** Called once per webhook the balancer forwarded, after the replica answered. @default none */
  readonly onAnswer?: (answer: WebhookAnswer) => void;
}

export interface ReplicaSet {
  readonly replicas: readonly ControllerProcess[];
  /** The balancer's URL, where the sandbox sends its webhooks. */
  readonly url: string;
  /** Kills the replicas (SIGKILL), closes the balancer and removes every replica's work directory. */
  close(): Promise<void>;
}

/** The pull request numbers a replica's log says it planned (the log line comes after the plan check is completed). */
export function plannedBy(replica: ControllerProcess): number[] {
  return replica
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"plan finished"'))
    .map((line) => (JSON.parse(line) as { pr: number }).pr);
}

/**
 * `count` replicas on `databaseUrl` behind a balancer the sandbox now sends its webhooks to. The first
 * replica works in the world's work directory; each other one gets a directory of its own, seeded
 * with the project's dependencies as the world's is.
 */
export async function startReplicaSet(opts: ReplicaSetOptions): Promise<ReplicaSet> {
  const replicas: ControllerProcess[] = [];
  const workDirs = [opts.world.workDir];
  let balancer: Balancer | undefined;
  const close = async () => {
    for (const replica of replicas) if (replica.child.exitCode === null) await killHard(replica);
    balancer?.close();
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 1; i < opts.count; i++) {
      const workDir = mkdtempSync(join(tmpdir(), 'gitops-scenario-work-'));
      chmodSync(workDir, 0o711); // the sandbox's uid passes through to the jobs' work trees and outputs
      workDirs.push(workDir);
      await adoptProjectDependencies(workDir, PROJECT_ROOT);
    }
    for (const workDir of workDirs) {
      replicas.push(
        await startController({
          ...opts.world.serveEnv,
          LOG_LEVEL: 'info',
          GITOPS_WORK_DIR: workDir,
          GITOPS_DATABASE_URL: opts.databaseUrl,
          // long enough for a replica on a loaded machine to renew in time (with 3 s, replicas took over each other's running plans)
          GITOPS_REPLICA_LEASE_MS: '20000',
          GITOPS_CONCURRENCY: '2',
          ...opts.env,
        }),
      );
    }
    const lb = await balance(() => replicas.map((r) => r.webhookUrl), opts.onAnswer);
    balancer = lb;
    opts.world.sandbox.setWebhookUrl(lb.url);
    return { replicas, url: lb.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}
