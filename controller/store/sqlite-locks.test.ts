import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
const open: SqliteStore[] = [];
let clock = Date.parse('2025-06-01T12:00:00Z');
/** A store on one shared file, speaking for controller process `controllerId`. */
function store(controllerId?: string): SqliteStore {
  const s = new SqliteStore(join(dir, 'gitops.sqlite'), { now: () => new Date(clock), controllerId });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-store-'));
  clock = Date.parse('2025-06-01T12:00:00Z');
});
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

const MINUTE = 60_000;
const lock = (pr: number, over: object = {}) => ({
  repo: 'acme/infra',
  environment: 'dev',
  holder: `acme/infra#${pr}`,
  pr,
  sha: 'a'.repeat(40),
  leaseMs: 5 * MINUTE,
  ...over,
});

describe('SqliteLocks', () => {
  test('GIVEN a free environment WHEN three tickets enter from two processes THEN the first holds it and the others wait in order, each seeing who is ahead', async () => {
    const a = store('ctl-a');
    const b = store('ctl-b');
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
    const s = store();
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

  test('GIVEN a waiter whose lease ran out WHEN the next one polls THEN the dead waiter is dropped and the next takes the lock', async () => {
    const s = store();
    const held = await s.enterLockQueue(lock(7));
    const dead = await s.enterLockQueue(lock(8, { leaseMs: MINUTE }));
    const alive = await s.enterLockQueue(lock(9, { leaseMs: 10 * MINUTE }));
    await s.releaseLock(held.ticket.id);
    clock += 2 * MINUTE;
    expect(await s.pollLock(alive.ticket.id)).toMatchObject({ acquired: true });
    expect(await s.pollLock(dead.ticket.id)).toBeUndefined();
  });

  test('GIVEN tickets WHEN renewed, released by pull request, or left by another process THEN each call says what it did', async () => {
    const mine = store('ctl-now');
    const old = store('ctl-dead');
    const gone = await old.enterLockQueue(lock(7));
    const waiting = await mine.enterLockQueue(lock(8));
    expect((await mine.abandonedLocks()).map((t) => t.pr)).toEqual([7]);
    clock += 10 * MINUTE;
    expect(await mine.renewLock(waiting.ticket.id, 5 * MINUTE)).toBe(true);
    expect((await mine.abandonedLocks()).map((t) => t.pr)).toEqual([7]);
    expect(await mine.renewLock(12345, MINUTE)).toBe(false);
    expect((await mine.releaseLocksOf('acme/infra', 8)).map((t) => t.id)).toEqual([waiting.ticket.id]);
    expect(await mine.releaseLock(gone.ticket.id)).toMatchObject({ pr: 7 });
    expect(await mine.releaseLock(gone.ticket.id)).toBeUndefined();
    expect(await mine.listLocks()).toEqual([]);
  });

  test.each<[object, string]>([
    [{ holder: '' }, 'lock holder must be a non-empty string (got "")'],
    [{ environment: '' }, 'lock environment must be a non-empty string (got "")'],
    [{ pr: 0 }, 'lock pr must be a positive integer (got 0)'],
    [{ leaseMs: 0 }, 'lock leaseMs must be a positive number of ms (got 0)'],
  ])(
    'GIVEN a bad lock request %j WHEN it enters the queue THEN it throws naming the field, and nothing is queued',
    async (over, message) => {
      const s = store();
      await expect(s.enterLockQueue(lock(7, over))).rejects.toThrow(message);
      expect(await s.listLocks()).toEqual([]);
    },
  );
});
