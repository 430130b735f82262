// Synthesizes environments in parallel worker processes (environments share nothing, so each worker
// builds its own), then merges their stacks, manifests and policy reports into one cdktf.out.
// Each worker pays the module loading again (~0.6 s), so it pays off only with cores to spare and
// several large environments: on the 2-core CI machine one process is as fast (see npm run bench).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Environment } from './schema.js';

/** Relative cost of an environment's synth: its stacks (systems × sites) plus its release stack. */
export function environmentWeight(env: Environment): number {
  return 1 + Object.values(env.systems).reduce((n, s) => n + (s ? (s.dr && env.regions.dr ? 2 : 1) : 0), 0);
}

/** Splits environments into at most `jobs` groups of similar weight (largest first, into the lightest group). */
export function partitionEnvironments(environments: readonly Environment[], jobs: number): string[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(jobs, environments.length)) }, () => ({ weight: 0, names: [] as string[] }));
  for (const env of [...environments].sort((a, b) => environmentWeight(b) - environmentWeight(a))) {
    const lightest = groups.reduce((min, g) => (g.weight < min.weight ? g : min));
    lightest.weight += environmentWeight(env);
    lightest.names.push(env.name);
  }
  return groups.filter((g) => g.names.length > 0).map((g) => g.names);
}

export interface WorkerRun {
  readonly envs: readonly string[];
  readonly outdir: string;
}

export interface WorkerResult extends WorkerRun {
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `node <cli> synth --jobs 1 --env a,b --out <part> ...argsFor(run)` for each group at once. */
export function runWorkers(cli: string, runs: readonly WorkerRun[], argsFor: (run: WorkerRun) => string[]): Promise<WorkerResult[]> {
  return Promise.all(
    runs.map(
      (run) =>
        new Promise<WorkerResult>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [cli, 'synth', '--jobs', '1', '--env', run.envs.join(','), '--out', run.outdir, ...argsFor(run)],
            {
              stdio: ['ignore', 'ignore', 'pipe'],
              env: process.env,
            },
          );
          const err: Buffer[] = [];
          child.stderr.on('data', (d: Buffer) => err.push(d));
          child.on('error', reject);
          child.on('close', (code) => resolve({ ...run, code, stderr: Buffer.concat(err).toString('utf8') }));
        }),
    ),
  );
}

interface Manifest {
  stacks: Record<string, unknown>;
  [key: string]: unknown;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Moves every part's stacks into `outdir` (replacing older copies) and writes one manifest listing them all. */
export function mergeParts(parts: readonly string[], outdir: string): string[] {
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  const merged: Manifest = { stacks: {} };
  for (const part of parts) {
    const manifest = JSON.parse(readFileSync(join(part, 'manifest.json'), 'utf8')) as Manifest;
    Object.assign(merged, { ...manifest, stacks: { ...merged.stacks, ...manifest.stacks } });
    for (const stack of readdirSync(join(part, 'stacks'))) {
      rmSync(join(outdir, 'stacks', stack), { recursive: true, force: true });
      renameSync(join(part, 'stacks', stack), join(outdir, 'stacks', stack));
    }
  }
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify(sortKeys(merged), null, 2));
  return Object.keys(merged.stacks);
}
