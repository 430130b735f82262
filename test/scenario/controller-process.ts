// `gitops serve` as a process of its own, for the scenarios that kill it: started as an operator would
// (configuration in environment variables), and killed with SIGKILL together with its children.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './harness.js';

export interface ControllerProcess {
  readonly child: ChildProcess;
  readonly webhookUrl: string;
  /** Everything it printed, for the failure message. */
  readonly output: () => string;
}

/** `gitops serve` in a child process, configured by environment variables as an operator would. */
export function startController(env: Record<string, string>): Promise<ControllerProcess> {
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'gitops.mjs'), 'serve'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // a process group of its own, so that killing it and its children can never reach this test's group
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    const onData = () => {
      const url = /gitops controller listening on (\S+)/.exec(out)?.[1];
      if (!url) return;
      child.stdout.off('data', onData);
      resolve({ child, webhookUrl: url, output: () => out });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gitops serve exited with ${code} before listening:\n${out}`)));
  });
}

/** pid, parent and process group of every process (Linux /proc). */
function processTable(): { pid: number; ppid: number; pgid: number }[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so read after the last ')'
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const [, ppid, pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(name), ppid: Number(ppid), pgid: Number(pgid) }];
      } catch {
        return [];
      }
    });
}

/** Process ids and groups of every descendant of `pid`. */
function descendants(pid: number): { pid: number; pgid: number }[] {
  const stats = processTable();
  const found: { pid: number; pgid: number }[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of stats) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push({ pid: p.pid, pgid: p.pgid });
        grew = true;
      }
    }
  }
  return found;
}

/**
 * SIGKILL to the controller, then to the process groups of its children (synth runs in groups of
 * its own): the controller and everything it started die at once, as when the machine or container
 * goes down.
 */
export async function killHard(controller: ControllerProcess): Promise<void> {
  const pid = controller.child.pid!;
  const ownGroup = processTable().find((p) => p.pid === process.pid)?.pgid;
  const children = descendants(pid);
  const exited = new Promise((r) => controller.child.once('exit', r));
  process.kill(pid, 'SIGKILL');
  for (const pgid of new Set([pid, ...children.map((c) => c.pgid)])) {
    if (pgid === ownGroup) continue;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
  await exited;
}

/** Resolves with the probe's first truthy value, probing every 100 ms (a probe may query: it is awaited). */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 300_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
