// The world of the replica scenarios: the sandbox GitHub, one PostgreSQL database, and two `gitops serve`
// processes (replicas) on it, each with a work directory of its own, whose webhooks come through a
// balancer as they would behind a load balancer.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateDirOf } from '../../controller/compose.js';
import { adoptProjectDependencies } from '../fixtures/project-dependencies.js';
import { startTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { killHard, startController, type ControllerProcess } from './controller-process.js';
import { PROJECT_ROOT, startGitHub, type GitHubWorld } from './harness.js';

/** How long a webhook took the replica to answer, as the balancer saw it. */
export interface WebhookAnswer {
  /** The target's index among `targets()` when the webhook was sent. */
  readonly replica: number;
  readonly status: number;
  readonly ms: number;
}

/** A load balancer in front of the replicas. */
export interface Balancer {
  readonly url: string;
  /** Sends every webhook to this replica's URL from now on; undefined goes back to hashing delivery ids. */
  pin(target: string | undefined): void;
  close(): void;
}

/**
 * Each webhook goes to the replica its delivery id hashes to (among `targets()`, asked per webhook), unless
 * pinned; `onAnswer` hears how long each took.
 */
export function balance(targets: () => readonly string[], onAnswer?: (answer: WebhookAnswer) => void): Promise<Balancer> {
  let pinned: string | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const urls = targets();
      const target = pinned ?? urls[createHash('sha256').update(String(req.headers['x-github-delivery'])).digest()[0] % urls.length];
      const replica = urls.indexOf(target);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type')) as Record<
        string,
        string
      >;
      const started = performance.now();
      fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => {
          const text = await answer.text();
          onAnswer?.({ replica, status: answer.status, ms: performance.now() - started });
          res.writeHead(answer.status).end(text);
        })
        .catch((e: Error) => {
          onAnswer?.({ replica, status: 0, ms: performance.now() - started });
          res.writeHead(502).end(e.message);
        });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
        pin: (target) => (pinned = target),
        close: () => server.close(),
      }),
    ),
  );
}

export interface ReplicaWorld {
  readonly world: GitHubWorld;
  readonly database: TestDatabase;
  /** The replicas in start order; the balancer sends webhooks only to those still running. */
  readonly replicas: readonly ControllerProcess[];
  readonly balancer: Balancer;
  /** Starts replica `index` again (after it was killed) on its work directory, in its place among `replicas`. */
  restart(index: number): Promise<ControllerProcess>;
  close(): Promise<void>;
}

export interface ReplicaWorldOptions {
  /** The replicas' environment over the sandbox's serve settings (GITOPS_REPLICA_LEASE_MS, PATH, …). */
  readonly env: Record<string, string>;
  /**
   * Whether the replicas share one Terraform state directory, as replicas share a remote backend: the
   * second replica's state directory is a link to the first one's. @default false
   */
  readonly sharedState?: boolean;
}

const running = (replica: ControllerProcess) => replica.child.exitCode === null && replica.child.signalCode === null;

/** Starts the sandbox, the database and two replicas behind a balancer that the sandbox's webhooks go to. */
export async function startReplicaWorld(opts: ReplicaWorldOptions): Promise<ReplicaWorld> {
  const [database, world] = await Promise.all([startTestDatabase(), startGitHub()]);
  const second = mkdtempSync(join(tmpdir(), 'gitops-scenario-work-'));
  chmodSync(second, 0o711);
  await adoptProjectDependencies(second, PROJECT_ROOT);
  if (opts.sharedState) {
    mkdirSync(stateDirOf(world.workDir), { recursive: true });
    mkdirSync(join(stateDirOf(second), '..'), { recursive: true });
    symlinkSync(stateDirOf(world.workDir), stateDirOf(second));
  }
  // each replica has its own work directory (clones, job directories); the database is what they share
  const workDirs = [world.workDir, second];
  const start = (workDir: string) =>
    startController({ ...world.serveEnv, ...opts.env, GITOPS_WORK_DIR: workDir, GITOPS_DATABASE_URL: database.url });
  const replicas: ControllerProcess[] = [];
  for (const workDir of workDirs) replicas.push(await start(workDir));
  const balancer = await balance(() => replicas.filter(running).map((r) => r.webhookUrl));
  world.sandbox.setWebhookUrl(balancer.url);
  return {
    world,
    database,
    replicas,
    balancer,
    async restart(index) {
      if (running(replicas[index])) throw new Error(`replica ${index} is still running`);
      replicas[index] = await start(workDirs[index]);
      return replicas[index];
    },
    async close() {
      for (const replica of replicas) if (running(replica)) await killHard(replica);
      balancer.close();
      await world.sandbox.close();
      for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
      await database.stop();
    },
  };
}

/** The id a replica registered under in the database (its start log line's `replica` field). */
export function replicaIdOf(replica: ControllerProcess): string {
  const line = replica
    .output()
    .split('\n')
    .find((l) => l.includes('"replica":'));
  if (!line) throw new Error(`the replica logged no id:\n${replica.output().slice(-2000)}`);
  return (JSON.parse(line) as { replica: string }).replica;
}
