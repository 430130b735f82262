// Controller replicas on PostgreSQL: one replica (baseline) against two, each row on a fresh database,
// a fresh sandbox GitHub and fresh work directories. The workload is N pull requests into dev opened
// one right after the other, each changing only release-dev (a real terraform plan of its builtin
// terraform_data stack). Measured: how long the replicas take to answer the webhooks (at the balancer
// in front of them, while the plans run), and plans completed per minute, from the first webhook sent
// to the last plan check completed. Each replica runs 2 jobs at once (GITOPS_CONCURRENCY).
import { startTestDatabase } from '../test/fixtures/postgres.js';
import { until } from '../test/scenario/controller-process.js';
import { checkRuns, startGitHub } from '../test/scenario/harness.js';
import { plannedBy, startReplicaSet, type WebhookAnswer } from '../test/scenario/replica-set.js';
import { median, percentile, printTable } from './measure.js';

export interface ReplicaRow {
  case: string;
  replicas: number;
  pullRequests: number;
  /** Webhooks the balancer forwarded from the first pull request opened to the last plan completed. */
  webhooks: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** Answers other than 200 (or none). */
  ackErrors: number;
  /** Plan checks completed with a conclusion other than success or neutral. */
  failedPlans: number;
  /** Each replica's share of the plans, as its log tells. */
  plansByReplica: number[];
  wallS: number;
  jobsPerMinute: number;
}

const PLAN_CHECK = 'gitops/plan/dev';
const PLAN_DONE = ['success', 'neutral'];
/** Long enough for a loaded 2-core machine; the bench fails, naming what is missing, rather than waiting for ever. */
const PLANS_TIMEOUT_MS = 1_200_000;

/** Plans of `replicas` replicas for `pullRequests` pull requests opened one right after the other. */
async function measureRow(label: string, replicas: number, pullRequests: number): Promise<ReplicaRow> {
  // the rows take minutes: say where the time goes
  let phaseStart = performance.now();
  const phase = (what: string) => {
    console.error(`replicas bench, ${label}: ${what} in ${((performance.now() - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = performance.now();
  };
  const [database, world] = await Promise.all([startTestDatabase(), startGitHub()]);
  const { sandbox } = world;
  const answers: WebhookAnswer[] = [];
  let measuring = false;
  phase('database and sandbox GitHub started');
  try {
    // the branches exist before any replica listens, so their pushes reach no one and the burst is only pull requests
    for (let i = 0; i < pullRequests; i++) {
      await sandbox.commit(`feature/bench-${i}`, { 'environments/README.md': `bench ${i}\n` }, `Bench ${i}`);
    }
    phase(`${pullRequests} branches pushed`);
    const set = await startReplicaSet({
      world,
      databaseUrl: database.url,
      count: replicas,
      onAnswer: (answer) => measuring && answers.push(answer),
    });
    phase(`${replicas} replica(s) listening`);
    try {
      const firstDelivery = sandbox.deliveries.length;
      measuring = true;
      const prs: { number: number; headSha: string }[] = [];
      for (let i = 0; i < pullRequests; i++) prs.push(await sandbox.openPullRequest({ head: `feature/bench-${i}`, base: 'dev' }));
      const checks = () => prs.map((pr) => checkRuns(sandbox, PLAN_CHECK, pr.headSha).at(-1));
      const completed = () => checks().filter((c) => c?.status === 'completed').length;
      await until('every plan to complete', () => completed() === pullRequests, PLANS_TIMEOUT_MS).catch(() => {
        throw new Error(`replicas bench: ${completed()} of ${pullRequests} plans completed in ${PLANS_TIMEOUT_MS / 1000} s (${label})`);
      });
      measuring = false;
      phase('every plan completed');
      const done = checks().map((c) => c!);
      const started = Date.parse(sandbox.deliveries[firstDelivery].sentAt);
      const finished = Math.max(...done.map((c) => Date.parse(c.completedAt!)));
      const wallS = (finished - started) / 1000;
      const latencies = answers.map((a) => a.ms);
      // the log line comes after the check is completed; a replica that never logs its plan shows in the column, not as a failed bench
      await until('the replicas to log every plan', () => set.replicas.flatMap(plannedBy).length >= pullRequests, 60_000).catch(
        () => undefined,
      );
      return {
        case: label,
        replicas,
        pullRequests,
        webhooks: answers.length,
        ackP50Ms: median(latencies),
        ackP99Ms: percentile(latencies, 99),
        ackErrors: answers.filter((a) => a.status !== 200).length,
        failedPlans: done.filter((c) => !PLAN_DONE.includes(c.conclusion ?? '')).length,
        plansByReplica: set.replicas.map((r) => plannedBy(r).length),
        wallS,
        jobsPerMinute: pullRequests / (wallS / 60),
      };
    } finally {
      await set.close();
    }
  } finally {
    await sandbox.close();
    await database.stop();
    phase('closed');
  }
}

export async function run(pullRequests = Number(process.env.BENCH_REPLICAS_PRS ?? 8)): Promise<ReplicaRow[]> {
  if (!Number.isInteger(pullRequests) || pullRequests < 1) {
    throw new Error(`replicas bench: BENCH_REPLICAS_PRS is ${JSON.stringify(process.env.BENCH_REPLICAS_PRS)}; allowed: a whole number ≥ 1`);
  }
  const base = await measureRow('one replica (baseline)', 1, pullRequests);
  const two = await measureRow('two replicas', 2, pullRequests);
  const rows = [base, two];
  printTable(
    `Controller replicas on PostgreSQL: ${pullRequests} pull requests into dev opened one right after the other, each a real terraform plan of release-dev; 2 jobs per replica; fresh database, sandbox GitHub and work directories per row (ack = the replica's answer to a webhook, at the balancer; jobs/min = plans ÷ time from the first webhook to the last plan completed)`,
    [
      'case',
      'webhooks',
      'ack p50 (ms)',
      'ack p99 (ms)',
      'ack ≠ 200',
      'plans by replica',
      'failed plans',
      'wall (s)',
      'jobs/min',
      'jobs/min ÷ one replica',
      'ack p99 ÷ one replica',
    ],
    rows.map((r) => [
      r.case,
      r.webhooks,
      r.ackP50Ms.toFixed(1),
      r.ackP99Ms.toFixed(1),
      r.ackErrors,
      r.plansByReplica.join(' + '),
      r.failedPlans,
      r.wallS.toFixed(1),
      r.jobsPerMinute.toFixed(2),
      `${(r.jobsPerMinute / base.jobsPerMinute).toFixed(2)}×`,
      `${(r.ackP99Ms / base.ackP99Ms).toFixed(2)}×`,
    ]),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
