// The behaviour every store of the controller's state has, whatever keeps it: one suite, run against
// the SQLite store (sqlite-store.test.ts) and the PostgreSQL store (postgres-store.test.ts). Stores
// opened on one database with different controller ids stand for controller processes (or replicas)
// sharing it; one closed stands for a controller that stopped. Locks and applies are in
// store-contract-locks.ts; the status page's reads and back-sync's pushes in store-contract-reads.ts.
import { LOG_TAIL_LIMIT, type NewPlan, type Store } from '../core/ports/store.js';
import { describeLockContract } from './store-contract-locks.js';
import { describeReadsContract } from './store-contract-reads.js';

export interface StoreHarness {
  /** Opens a store on the shared database, speaking for controller process `controllerId`. */
  open(opts: { readonly controllerId?: string; readonly now: () => Date }): Promise<Store>;
  /** Empties the shared database (every store opened before is closed). */
  reset(): Promise<void>;
}

export const START = Date.parse('2025-06-01T12:00:00Z');

/** The clock and stores of one test; `store(id)` opens another store on the shared database. */
export interface ContractWorld {
  clock: number;
  store(controllerId?: string): Promise<Store>;
}

/** Registers beforeEach/afterEach that give each test a fresh database and close its stores. */
export function contractWorld(harness: () => StoreHarness): ContractWorld {
  const open: Store[] = [];
  const world: ContractWorld = {
    clock: START,
    async store(controllerId?: string) {
      const s = await harness().open({ controllerId, now: () => new Date(world.clock) });
      open.push(s);
      return s;
    },
  };
  beforeEach(async () => {
    world.clock = START;
    await harness().reset();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return world;
}

const plan = (over: Partial<NewPlan> = {}): NewPlan => ({
  repo: 'acme/infra',
  pr: 7,
  environment: 'prod',
  headSha: 'h1',
  baseSha: 'b1',
  status: 'running',
  ...over,
});

export function describeStoreContract(name: string, harness: () => StoreHarness): void {
  const world = contractWorld(harness);
  const store = (id?: string) => world.store(id);

  describe(`${name} deliveries`, () => {
    test('GIVEN a new delivery id WHEN claimed twice THEN only the first claim wins', async () => {
      const s = await store();
      expect(await s.claimDelivery('d-1', 'pull_request')).toBe(true);
      expect(await s.claimDelivery('d-1', 'pull_request')).toBe(false);
      expect(await s.claimDelivery('d-2', 'issue_comment')).toBe(true);
    });

    test('GIVEN two stores on one database WHEN both claim the same 100 ids at once THEN each id is won exactly once', async () => {
      const [a, b] = [await store('a'), await store('b')];
      const wins = await Promise.all(
        Array.from({ length: 100 }, (_, i) => Promise.all([a.claimDelivery(`d-${i}`, 'push'), b.claimDelivery(`d-${i}`, 'push')])),
      );
      expect(wins.every(([x, y]) => x !== y)).toBe(true);
    });

    test('GIVEN old and new deliveries WHEN pruned THEN only the old ones are forgotten', async () => {
      const s = await store();
      await s.claimDelivery('old', 'push');
      world.clock += 3 * 24 * 3600_000;
      await s.claimDelivery('new', 'push');
      expect(await s.pruneDeliveries(new Date(world.clock - 24 * 3600_000))).toBe(1);
      expect(await s.claimDelivery('old', 'push')).toBe(true);
      expect(await s.claimDelivery('new', 'push')).toBe(false);
    });

    test('GIVEN deliveries claimed by a controller that stopped WHEN the next one releases abandoned claims THEN only the unfinished ones of the stopped one are forgotten', async () => {
      const before = await store('before');
      await before.claimDelivery('finished', 'pull_request.opened');
      await before.finishDelivery('finished');
      await before.claimDelivery('abandoned', 'pull_request.synchronize');
      await before.close();
      const next = await store('next');
      await next.claimDelivery('mine', 'issue_comment.created');
      expect(await next.releaseAbandonedDeliveries()).toBe(1);
      expect(await next.claimDelivery('abandoned', 'pull_request.synchronize')).toBe(true);
      expect(await next.claimDelivery('finished', 'pull_request.opened')).toBe(false);
      expect(await next.claimDelivery('mine', 'issue_comment.created')).toBe(false);
      expect(await next.releaseAbandonedDeliveries()).toBe(0);
    });

    test('GIVEN an unknown delivery id WHEN marked done THEN nothing happens (it may have been pruned)', async () => {
      await expect((await store()).finishDelivery('never-claimed')).resolves.toBeUndefined();
    });

    test.each([
      ['', 'push', 'delivery id must be a non-empty string (got "")'],
      ['d', '  ', 'event must be a non-empty string (got "  ")'],
    ])('GIVEN the delivery %p / event %p WHEN claimed THEN it throws naming the field', async (id, event, message) => {
      await expect((await store()).claimDelivery(id, event)).rejects.toThrow(message);
    });
  });

  describe(`${name} plans`, () => {
    test('GIVEN a saved plan WHEN updated and read THEN status, summary and timestamps follow', async () => {
      const s = await store();
      const id = await s.savePlan(plan());
      world.clock += 60_000;
      await s.updatePlan(id, { status: 'planned', summaryJson: '{"add":1}' });
      expect(await s.getPlan(id)).toEqual({
        id,
        repo: 'acme/infra',
        pr: 7,
        environment: 'prod',
        headSha: 'h1',
        baseSha: 'b1',
        status: 'planned',
        summaryJson: '{"add":1}',
        installationId: null,
        headRef: null,
        baseRef: null,
        cloneUrl: null,
        author: null,
        planCheckId: null,
        policyCheckId: null,
        reason: null,
        createdAt: '2025-06-01T12:00:00.000Z',
        updatedAt: '2025-06-01T12:01:00.000Z',
      });
      await s.updatePlan(id, { status: 'failed' });
      expect((await s.getPlan(id))?.summaryJson).toBe('{"add":1}');
    });

    test('GIVEN three plans of one pull request WHEN the newest supersedes THEN the older open ones are superseded, failed ones keep their status', async () => {
      const s = await store();
      const a = await s.savePlan(plan({ headSha: 'h1', status: 'planned' }));
      const b = await s.savePlan(plan({ headSha: 'h2', status: 'failed' }));
      const other = await s.savePlan(plan({ pr: 8, status: 'planned' }));
      const otherEnv = await s.savePlan(plan({ environment: 'uat', status: 'running' }));
      const c = await s.savePlan(plan({ headSha: 'h3', status: 'running' }));
      expect(await s.supersedePlans('acme/infra', 7, 'prod', c)).toBe(1);
      const statuses = await Promise.all([a, b, other, otherEnv, c].map(async (id) => (await s.getPlan(id))?.status));
      expect(statuses).toEqual(['superseded', 'failed', 'planned', 'running', 'running']);
      expect((await s.latestPlan('acme/infra', 7, 'prod'))?.id).toBe(c);
      expect(await s.latestPlan('acme/infra', 99, 'prod')).toBeUndefined();
    });

    test.each<[Partial<NewPlan>, string]>([
      [{ status: 'done' as never }, 'plan.status must be one of pending, running, planned, unavailable, failed, superseded (got "done")'],
      [{ pr: 0 }, 'plan.pr must be a positive integer (got 0)'],
      [{ pr: 1.5 }, 'plan.pr must be a positive integer (got 1.5)'],
      [{ repo: '' }, 'plan.repo must be a non-empty string (got "")'],
      [{ headSha: undefined as never }, 'plan.headSha must be a non-empty string (got undefined)'],
      [{ installationId: -1 }, 'plan.installationId must be a positive integer (got -1)'],
      [{ headRef: '' }, 'plan.headRef must be a non-empty string (got "")'],
      [{ cloneUrl: ' ' }, 'plan.cloneUrl must be a non-empty string (got " ")'],
    ])(
      'GIVEN the bad plan field %p WHEN saved THEN it throws naming the field, value and allowed values, and nothing is saved',
      async (over, message) => {
        const s = await store();
        await expect(s.savePlan(plan(over))).rejects.toThrow(message);
        expect(await s.latestPlan('acme/infra', 7, 'prod')).toBeUndefined();
      },
    );

    test('GIVEN an unknown plan id WHEN updated THEN it throws naming the id', async () => {
      const s = await store();
      await expect(s.updatePlan(404, { status: 'planned' })).rejects.toThrow('updatePlan: no plan with id 404');
      await expect(s.recordPlanChecks(404, { planCheckId: 1 })).rejects.toThrow('recordPlanChecks: no plan with id 404');
    });

    test('GIVEN a plan with what recovery needs WHEN its checks are recorded one at a time and it fails THEN the record holds all of it', async () => {
      const s = await store();
      const id = await s.savePlan(
        plan({
          installationId: 42,
          headRef: 'feature/x',
          baseRef: 'dev',
          cloneUrl: 'https://github.example/acme/infra.git',
          author: 'alice',
        }),
      );
      // GitHub's check run ids are past 2^31
      await s.recordPlanChecks(id, { planCheckId: 40_123_456_789 });
      await s.recordPlanChecks(id, { policyCheckId: 1002 });
      await s.updatePlan(id, { status: 'failed', reason: 'terraform init failed' });
      expect(await s.getPlan(id)).toMatchObject({
        installationId: 42,
        headRef: 'feature/x',
        baseRef: 'dev',
        cloneUrl: 'https://github.example/acme/infra.git',
        author: 'alice',
        planCheckId: 40_123_456_789,
        policyCheckId: 1002,
        status: 'failed',
        reason: 'terraform init failed',
      });
    });

    test("GIVEN plans of a stopped controller and of a running one WHEN abandoned plans are listed THEN only the stopped one's pending and running ones come, oldest first", async () => {
      const before = await store('before');
      const running = await before.savePlan(plan({ status: 'running' }));
      await before.savePlan(plan({ pr: 8, status: 'planned' }));
      const pending = await before.savePlan(plan({ pr: 9, status: 'pending' }));
      await before.close();
      const next = await store('next');
      await next.savePlan(plan({ pr: 10, status: 'running' }));
      expect((await next.abandonedPlans()).map((p) => p.id)).toEqual([running, pending]);
    });

    test("GIVEN plans of several heads WHEN the plans of one head are asked for THEN only that head's plans of the pull request and environment come, oldest first", async () => {
      const s = await store();
      const first = await s.savePlan(plan({ headSha: 'h1', status: 'failed', reason: 'controller restarted' }));
      await s.savePlan(plan({ headSha: 'h2' }));
      await s.savePlan(plan({ headSha: 'h1', environment: 'uat' }));
      const second = await s.savePlan(plan({ headSha: 'h1' }));
      expect((await s.plansOfHead('acme/infra', 7, 'prod', 'h1')).map((p) => [p.id, p.reason])).toEqual([
        [first, 'controller restarted'],
        [second, null],
      ]);
    });
  });

  describe(`${name} reply limits`, () => {
    const key = { repo: 'acme/infra', pr: 7, user: 'mallory', kind: 'refused' };
    const HOUR = 3600_000;
    const at = (ms: number) => new Date(START + ms);

    test('GIVEN a reply taken WHEN the same person asks again within the window THEN no reply; WHEN the window has passed THEN one more', async () => {
      const s = await store();
      expect(await s.takeReply(key, at(0), HOUR)).toBe(true);
      expect(await s.takeReply(key, at(1000), HOUR)).toBe(false);
      expect(await s.takeReply(key, at(HOUR - 1), HOUR)).toBe(false);
      expect(await s.takeReply(key, at(HOUR), HOUR)).toBe(true);
      expect(await s.takeReply(key, at(HOUR + 1000), HOUR)).toBe(false);
    });

    test('GIVEN one person refused WHEN another person, pull request or kind asks THEN each gets its own reply', async () => {
      const s = await store();
      await s.takeReply(key, at(0), HOUR);
      expect(await s.takeReply({ ...key, user: 'eve' }, at(1), HOUR)).toBe(true);
      expect(await s.takeReply({ ...key, pr: 8 }, at(2), HOUR)).toBe(true);
      expect(await s.takeReply({ ...key, kind: 'other' }, at(3), HOUR)).toBe(true);
    });

    test('GIVEN two replicas on one database WHEN both take the same reply at once THEN exactly one gets it', async () => {
      const [a, b] = [await store('a'), await store('b')];
      const taken = await Promise.all([a.takeReply(key, at(0), HOUR), b.takeReply(key, at(0), HOUR)]);
      expect(taken.sort()).toEqual([false, true]);
    });

    test('GIVEN old and recent replies WHEN pruned THEN only the old ones are forgotten', async () => {
      const s = await store();
      await s.takeReply(key, at(0), HOUR);
      await s.takeReply({ ...key, user: 'eve' }, at(2 * HOUR), HOUR);
      expect(await s.pruneReplies(at(HOUR))).toBe(1);
      expect(await s.takeReply(key, at(2 * HOUR), HOUR)).toBe(true);
    });

    test.each<[(s: Store) => Promise<boolean>, string]>([
      [(s) => s.takeReply({ ...key, user: '' }, at(0), HOUR), 'reply user must be a non-empty string (got "")'],
      [(s) => s.takeReply({ ...key, pr: 0 }, at(0), HOUR), 'reply pr must be a positive integer (got 0)'],
      [(s) => s.takeReply(key, at(0), 0), 'reply window must be a positive number of ms (got 0)'],
    ])('GIVEN bad reply input #%# WHEN taken THEN it throws naming the field', async (act, message) => {
      await expect(act(await store())).rejects.toThrow(message);
    });
  });

  describe(`${name} runs`, () => {
    test('GIVEN runs of two environments WHEN finished and listed THEN they come newest first, filtered, with the log tail kept', async () => {
      const s = await store('ctl-1');
      const r1 = await s.recordRun({ repo: 'acme/infra', kind: 'plan', environment: 'uat', stack: 'release-uat', sha: 's1' });
      world.clock += 1000;
      const r2 = await s.recordRun({
        repo: 'acme/infra',
        kind: 'apply',
        environment: 'prod',
        stack: 'release-prod',
        sha: 's2',
        applyId: 3,
      });
      await s.finishRun(r2, { status: 'failed', logTail: 'x'.repeat(LOG_TAIL_LIMIT + 10) + 'Error: boom' });
      expect((await s.listRuns()).map((r) => r.id)).toEqual([r2, r1]);
      const [prod] = await s.listRuns({ environment: 'prod', kind: 'apply' });
      expect(prod).toMatchObject({
        id: r2,
        status: 'failed',
        startedAt: '2025-06-01T12:00:01.000Z',
        finishedAt: '2025-06-01T12:00:01.000Z',
        applyId: 3,
        startedBy: 'ctl-1',
      });
      expect(prod.logTail).toHaveLength(LOG_TAIL_LIMIT);
      expect(prod.logTail?.endsWith('Error: boom')).toBe(true);
      expect((await s.listRuns({ environment: 'uat' }))[0]).toMatchObject({
        id: r1,
        status: 'running',
        finishedAt: null,
        logTail: null,
        applyId: null,
      });
      expect(await s.listRuns({ limit: 1 })).toHaveLength(1);
      expect(await s.listRuns({ sha: 'nope' })).toEqual([]);
      expect((await s.runsOfApply(3)).map((r) => r.id)).toEqual([r2]);
    });

    test.each<[(s: Store) => Promise<unknown>, string]>([
      [
        (s) => s.recordRun({ repo: 'r', kind: 'destroy' as never, environment: 'e', stack: 's', sha: 'x' }),
        'run.kind must be one of plan, apply (got "destroy")',
      ],
      [
        (s) => s.finishRun(1, { status: 'ok' as never }),
        'run.status must be one of running, succeeded, failed, cancelled, timed_out, unavailable (got "ok")',
      ],
      [(s) => s.finishRun(12345, { status: 'failed' }), 'finishRun: no run with id 12345'],
      [(s) => s.listRuns({ limit: 0 }), 'listRuns limit must be a positive integer (got 0)'],
    ])('GIVEN bad run input #%# WHEN stored THEN it throws with the allowed values', async (act, message) => {
      await expect(act(await store())).rejects.toThrow(message);
    });
  });

  describeLockContract(name, world);
  describeReadsContract(name, world);
}
