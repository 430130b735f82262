// For tests that stop processes: whether a pid is still a live process.
import { readdirSync, readFileSync } from 'node:fs';

/** Alive and not a zombie waiting for a reaper. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Waits up to `ms` for `pid` to be gone; true when it is. */
export async function waitGone(pid: number, ms = 3000): Promise<boolean> {
  for (let waited = 0; waited < ms && isRunning(pid); waited += 50) await new Promise((r) => setTimeout(r, 50));
  return !isRunning(pid);
}

/** Host pids of the processes one of whose arguments is `marker` (a child in a PID namespace knows only its own pid). */
export function pidsWithArgument(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker) && isRunning(Number(entry))) pids.push(Number(entry));
    } catch {
      // the process ended while the list was read
    }
  }
  return pids;
}

/** Waits up to `ms` for a process with the argument `marker` to appear; its host pid, or undefined. */
export async function waitForArgument(marker: string, ms = 10_000): Promise<number | undefined> {
  for (let waited = 0; waited < ms; waited += 50) {
    const [pid] = pidsWithArgument(marker);
    if (pid !== undefined) return pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
