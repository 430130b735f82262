// Scenario: two `gitops serve` processes, one PostgreSQL database, one sandbox GitHub whose webhooks
// reach them through a balancer (by delivery id), as replicas behind a load balancer. A delivery sent to
// both is planned once; twenty pull requests opened at once are each planned once, by both replicas.
import { jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { startTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import { until, type ControllerProcess } from './controller-process.js';
import { checkRuns, startGitHub, type GitHubWorld } from './harness.js';
import { plannedBy, startReplicaSet, type ReplicaSet } from './replica-set.js';

jest.setTimeout(1_200_000);

const SECRET = 'scenario-webhook-secret';
let world: GitHubWorld;
let database: TestDatabase;
let replicaSet: ReplicaSet;
let replicas: readonly ControllerProcess[] = [];

beforeAll(async () => {
  [database, world] = await Promise.all([startTestDatabase(), startGitHub()]);
  replicaSet = await startReplicaSet({ world, databaseUrl: database.url, count: 2 });
  replicas = replicaSet.replicas;
  // a database, the sandbox, a seeded work directory and two replicas: past 300 s late in a fresh-clone CI run
}, 900_000);

afterAll(async () => {
  await replicaSet?.close();
  await world?.sandbox.close();
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
