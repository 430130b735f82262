// Back-sync as the core sees it: rebase the lower environment branches onto the trunk after it moved,
// and report per branch what happened. The git adapter is controller/release/back-sync.ts.

/** synced: rebased and pushed (under dryRun: would be); up-to-date: already contains the trunk;
 * conflict: the rebase conflicts, nothing pushed; lease-lost: the branch kept moving while we pushed,
 * nothing pushed; error: anything else (the branch is missing, git failed). */
export type SyncOutcome = 'synced' | 'up-to-date' | 'conflict' | 'lease-lost' | 'error';

/** Outcomes where the branch was left as it was and a person has to bring the trunk in. */
export const UNTOUCHED_OUTCOMES: readonly SyncOutcome[] = ['conflict', 'lease-lost'];

export interface BranchSync {
  readonly branch: string;
  readonly outcome: SyncOutcome;
  /** The branch's tip as last read from the remote; null when it could not be read. */
  readonly before: string | null;
  /** The tip after the run: the pushed commit when synced (under dryRun the one that would be), else `before`. */
  readonly after: string | null;
  /** The conflicting files, sorted (conflict only; else empty). */
  readonly conflicts: string[];
  /** One line saying what happened. */
  readonly message: string;
}

export interface BackSyncReport {
  readonly trunk: string;
  /** The trunk commit the branches were rebased onto. */
  readonly trunkSha: string;
  readonly dryRun: boolean;
  readonly branches: BranchSync[];
}

export interface BackSyncOptions {
  /** The remote: an https/http/file URL, or a local path. */
  readonly repo: string;
  /** @default main */
  readonly trunk?: string;
  /** Rebased in this order. @default ['uat', 'dev'] */
  readonly branches?: readonly string[];
  /** Rebase and report, push nothing. @default false */
  readonly dryRun?: boolean;
  /** The installation token for an http(s) remote. @default none */
  readonly authToken?: string;
  /** Pushes retried after a lease failure, each from a fresh fetch. @default 3 */
  readonly maxLeaseRetries?: number;
  /**
   * Called with each push just before it is made (every attempt); a rejection stops that push and the
   * branch's outcome is `error`. The controller records the push here, so that the push webhook it causes
   * is known as its own. @default none
   */
  readonly recordPush?: (push: PlannedPush) => Promise<void>;
}

/** A push back-sync is about to make: `branch` from `before` (the lease) to `after`, its rebase onto the trunk at `trunkSha`. */
export interface PlannedPush {
  readonly branch: string;
  readonly before: string;
  readonly after: string;
  readonly trunkSha: string;
}

/** Runs a back-sync; throws only when nothing could be done (bad names, the remote or trunk unreadable). */
export type BackSync<O extends BackSyncOptions = BackSyncOptions> = (opts: O) => Promise<BackSyncReport>;
