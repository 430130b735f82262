// Synth benchmark: `npm run synth` (steady, after an edit, in a new work tree, in a fresh clone) against `cdktf
// synth` on the same app, and a one-stack app through the provider barrel import (and deep imports),
// all measured in this run.
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median, printTable, type Measurement } from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** bin/gitops.mjs keeps the app bundle in .gitops/cache and the vendor bundle in node_modules/.cache/gitops. */
const clearAppBundle = () => rmSync(join(root, '.gitops', 'cache'), { recursive: true, force: true });
/** Without either bundle or code cache a run starts cold, as in a fresh clone. */
const clearBundles = () => {
  clearAppBundle();
  rmSync(join(root, 'node_modules', '.cache', 'gitops'), { recursive: true, force: true });
};
/** A new mtime on one source file, as an edit leaves it: the app bundle is rebuilt, the vendor bundle kept. */
const touchSource = () => {
  const now = new Date();
  utimesSync(join(root, 'modules', 'systems', 'index.ts'), now, now);
};

export interface SynthRow {
  case: string;
  wallMs: number;
  rssMb: number;
  wallVsFast: number;
  rssVsFast: number;
}

export function run(runs = Number(process.env.BENCH_RUNS ?? 3)): SynthRow[] {
  const env = { GITOPS_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567' };
  const npmSynth = ['run', '--silent', 'synth', '--', '--out', '$OUT'] as const;
  const measurements: Measurement[] = [
    // First: each run starts without bundles, as in a fresh clone; the last run leaves them warm.
    measure(
      {
        label: 'npm run synth, first run in a fresh clone (bundles built, no code cache)',
        cmd: 'npm',
        args: npmSynth,
        before: clearBundles,
        env,
      },
      runs,
    ),
    measure({ label: 'npm run synth (bundles and code caches in place)', cmd: 'npm', args: npmSynth, env }, runs),
    measure(
      { label: 'npm run synth after editing a source (app bundle rebuilt)', cmd: 'npm', args: npmSynth, before: touchSource, env },
      runs,
    ),
    measure(
      {
        label: 'npm run synth in a new work tree sharing node_modules (app bundle built)',
        cmd: 'npm',
        args: npmSynth,
        before: clearAppBundle,
        env,
      },
      runs,
    ),
    measure(
      { label: 'npm run synth, code cache off (GITOPS_CODE_CACHE=0)', cmd: 'npm', args: npmSynth, env: { ...env, GITOPS_CODE_CACHE: '0' } },
      runs,
    ),
    measure(
      {
        label: 'gitops synth --skip-policy (no npm, no gate)',
        cmd: 'node',
        args: ['bin/gitops.mjs', 'synth', '--skip-policy', '--out', '$OUT'],
        env,
      },
      runs,
    ),
    measure({ label: 'npx cdktf synth (same app)', cmd: 'npx', args: ['cdktf', 'synth', '--output', '$OUT'], env }, runs),
    measure({ label: 'one-stack app, barrel import', cmd: 'npx', args: ['tsx', 'bench/fixtures/barrel-app.ts'], env }, runs),
    measure({ label: 'one-stack app, deep imports', cmd: 'npx', args: ['tsx', 'bench/fixtures/deep-app.ts'], env }, runs),
  ];
  const [first, base, edited, workTree] = measurements;
  const cdktf = measurements.find((m) => m.label.startsWith('npx cdktf synth')) as Measurement;
  const rows = measurements.map((m) => ({
    case: m.label,
    wallMs: median(m.wallMs),
    rssMb: median(m.rssMb),
    wallVsFast: median(m.wallMs) / median(base.wallMs),
    rssVsFast: median(m.rssMb) / median(base.rssMb),
  }));
  printTable(
    `Synth of every stack: median of ${runs} runs each (wall = whole command incl. npm/npx; npm run synth includes the policy gate; peak RSS = largest node process, child processes included)`,
    ['case', 'wall (s)', 'peak RSS (MB)', 'wall ÷ npm run synth', 'RSS ÷ npm run synth'],
    rows.map((r) => [
      r.case,
      (r.wallMs / 1000).toFixed(2),
      r.rssMb.toFixed(0),
      `${r.wallVsFast.toFixed(2)}×`,
      `${r.rssVsFast.toFixed(2)}×`,
    ]),
  );
  const times = (m: Measurement) => (median(cdktf.wallMs) / median(m.wallMs)).toFixed(1);
  console.log(
    `cdktf synth takes ${times(base)}× as long as npm run synth; ${times(edited)}× after an edit, ${times(workTree)}× in a new work tree, ${times(first)}× in a fresh clone.\n`,
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
