// Whether Terraform still holds the state lock of a stack on the local backend. Terraform locks a local
// state file with an OS lock (fcntl) on the file itself, and writes `.<name>.tfstate.lock.info` beside it
// for people to read. A terraform killed with the controller loses the OS lock at once, but its info
// file stays. So the lock counts as held while the kernel lists a lock on the state file's inode
// (/proc/locks, Linux); an info file without one is what a killed terraform left, and is removed. Where
// /proc/locks cannot be read, an info file counts as held: the controller never guesses a lock away.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StateLockReport {
  /** Stacks whose state lock is held (or, without /proc/locks, whose lock info file is there). */
  readonly held: string[];
  /** Stacks whose lock info file was left by a terraform that is gone; the file was removed. */
  readonly staleInfoRemoved: string[];
}

/** Inodes the kernel lists a file lock on (any kind: POSIX, OFD, FLOCK); undefined when /proc/locks cannot be read. */
export function lockedInodes(procLocks = '/proc/locks'): Set<number> | undefined {
  let text: string;
  try {
    text = readFileSync(procLocks, 'utf8');
  } catch {
    return undefined;
  }
  const inodes = new Set<number>();
  for (const line of text.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF": the device and inode are major:minor:inode
    const field = line
      .trim()
      .split(/\s+/)
      .find((f) => /^[0-9a-f]+:[0-9a-f]+:\d+$/i.test(f));
    if (field) inodes.add(Number(field.split(':')[2]));
  }
  return inodes;
}

/** The state file and lock info file of a stack in the runner's state directory. */
export const stateFiles = (stateDir: string, stack: string): { state: string; lockInfo: string } => ({
  state: join(stateDir, `${stack}.tfstate`),
  lockInfo: join(stateDir, `.${stack}.tfstate.lock.info`),
});

/** Checks the local state lock of each stack (see above); removes the info files no terraform holds. */
export function checkLocalStateLocks(stateDir: string, stacks: readonly string[], procLocks?: string): StateLockReport {
  const inodes = lockedInodes(procLocks);
  const held: string[] = [];
  const staleInfoRemoved: string[] = [];
  for (const stack of stacks) {
    const { state, lockInfo } = stateFiles(stateDir, stack);
    const info = existsSync(lockInfo);
    if (inodes === undefined) {
      if (info) held.push(stack);
      continue;
    }
    if (existsSync(state) && inodes.has(statSync(state).ino)) held.push(stack);
    else if (info) {
      rmSync(lockInfo, { force: true });
      staleInfoRemoved.push(stack);
    }
  }
  return { held, staleInfoRemoved };
}
