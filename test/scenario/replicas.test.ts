// Scenario: two `gitops serve` processes, one PostgreSQL database, one sandbox GitHub whose webhooks
// reach them through a balancer (by delivery id), as replicas behind a load balancer. A delivery sent to
// both is planned once; twenty pull requests opened at once are each planned once, by both replicas.
import { jest } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptProjectDependencies } from '../fixtures/project-dependencies.js';
import { startTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { killHard, startController, until, type ControllerProcess } from './controller-process.js';
import { checkRuns, PROJECT_ROOT, startGitHub, type GitHubWorld } from './harness.js';

jest.setTimeout(1_200_000);

const SECRET = 'scenario-webhook-secret';
let world: GitHubWorld;
let database: TestDatabase;
let balancer: Server;
const replicas: ControllerProcess[] = [];
const workDirs: string[] = [];

/** A load balancer in front of the replicas: each webhook goes to the replica its delivery id hashes to. */
function balance(targets: () => readonly string[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const urls = targets();
      const target = urls[createHash('sha256').update(String(req.headers['x-github-delivery'])).digest()[0] % urls.length];
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-') || k === 'content-type')) as Record<
        string,
        string
      >;
      fetch(target, { method: 'POST', headers, body: Buffer.concat(chunks) })
        .then(async (answer) => res.writeHead(answer.status).end(await answer.text()))
        .catch((e: Error) => res.writeHead(502).end(e.message));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })),
  );
}

/** The pull request numbers a replica's log says it planned. */
function plannedBy(replica: ControllerProcess): number[] {
  return replica
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"plan finished"'))
    .map((line) => (JSON.parse(line) as { pr: number }).pr);
}

beforeAll(async () => {
  [database, world] = await Promise.all([startTestDatabase(), startGitHub()]);
  const second = mkdtempSync(join(tmpdir(), 'gitops-scenario-work-'));
  chmodSync(second, 0o711);
  await adoptProjectDependencies(second, PROJECT_ROOT);
  // each replica has its own work directory (clones, job directories); the database is what they share
  workDirs.push(world.workDir, second);
  for (const workDir of workDirs) {
    replicas.push(
      await startController({
        ...world.serveEnv,
        LOG_LEVEL: 'info',
        GITOPS_WORK_DIR: workDir,
        GITOPS_DATABASE_URL: database.url,
        // long enough for a replica on a loaded machine to renew in time (with 3 s, replicas took over each other's running plans)
        GITOPS_REPLICA_LEASE_MS: '20000',
        GITOPS_CONCURRENCY: '2',
      }),
    );
  }
  const lb = await balance(() => replicas.map((r) => r.webhookUrl));
  balancer = lb.server;
  world.sandbox.setWebhookUrl(lb.url);
}, 300_000);

afterAll(async () => {
  for (const replica of replicas) if (replica.child.exitCode === null) await killHard(replica);
  balancer?.close();
  await world?.sandbox.close();
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  await database?.stop();
});

const planChecks = (headSha: string) => checkRuns(world.sandbox, 'gitops/plan/dev', headSha);
const planned = (headSha: string) => planChecks(headSha).every((c) => c.status === 'completed') && planChecks(headSha).length > 0;

describe('scenario: two controller replicas on one PostgreSQL database', () => {
  test('GIVEN a pull request opened WHEN its delivery reaches both replicas THEN it is planned once', async () => {
    const { sandbox } = world;
    await sandbox.commit('feature/once', { 'environments/README.md': 'once\n' }, 'Once');
    const pr = await sandbox.openPullRequest({ head: 'feature/once', base: 'dev' });
    const opened = sandbox.deliveries.find(
      (d) => d.event === 'pull_request' && d.action === 'opened' && (d.payload as { number?: number }).number === pr.number,
    )!;
    // the balancer sent it to one replica; the same delivery now reaches the other one too
    const answers = await Promise.all(
      replicas.map((r) =>
        fetch(r.webhookUrl, {
          method: 'POST',
          body: opened.body,
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'pull_request',
            'x-github-delivery': opened.id,
            'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(opened.body).digest('hex')}`,
          },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await until('the plan to complete', () => planned(pr.headSha), 600_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(planChecks(pr.headSha)).toHaveLength(1);
    expect(replicas.flatMap(plannedBy).filter((n) => n === pr.number)).toEqual([pr.number]);
  });

  test('GIVEN twenty pull requests opened at once WHEN their webhooks are spread over the replicas THEN each is planned once, and both replicas planned', async () => {
    const { sandbox } = world;
    const prs: { number: number; headSha: string }[] = [];
    for (let i = 0; i < 20; i++) {
      await sandbox.commit(`feature/many-${i}`, { 'environments/README.md': `many ${i}\n` }, `Many ${i}`);
      prs.push(await sandbox.openPullRequest({ head: `feature/many-${i}`, base: 'dev' }));
    }
    await until('every plan to complete', () => prs.every((pr) => planned(pr.headSha)), 1_100_000);
    expect(prs.map((pr) => planChecks(pr.headSha).length)).toEqual(Array(20).fill(1));
    // the log line comes after the check is completed: wait for the replicas' output to name every plan
    const ofPrs = () => replicas.map((r) => plannedBy(r).filter((n) => prs.some((pr) => pr.number === n)));
    await until('the replicas to log every plan', () => ofPrs().flat().length >= prs.length, 60_000);
    const byReplica = ofPrs();
    expect(byReplica.flat().sort((a, b) => a - b)).toEqual(prs.map((pr) => pr.number).sort((a, b) => a - b));
    expect(byReplica.every((numbers) => numbers.length > 0)).toBe(true);
  });
});
