// Runs a command N times as fresh processes and reports wall time and peak RSS (max over its node processes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Measurement {
  readonly label: string;
  readonly wallMs: number[];
  readonly rssMb: number[];
}

const probe = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export interface CommandSpec {
  readonly label: string;
  readonly cmd: string;
  readonly args: readonly string[];
  /** Run before each repetition (e.g. clear caches for a cold start). */
  readonly before?: () => void;
  readonly env?: Record<string, string>;
}

export function measure(spec: CommandSpec, runs: number): Measurement {
  const wallMs: number[] = [];
  const rssMb: number[] = [];
  for (let i = 0; i < runs; i++) {
    spec.before?.();
    const dir = mkdtempSync(join(tmpdir(), 'gitops-bench-'));
    const rssFile = join(dir, 'rss.txt');
    const env = {
      ...process.env,
      ...spec.env,
      CDKTF_OUTDIR: join(dir, 'out'),
      GITOPS_BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `--import=${probe}`,
      CHECKPOINT_DISABLE: '1',
    };
    const started = performance.now();
    const r = spawnSync(spec.cmd, [...spec.args.map((a) => a.replace('$OUT', join(dir, 'out')))], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    wallMs.push(performance.now() - started);
    if (r.status !== 0) throw new Error(`${spec.label} failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-500)}`);
    const peaks = existsSync(rssFile)
      ? readFileSync(rssFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => Number(l.split(' ')[1]))
      : [0];
    rssMb.push(Math.max(...peaks) / 1024);
    rmSync(dir, { recursive: true, force: true });
  }
  return { label: spec.label, wallMs, rssMb };
}

export function printTable(title: string, headers: string[], rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log('|' + widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  cells.forEach((r) => console.log(line(r)));
}
