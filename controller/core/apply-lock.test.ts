import { SqliteStore } from '../store/sqlite-store.js';
import { holdLock, LockTicketGoneError } from './apply-lock.js';

const request = (pr: number) => ({ repo: 'acme/infra', environment: 'dev', holder: `acme/infra#${pr}`, pr });
const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('holdLock', () => {
  test('GIVEN a held lock WHEN a second job waits THEN it is told where it stands, and holds the lock once the first releases', async () => {
    const store = new SqliteStore(':memory:');
    const first = await holdLock(store, request(1), { pollMs: 5 });
    const waits: number[] = [];
    const tickets: number[] = [];
    const second = holdLock(store, request(2), {
      pollMs: 5,
      onTicket: async (t) => void tickets.push(t.id),
      onWait: async (s) => void waits.push(s.position),
    });
    await tick();
    expect(waits).toEqual([1]);
    await first.release();
    await first.release();
    const held = await second;
    expect(held.ticket).toMatchObject({ id: tickets[0], state: 'held', pr: 2 });
    await held.release();
    expect(await store.listLocks()).toEqual([]);
  });

  test('GIVEN a waiting job WHEN its ticket is released by someone else THEN it stops with a reason; WHEN its signal aborts THEN it leaves the queue', async () => {
    const store = new SqliteStore(':memory:');
    await holdLock(store, request(1), { pollMs: 5 });
    let ticketId = 0;
    const gone = holdLock(store, request(2), { pollMs: 5, onTicket: async (t) => void (ticketId = t.id) });
    await tick();
    await store.releaseLock(ticketId);
    await expect(gone).rejects.toThrow(LockTicketGoneError);
    const abort = new AbortController();
    const stopped = holdLock(store, request(3), { pollMs: 5, signal: abort.signal });
    await tick();
    abort.abort(new Error('controller shutting down'));
    await expect(stopped).rejects.toThrow('controller shutting down');
    expect((await store.listLocks()).map((t) => t.pr)).toEqual([1]);
  });
});
