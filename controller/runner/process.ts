// Spawns one terraform command with an explicit environment, a timeout and an abort signal,
// capturing stdout and stderr into one redacted log.
import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  /** stdout and stderr interleaved as they arrived, secrets redacted. */
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
  /** Time between SIGINT (terraform stops gracefully, releasing locks) and SIGKILL. */
  readonly killGraceMs?: number;
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

export function runProcess(bin: string, args: readonly string[], opts: SpawnOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const log: Buffer[] = [];
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killGraceMs ?? 10_000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      log.push(d);
    });
    child.stderr.on('data', (d: Buffer) => log.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        log: redact(Buffer.concat(log).toString('utf8'), opts.secrets),
        timedOut,
        aborted,
      });
    });
  });
}
