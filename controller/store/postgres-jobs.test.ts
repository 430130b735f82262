import { useTestDatabase } from '../../test/fixtures/postgres.js';
import type { NewSharedJob } from '../core/ports/jobs.js';
import { PostgresStore } from './postgres-store.js';

const database = useTestDatabase();

const job = (key: string, label: string, extra: Partial<NewSharedJob> = {}): NewSharedJob => ({
  key,
  label,
  orderJson: JSON.stringify({ kind: 'review', label }),
  installationId: 7,
  ...extra,
});

/** Two replicas on one fresh database (the tables of earlier tests dropped). */
async function twoReplicas(clock = () => new Date(), leaseMs = 30_000) {
  const reset = await PostgresStore.open(database.url, { controllerId: 'reset', replica: false });
  await reset['db'].query(
    'DROP TABLE IF EXISTS gitops_schema, deliveries, plans, runs, lock_queue, applies, replies, replicas, sync_pushes, jobs',
  );
  await reset.close();
  const a = await PostgresStore.open(database.url, { controllerId: 'a', now: clock, replicaLeaseMs: leaseMs });
  const b = await PostgresStore.open(database.url, { controllerId: 'b', now: clock, replicaLeaseMs: leaseMs });
  return { a, b, close: () => Promise.all([a.close(), b.close()]) };
}

describe('PostgresJobs', () => {
  test('GIVEN jobs of two keys accepted by replica a WHEN both replicas claim THEN each key runs its jobs one at a time in the order accepted, and the other key meanwhile', async () => {
    const { a, b, close } = await twoReplicas();
    try {
      const pr1 = [await a.jobs.addJob(job('o/r#1', 'first')), await a.jobs.addJob(job('o/r#1', 'second'))];
      const pr2 = await a.jobs.addJob(job('o/r#2', 'other'));

      const claims = [await b.jobs.claimJob(), await a.jobs.claimJob(), await b.jobs.claimJob()];

      expect(claims.map((c) => c?.id)).toEqual([pr1[0], pr2, undefined]);
      expect(claims[0]).toMatchObject({ key: 'o/r#1', label: 'first', installationId: 7 });
      await b.jobs.finishJob(pr1[0]!);
      expect((await a.jobs.claimJob())?.id).toBe(pr1[1]);
      expect(await a.jobs.remainingJobs([...pr1, pr2])).toEqual([pr1[1], pr2]);
      expect(await a.jobs.pendingJobs()).toBe(0);
    } finally {
      await close();
    }
  });

  test('GIVEN twenty pending jobs of twenty keys WHEN two replicas claim at once, ten times each THEN no job is claimed twice and every job is claimed', async () => {
    const { a, b, close } = await twoReplicas();
    try {
      const ids = [];
      for (let i = 0; i < 20; i++) ids.push(await a.jobs.addJob(job(`o/r#${i}`, `plan ${i}`)));

      const claimed = await Promise.all([...Array(10)].flatMap(() => [a.jobs.claimJob(), b.jobs.claimJob()]));

      expect(claimed.map((c) => c?.id).sort((x, y) => x! - y!)).toEqual(ids);
    } finally {
      await close();
    }
  });

  test('GIVEN a plan running in replica b and one pending WHEN a newer plan of the pull request is accepted THEN each older plan is superseded by the first plan after it, and b is told about the one it runs', async () => {
    const { a, b, close } = await twoReplicas();
    try {
      const running = await a.jobs.addJob(job('o/r#1', 'plan of aaaaaaa', { supersedeGroup: 'plan' }));
      await b.jobs.claimJob();
      const pending = await a.jobs.addJob(job('o/r#1', 'plan of bbbbbbb', { supersedeGroup: 'plan' }));
      const review = await a.jobs.addJob(job('o/r#1', 'approvals of bbbbbbb'));

      await a.jobs.addJob(job('o/r#1', 'plan of ccccccc', { supersedeGroup: 'plan' }));

      expect(await b.jobs.supersededJobs()).toEqual([{ id: running, by: 'plan of bbbbbbb' }]);
      expect(await a.jobs.supersededJobs()).toEqual([]);
      await b.jobs.finishJob(running);
      expect(await b.jobs.claimJob()).toMatchObject({ id: pending, supersededBy: 'plan of ccccccc' });
      await b.jobs.finishJob(pending);
      const next = await b.jobs.claimJob();
      expect(next?.id).toBe(review);
      expect(next?.supersededBy).toBeUndefined();
    } finally {
      await close();
    }
  });

  test('GIVEN replica b dies with a job running and another pending WHEN its lease has run out THEN the running job is dropped (not run twice), the pending one is claimed by a, and only the running one’s delivery claim is released', async () => {
    let now = Date.parse('2026-12-02T10:00:00Z');
    const { a, b, close } = await twoReplicas(() => new Date(now), 1000);
    try {
      await b.claimDelivery('d-running', 'push');
      await b.claimDelivery('d-pending', 'pull_request.opened');
      const runningId = await b.jobs.addJob(job('o/r:branch:dev', 'push of 1234567 to dev', { delivery: 'd-running' }));
      await b.jobs.claimJob();
      const pendingId = await b.jobs.addJob(job('o/r#3', 'plan of 7654321', { delivery: 'd-pending' }));
      expect(await a.jobs.dropAbandonedJobs()).toBe(0);

      await b['lease'].stop(); // killed: no clean leave is recorded differently from a lease run out
      now += 5000;

      expect(await a.jobs.dropAbandonedJobs()).toBe(1);
      expect(await a.releaseAbandonedDeliveries()).toBe(1);
      expect(await a.claimDelivery('d-running', 'push')).toBe(true);
      expect(await a.claimDelivery('d-pending', 'pull_request.opened')).toBe(false);
      const taken = await a.jobs.claimJob();
      expect(taken).toMatchObject({ id: pendingId, delivery: 'd-pending' });
      expect(await a.jobs.remainingJobs([runningId, pendingId])).toEqual([pendingId]);
      // the delivery's claim moved with the job: it is released only if a dies too
      expect(await a.releaseAbandonedDeliveries()).toBe(0);
    } finally {
      await close();
    }
  });

  test('GIVEN bad jobs WHEN stored THEN one-line errors name the field and nothing is stored', async () => {
    const { a, close } = await twoReplicas();
    try {
      await expect(a.jobs.addJob(job('o/r#1', 'plan', { orderJson: '{not json' }))).rejects.toThrow(
        'job "plan": its order must be JSON (no replica could read it back)',
      );
      await expect(a.jobs.addJob(job('', 'plan'))).rejects.toThrow('job key must be a non-empty string (got "")');
      await expect(a.jobs.addJob(job('o/r#1', 'plan', { installationId: 0 }))).rejects.toThrow(
        'installation id must be a positive integer (got 0)',
      );
      expect(await a.jobs.pendingJobs()).toBe(0);
    } finally {
      await close();
    }
  });
});
