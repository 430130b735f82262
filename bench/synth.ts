// Synth benchmark: cold `npm run synth` against `cdktf synth` on the same app, and a one-stack app
// through the provider barrel import (and deep imports), all measured in this run.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, median, printTable, type Measurement } from './measure.js';

/** tsx keeps transformed files here; removing it makes a start truly cold. */
const clearTsxCache = () => rmSync(join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`), { recursive: true, force: true });

export interface SynthRow {
  case: string;
  wallMs: number;
  rssMb: number;
  wallVsFast: number;
  rssVsFast: number;
}

export function run(runs = Number(process.env.BENCH_RUNS ?? 3)): SynthRow[] {
  const env = { GITOPS_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567' };
  const measurements: Measurement[] = [
    measure(
      {
        label: 'npm run synth (cold: new process, no tsx cache)',
        cmd: 'npm',
        args: ['run', '--silent', 'synth', '--', '--out', '$OUT'],
        before: clearTsxCache,
        env,
      },
      runs,
    ),
    measure({ label: 'npm run synth (warm tsx cache)', cmd: 'npm', args: ['run', '--silent', 'synth', '--', '--out', '$OUT'], env }, runs),
    measure({ label: 'npx cdktf synth (same app)', cmd: 'npx', args: ['cdktf', 'synth', '--output', '$OUT'], env }, runs),
    measure({ label: 'one-stack app, barrel import', cmd: 'npx', args: ['tsx', 'bench/fixtures/barrel-app.ts'], env }, runs),
    measure({ label: 'one-stack app, deep imports', cmd: 'npx', args: ['tsx', 'bench/fixtures/deep-app.ts'], env }, runs),
  ];
  const base = measurements[0];
  const rows = measurements.map((m) => ({
    case: m.label,
    wallMs: median(m.wallMs),
    rssMb: median(m.rssMb),
    wallVsFast: median(m.wallMs) / median(base.wallMs),
    rssVsFast: median(m.rssMb) / median(base.rssMb),
  }));
  printTable(
    `Synth: median of ${runs} runs each (wall = whole command incl. npm/npx; peak RSS = largest node process)`,
    ['case', 'wall (s)', 'peak RSS (MB)', 'wall ÷ npm run synth', 'RSS ÷ npm run synth'],
    rows.map((r) => [
      r.case,
      (r.wallMs / 1000).toFixed(2),
      r.rssMb.toFixed(0),
      `${r.wallVsFast.toFixed(2)}×`,
      `${r.rssVsFast.toFixed(2)}×`,
    ]),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
