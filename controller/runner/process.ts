// Spawns one terraform command with the controller's process runner: an explicit environment, a timeout and an
// abort signal (SIGTERM, which terraform handles like SIGINT: it stops gracefully and releases its locks, then SIGKILL),
// stdout kept apart for `show -json`, and one redacted log.
import { runCommand } from '../process/run.js';

/** stdout kept for `terraform show -json` / `output -json`: a larger plan is refused rather than filling the heap. */
export const STDOUT_LIMIT_BYTES = 64 * 1024 * 1024;
/** Characters of the combined log kept (its tail). */
export const LOG_LIMIT = 1_000_000;

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  /** stdout passed STDOUT_LIMIT_BYTES: the command was stopped and stdout is incomplete. */
  readonly stdoutOverflow: boolean;
  /** stdout and stderr interleaved as they arrived (the last LOG_LIMIT characters), secrets redacted. */
  readonly log: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

export interface SpawnOptions {
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Values that must never appear in the log (credentials given to terraform). */
  readonly secrets: readonly string[];
  /** Time between SIGTERM (terraform stops gracefully, releasing locks) and SIGKILL. @default 10000 */
  readonly killGraceMs?: number;
}

export function runProcess(bin: string, args: readonly string[], opts: SpawnOptions): Promise<ProcessResult> {
  return runCommand(bin, args, {
    ...opts,
    killGraceMs: opts.killGraceMs ?? 10_000,
    stdoutLimit: STDOUT_LIMIT_BYTES,
    logLimit: LOG_LIMIT,
  });
}
