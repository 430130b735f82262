// Waiting for an environment's lock and keeping it: the ticket joins the queue, polls until it is
// first, and renews its lease while the apply runs, so a store shared by replicas can tell a live
// holder from a dead one. Every wait can be aborted (shutdown); the ticket then leaves the queue.
import type { LockRecord, LockRequest, LockStanding, Locks } from './ports/store.js';

/** Default lease of a ticket: renewed every third of it while its job lives. */
export const LOCK_LEASE_MS = 5 * 60_000;
/** How often a waiting ticket asks whether it is first. */
export const LOCK_POLL_MS = 1_000;

/** The ticket was removed while it waited: an approver's `/unlock`, or its pull request was closed. */
export class LockTicketGoneError extends Error {
  readonly reason: string;
  constructor(readonly environment: string) {
    const reason = `the ${environment} lock ticket was released while it waited (by /unlock, or its pull request was closed)`;
    super(reason);
    this.reason = reason;
    this.name = 'LockTicketGoneError';
  }
}

export interface HeldLock {
  readonly ticket: LockRecord;
  /** Stops renewing and leaves the queue; safe to call twice. */
  release(): Promise<void>;
}

export interface HoldLockOptions {
  readonly signal?: AbortSignal;
  /** @default LOCK_LEASE_MS */
  readonly leaseMs?: number;
  /** @default LOCK_POLL_MS */
  readonly pollMs?: number;
  /** The ticket exists (record it, so a restart can find it). */
  readonly onTicket?: (ticket: LockRecord) => Promise<void>;
  /** Called when the ticket has to wait, and whenever what is ahead of it changes. */
  readonly onWait?: (standing: LockStanding) => Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });

/** Joins the queue and resolves once the lock is held; the lease is renewed until `release`. */
export async function holdLock(locks: Locks, request: Omit<LockRequest, 'leaseMs'>, opts: HoldLockOptions = {}): Promise<HeldLock> {
  const leaseMs = opts.leaseMs ?? LOCK_LEASE_MS;
  let standing: LockStanding | undefined = await locks.enterLockQueue({ ...request, leaseMs });
  const ticketId = standing.ticket.id;
  try {
    await opts.onTicket?.(standing.ticket);
    let shown = '';
    while (!standing.acquired) {
      const ahead = standing.ahead.map((t) => t.id).join(',');
      if (ahead !== shown) {
        shown = ahead;
        await opts.onWait?.(standing);
      }
      await sleep(opts.pollMs ?? LOCK_POLL_MS, opts.signal);
      await locks.renewLock(ticketId, leaseMs);
      standing = await locks.pollLock(ticketId);
      if (!standing) throw new LockTicketGoneError(request.environment);
    }
  } catch (e) {
    await locks.releaseLock(ticketId);
    throw e;
  }
  const renewal = setInterval(() => void locks.renewLock(ticketId, leaseMs).catch(() => undefined), Math.max(1, Math.floor(leaseMs / 3)));
  renewal.unref();
  let released = false;
  return {
    ticket: standing.ticket,
    async release() {
      clearInterval(renewal);
      if (released) return;
      released = true;
      await locks.releaseLock(ticketId);
    },
  };
}
