import { useTestDatabase } from '../../test/fixtures/postgres.js';
import type { ControllerCore } from '../core/controller.js';
import type { PullRequestRef, RepoSession } from '../core/ports/session.js';
import { PostgresStore } from '../store/postgres-store.js';
import { jobOf } from './job-orders.js';
import { JobQueue } from './job-queue.js';
import { SharedJobQueue } from './shared-job-queue.js';

const database = useTestDatabase();

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const pr = (headSha: string): PullRequestRef => ({
  owner: 'acme',
  repo: 'infra',
  number: 4,
  headRef: 'feature/x',
  headSha,
  baseRef: 'dev',
  baseSha: 'b'.repeat(40),
  cloneUrl: 'https://github.example/acme/infra.git',
});
const session = (installationId?: number): RepoSession =>
  ({ installationId, log: silent, authToken: async () => undefined }) as unknown as RepoSession;

/** A core that records what ran where; plans wait until released, and say whether they were superseded. */
function recordingCore(replica: string, events: string[], held: Map<string, () => void>): ControllerCore {
  return {
    async pullRequestChanged(s, ref, signal) {
      events.push(`${replica} plan ${ref.headSha} start (installation ${s.installationId})`);
      await new Promise<void>((resolve) => {
        held.set(ref.headSha, resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
        if (signal.aborted) resolve();
      });
      events.push(`${replica} plan ${ref.headSha} end${signal.aborted ? `: ${(signal.reason as Error).message}` : ''}`);
    },
    async reviewChanged(_s, ref) {
      events.push(`${replica} review ${ref.headSha}`);
    },
    commentCreated: async () => ({ kind: 'ignored' }) as never,
    pushed: async () => undefined,
    applyApproved: async () => undefined,
    pullRequestClosed: async () => undefined,
  };
}

async function replicas() {
  const reset = await PostgresStore.open(database.url, { controllerId: 'reset', replica: false });
  await reset['db'].query(
    'DROP TABLE IF EXISTS gitops_schema, deliveries, plans, runs, lock_queue, applies, replies, replicas, sync_pushes, jobs',
  );
  await reset.close();
  const events: string[] = [];
  const held = new Map<string, () => void>();
  const make = async (id: string) => {
    const store = await PostgresStore.open(database.url, { controllerId: id });
    const core = recordingCore(id, events, held);
    const queue = new SharedJobQueue({ jobs: store.jobs, local: new JobQueue(), deliveries: store, pollMs: 20, log: silent });
    const sessions: number[] = [];
    const runner = {
      core,
      sessionFor: async (installationId: number) => {
        sessions.push(installationId);
        return session(installationId);
      },
    };
    return { id, store, core, queue, sessions, start: () => queue.start(runner) };
  };
  const a = await make('a');
  const b = await make('b');
  const waitFor = async (what: () => boolean) => {
    while (!what()) await new Promise((r) => setTimeout(r, 10));
  };
  const close = async () => {
    for (const release of held.values()) release();
    await Promise.all([a.queue.close(), b.queue.close()]);
    await Promise.all([a.store.close(), b.store.close()]);
  };
  return { a, b, events, held, waitFor, close };
}

describe('SharedJobQueue', () => {
  test('GIVEN replica a not claiming and replica b claiming WHEN a accepts a review THEN b runs it with a session of its installation, a’s promise settles after, and its delivery is done', async () => {
    const { a, b, events, close } = await replicas();
    try {
      b.start();
      await a.store.claimDelivery('d-1', 'pull_request_review.submitted');

      const accepted = a.queue.enqueue(jobOf(a.core, session(42), { kind: 'review', pr: pr('c'.repeat(40)) }, 'd-1'));
      expect(a.queue.size).toBe(0); // not stored yet: counted once it is
      await accepted;

      expect(events).toEqual([`b review ${'c'.repeat(40)}`]);
      expect(b.sessions).toEqual([42]);
      expect(await a.store.claimDelivery('d-1', 'pull_request_review.submitted')).toBe(false);
      expect(await a.store['db'].rows("SELECT status, claimed_by FROM deliveries WHERE id = 'd-1'")).toEqual([
        { status: 'done', claimed_by: 'b' },
      ]);
      expect(await a.store.jobs.pendingJobs()).toBe(0);
      expect(a.queue.size).toBe(0);
    } finally {
      await close();
    }
  });

  test('GIVEN a plan running in replica b WHEN replica a accepts a newer plan of the pull request THEN b’s plan ends as superseded by it, and the newer plan starts only after that, in whichever replica', async () => {
    const { a, b, events, held, waitFor, close } = await replicas();
    try {
      b.start();
      const older = b.queue.enqueue(jobOf(b.core, session(42), { kind: 'plan', pr: pr('1'.repeat(40)) }));
      await waitFor(() => held.has('1'.repeat(40)));
      a.start();

      const newer = a.queue.enqueue(jobOf(a.core, session(42), { kind: 'plan', pr: pr('2'.repeat(40)) }));
      await older;
      await waitFor(() => held.has('2'.repeat(40)));
      held.get('2'.repeat(40))!();
      await newer;

      expect(events[0]).toBe(`b plan ${'1'.repeat(40)} start (installation 42)`);
      expect(events[1]).toBe(`b plan ${'1'.repeat(40)} end: superseded by plan of 2222222`);
      expect(events[2]).toMatch(new RegExp(`^[ab] plan ${'2'.repeat(40)} start`));
      expect(events[3]).toMatch(new RegExp(`^[ab] plan ${'2'.repeat(40)} end$`));
      expect(events).toHaveLength(4);
    } finally {
      await close();
    }
  });

  test('GIVEN a job with no installation WHEN accepted THEN it runs in the accepting process and is never stored', async () => {
    const { a, events, close } = await replicas();
    try {
      await a.queue.enqueue(jobOf(a.core, session(undefined), { kind: 'review', pr: pr('d'.repeat(40)) }));

      expect(events).toEqual([`a review ${'d'.repeat(40)}`]);
      expect(await a.store['db'].rows('SELECT id FROM jobs')).toEqual([]);
    } finally {
      await close();
    }
  });

  test('GIVEN a job accepted by a replica that closes before anyone claims it WHEN another replica starts THEN that one runs it: nothing accepted is lost', async () => {
    const { a, b, events, waitFor, close } = await replicas();
    try {
      const accepted = a.queue.enqueue(jobOf(a.core, session(42), { kind: 'review', pr: pr('e'.repeat(40)) }));
      await waitFor(() => a.queue.size === 1);
      await a.queue.close();
      await accepted;
      expect(events).toEqual([]);

      b.start();
      await waitFor(() => events.length === 1);

      expect(events).toEqual([`b review ${'e'.repeat(40)}`]);
    } finally {
      await close();
    }
  });

  test('GIVEN bad options WHEN constructed THEN one-line errors name the option and the allowed values', async () => {
    const { a, close } = await replicas();
    try {
      const base = { jobs: a.store.jobs, local: new JobQueue(), deliveries: a.store, log: silent };
      expect(() => new SharedJobQueue({ ...base, concurrency: 0 })).toThrow(
        'SharedJobQueue: concurrency must be a whole number of at least 1 (got 0)',
      );
      expect(() => new SharedJobQueue({ ...base, pollMs: 1 })).toThrow('SharedJobQueue: pollMs must be at least 10 (got 1)');
    } finally {
      await close();
    }
  });
});
