// The store contract's environment locks and applies (see store-contract.ts): one queue per
// repository and environment, first come first served whichever controller process enters it.
import type { LockRequest, Store } from '../core/ports/store.js';
import type { ContractWorld } from './store-contract.js';

const MINUTE = 60_000;
const lock = (pr: number, over: Partial<LockRequest> = {}): LockRequest => ({
  repo: 'acme/infra',
  environment: 'dev',
  holder: `acme/infra#${pr}`,
  pr,
  sha: 'a'.repeat(40),
  leaseMs: 5 * MINUTE,
  ...over,
});

export function describeLockContract(name: string, world: ContractWorld): void {
  const store = (id?: string) => world.store(id);

  describe(`${name} locks`, () => {
    test('GIVEN a free environment WHEN three tickets enter from two processes THEN the first holds it and the others wait in order, each seeing who is ahead', async () => {
      const a = await store('ctl-a');
      const b = await store('ctl-b');
      const first = await a.enterLockQueue(lock(7));
      expect(first).toMatchObject({ acquired: true, position: 0, ahead: [] });
      expect(first.ticket).toMatchObject({
        state: 'held',
        owner: 'ctl-a',
        acquiredAt: '2025-06-01T12:00:00.000Z',
        leaseExpiresAt: '2025-06-01T12:05:00.000Z',
      });
      const second = await b.enterLockQueue(lock(8));
      const third = await a.enterLockQueue(lock(9));
      expect(second).toMatchObject({ acquired: false, position: 1 });
      expect(third.position).toBe(2);
      expect(third.ahead.map((t) => t.pr)).toEqual([7, 8]);
      // another environment or repository has its own queue
      expect(await b.enterLockQueue(lock(10, { environment: 'uat' }))).toMatchObject({ acquired: true });
      expect(await b.enterLockQueue(lock(11, { repo: 'acme/other' }))).toMatchObject({ acquired: true });
      expect((await a.listLocks('acme/infra')).map((t) => [t.environment, t.pr, t.state])).toEqual([
        ['dev', 7, 'held'],
        ['dev', 8, 'waiting'],
        ['dev', 9, 'waiting'],
        ['uat', 10, 'held'],
      ]);
    });

    test('GIVEN a holder and two waiters WHEN the third polls before the second THEN it keeps waiting; WHEN the holder releases THEN the second takes it at its poll', async () => {
      const s = await store();
      const held = await s.enterLockQueue(lock(7));
      const second = await s.enterLockQueue(lock(8));
      const third = await s.enterLockQueue(lock(9));
      expect(await s.releaseLock(held.ticket.id)).toMatchObject({ pr: 7 });
      expect(await s.pollLock(third.ticket.id)).toMatchObject({ acquired: false, position: 1 });
      expect(await s.getLock('acme/infra', 'dev')).toBeUndefined();
      expect(await s.pollLock(second.ticket.id)).toMatchObject({ acquired: true, position: 0 });
      expect((await s.getLock('acme/infra', 'dev'))?.pr).toBe(8);
      expect(await s.pollLock(third.ticket.id)).toMatchObject({ acquired: false, position: 1 });
    });

    test('GIVEN ten tickets entering from two processes at once WHEN each polls until it holds, then releases THEN they hold the lock one at a time, in the order they entered', async () => {
      const [a, b] = [await store('ctl-a'), await store('ctl-b')];
      const tickets = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).enterLockQueue(lock(20 + i))));
      const order = [...tickets].sort((x, y) => x.ticket.id - y.ticket.id).map((t) => t.ticket.id);
      const held: number[] = [];
      let holders = 0;
      await Promise.all(
        tickets.map(async ({ ticket }, i) => {
          const s: Store = i % 2 ? a : b;
          while (!(await s.pollLock(ticket.id))?.acquired) await new Promise((r) => setTimeout(r, 2));
          holders++;
          expect(holders).toBe(1);
          held.push(ticket.id);
          await new Promise((r) => setTimeout(r, 2));
          holders--;
          await s.releaseLock(ticket.id);
        }),
      );
      expect(held).toEqual(order);
    });

    test('GIVEN a waiter whose lease ran out WHEN the next one polls THEN the dead waiter is dropped and the next takes the lock', async () => {
      const s = await store();
      const held = await s.enterLockQueue(lock(7));
      const dead = await s.enterLockQueue(lock(8, { leaseMs: MINUTE }));
      const alive = await s.enterLockQueue(lock(9, { leaseMs: 10 * MINUTE }));
      await s.releaseLock(held.ticket.id);
      world.clock += 2 * MINUTE;
      expect(await s.pollLock(alive.ticket.id)).toMatchObject({ acquired: true });
      expect(await s.pollLock(dead.ticket.id)).toBeUndefined();
    });

    test('GIVEN tickets WHEN renewed, released by pull request, or left by a stopped process THEN each call says what it did', async () => {
      const mine = await store('ctl-now');
      const old = await store('ctl-dead');
      const gone = await old.enterLockQueue(lock(7));
      await old.close();
      const waiting = await mine.enterLockQueue(lock(8));
      expect((await mine.abandonedLocks()).map((t) => t.pr)).toEqual([7]);
      world.clock += 10 * MINUTE;
      expect(await mine.renewLock(waiting.ticket.id, 5 * MINUTE)).toBe(true);
      expect((await mine.abandonedLocks()).map((t) => t.pr)).toEqual([7]);
      expect(await mine.renewLock(12345, MINUTE)).toBe(false);
      expect((await mine.releaseLocksOf('acme/infra', 8)).map((t) => t.id)).toEqual([waiting.ticket.id]);
      expect(await mine.releaseLock(gone.ticket.id)).toMatchObject({ pr: 7 });
      expect(await mine.releaseLock(gone.ticket.id)).toBeUndefined();
      expect(await mine.listLocks()).toEqual([]);
    });

    test.each<[Partial<LockRequest>, string]>([
      [{ holder: '' }, 'lock holder must be a non-empty string (got "")'],
      [{ environment: '' }, 'lock environment must be a non-empty string (got "")'],
      [{ pr: 0 }, 'lock pr must be a positive integer (got 0)'],
      [{ leaseMs: 0 }, 'lock leaseMs must be a positive number of ms (got 0)'],
    ])(
      'GIVEN a bad lock request %j WHEN it enters the queue THEN it throws naming the field, and nothing is queued',
      async (over, message) => {
        const s = await store();
        await expect(s.enterLockQueue(lock(7, over))).rejects.toThrow(message);
        expect(await s.listLocks()).toEqual([]);
      },
    );
  });

  describe(`${name} applies`, () => {
    const sha = 'b'.repeat(40);
    test('GIVEN an apply WHEN linked and finished THEN it reads back; an unfinished one of a stopped process is abandoned', async () => {
      const s = await store('ctl-1');
      const id = await s.saveApply({
        repo: 'acme/infra',
        environment: 'dev',
        sha,
        baseSha: 'c'.repeat(40),
        pr: 4,
        installationId: 1,
        cloneUrl: 'http://x/a.git',
        actor: 'priya',
      });
      await s.linkApply(id, { checkRunId: 40_123_456_789 });
      await s.linkApply(id, { deploymentId: 12, lockId: 13 });
      await s.updateApply(id, { status: 'running' });
      expect(await s.getApply(id)).toMatchObject({
        status: 'running',
        checkRunId: 40_123_456_789,
        deploymentId: 12,
        lockId: 13,
        pr: 4,
        actor: 'priya',
        reason: null,
      });
      expect(await s.abandonedApplies()).toEqual([]);
      const done = await s.saveApply({ repo: 'acme/infra', environment: 'dev', sha: 'd'.repeat(40), baseSha: sha });
      await s.updateApply(done, { status: 'succeeded' });
      await s.close();
      expect((await (await store('ctl-2')).abandonedApplies()).map((a) => a.id)).toEqual([id]);
      expect((await (await store('ctl-3')).succeededApplies('acme/infra', 'dev')).map((a) => a.id)).toEqual([done]);
    });

    test.each<[(s: Store) => Promise<unknown>, string]>([
      [(s) => s.saveApply({ repo: 'r', environment: 'dev', sha: '', baseSha: 'b' }), 'apply.sha must be a non-empty string (got "")'],
      [
        (s) => s.updateApply(1, { status: 'done' as never }),
        'apply.status must be one of queued, running, succeeded, failed, differs, skipped (got "done")',
      ],
      [(s) => s.updateApply(999, { status: 'failed' }), 'updateApply: no apply with id 999'],
      [(s) => s.linkApply(999, { lockId: 1 }), 'linkApply: no apply with id 999'],
    ])('GIVEN bad apply input #%# WHEN stored THEN it throws naming the field', async (act, message) => {
      await expect(act(await store())).rejects.toThrow(message);
    });
  });
}
