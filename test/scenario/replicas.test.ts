// Scenario: two `gitops serve` processes, one PostgreSQL database, one sandbox GitHub whose webhooks
// reach them through a balancer (by delivery id), as replicas behind a load balancer. A delivery sent to
// both is planned once; twenty pull requests opened at once are each planned once, by both replicas.
import { jest } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { until, type ControllerProcess } from './controller-process.js';
import { checkRuns, type GitHubWorld } from './harness.js';
import { startReplicaWorld, type ReplicaWorld } from './replica-world.js';

jest.setTimeout(1_200_000);

const SECRET = 'scenario-webhook-secret';
let replicaWorld: ReplicaWorld;
let world: GitHubWorld;
let replicas: readonly ControllerProcess[];

/** The pull request numbers a replica's log says it planned. */
function plannedBy(replica: ControllerProcess): number[] {
  return replica
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"plan finished"'))
    .map((line) => (JSON.parse(line) as { pr: number }).pr);
}

beforeAll(async () => {
  replicaWorld = await startReplicaWorld({
    env: {
      LOG_LEVEL: 'info',
      // long enough for a replica on a loaded machine to renew in time (with 3 s, replicas took over each other's running plans)
      GITOPS_REPLICA_LEASE_MS: '20000',
      GITOPS_CONCURRENCY: '2',
    },
  });
  ({ world, replicas } = replicaWorld);
}, 300_000);

afterAll(async () => {
  await replicaWorld?.close();
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
