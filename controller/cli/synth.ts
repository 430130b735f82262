import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadApp } from './app-loader.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from '../../environments/load.js';
import { UnknownEnvironmentError } from '../../environments/config.js';
import { mergeParts, partitionEnvironments, runWorkers } from '../../environments/parallel-synth.js';
import { mergePolicyReports, policyFails, summaryLine, type PolicyReport } from '../../modules/policy/engine.js';
import { formatPolicyReport } from '../../modules/policy/report.js';
import { policyReportFor } from './policy.js';
import { UsageError, stringFlag, type Command, type CommandArgs, type Io } from './command.js';

const CLI = fileURLToPath(new URL('../../bin/gitops.mjs', import.meta.url));

function jobsFlag(args: CommandArgs): number {
  const raw = stringFlag(args, 'jobs') ?? process.env.GITOPS_SYNTH_JOBS;
  // One process by default: on 2 cores, two workers each pay ~0.6 s of module loading and measured no faster.
  if (raw === undefined) return 1;
  const jobs = Number(raw);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new UsageError(`--jobs must be a whole number from 1 to 64 (got ${JSON.stringify(raw)})`);
  return jobs;
}

/** Prints the policy result; returns the exit code (1 when an error-level rule fails). */
function gate(report: PolicyReport, io: Io): number {
  if (policyFails(report)) {
    formatPolicyReport(report).forEach((l) => io.err(l));
    io.err('synth failed the policy gate: fix the findings above or waive them in the environment file (see gitops policy --help)');
    return 1;
  }
  io.out(summaryLine(report));
  return 0;
}

export const synthCommand: Command = {
  name: 'synth',
  summary: 'synthesize every stack (or some environments) into cdktf.out/, then run the policy gate',
  usage: `Options:
  --env ENV[,ENV]  only these environments (default: all)
  --dir DIR        directory of environment files (default: ${DEFAULT_ENV_DIR})
  --out DIR        output directory (default: cdktf.out)
  --jobs N         synthesize environments in N worker processes, for machines with cores to spare
                   (default: 1, in-process; GITOPS_SYNTH_JOBS; at most ${availableParallelism()} help here)
  --skip-policy    do not run the policy gate after synth (it fails synth on error-level findings)
  --policy-report FILE  write the policy report as JSON instead of gating (used by the workers)
Environment, to debug synth itself (see docs/decisions/0003-fast-synth.md):
  GITOPS_NO_BUNDLE=1       run the TypeScript sources (stack traces point at them), not the bundles
  GITOPS_CODE_CACHE=0      do not read or write the V8 code cache
  GITOPS_FAST_RESOLVE=0    resolve every value through cdktf's token machinery
  GITOPS_STACK_TRACES=1    record where each token was created (quoted when one fails to resolve)
  GITOPS_PREPARE_STACKS=1  run cdktf's cross-stack preparing pass`,
  options: {
    env: { type: 'string' },
    dir: { type: 'string' },
    out: { type: 'string' },
    jobs: { type: 'string' },
    'skip-policy': { type: 'boolean' },
    'policy-report': { type: 'string' },
  },
  async run(args, io) {
    const only = stringFlag(args, 'env')
      ?.split(',')
      .map((e) => e.trim());
    const outdir = stringFlag(args, 'out') ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const envDir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
    const reportFile = stringFlag(args, 'policy-report');
    const skipPolicy = args.values['skip-policy'] === true;
    const jobs = jobsFlag(args);
    const started = performance.now();

    const environments = loadEnvironments(envDir);
    const unknown = (only ?? []).filter((e) => !environments.some((env) => env.name === e));
    if (unknown.length > 0)
      throw new UnknownEnvironmentError(
        unknown,
        environments.map((e) => e.name),
      );
    const targets = environments.filter((e) => !only || only.includes(e.name));
    const groups = partitionEnvironments(targets, jobs);

    if (groups.length < 2) {
      const { newApp, synthesize } = await loadApp();
      const stacks = synthesize(newApp(outdir), { envDir, environments, only: targets.map((e) => e.name) });
      io.out(`synthesized ${stacks.length} stacks into ${outdir}/stacks in ${Math.round(performance.now() - started)} ms`);
      if (skipPolicy) return 0;
      const report = policyReportFor(outdir, stacks, environments);
      if (reportFile) {
        writeFileSync(reportFile, JSON.stringify(report));
        return 0;
      }
      return gate(report, io);
    }

    const partsRoot = `${outdir}.parts-${process.pid}`;
    try {
      const runs = groups.map((envs, i) => ({ envs, outdir: join(partsRoot, String(i)) }));
      runs.forEach((r) => mkdirSync(r.outdir, { recursive: true }));
      const results = await runWorkers(CLI, runs, (run) => [
        '--dir',
        envDir,
        ...(skipPolicy ? ['--skip-policy'] : ['--policy-report', join(run.outdir, 'policy.json')]),
      ]);
      const failed = results.filter((r) => r.code !== 0);
      if (failed.length > 0) {
        for (const f of failed) io.err(`synth of ${f.envs.join(', ')} failed (exit ${f.code}):\n${f.stderr.trimEnd()}`);
        return 1;
      }
      const names = mergeParts(
        runs.map((r) => r.outdir),
        outdir,
      );
      io.out(
        `synthesized ${names.length} stacks into ${outdir}/stacks in ${Math.round(performance.now() - started)} ms (${runs.length} workers)`,
      );
      if (skipPolicy) return 0;
      const report = mergePolicyReports(
        results.map((r) => JSON.parse(readFileSync(join(r.outdir, 'policy.json'), 'utf8')) as PolicyReport),
      );
      if (reportFile) {
        writeFileSync(reportFile, JSON.stringify(report));
        return 0;
      }
      return gate(report, io);
    } finally {
      rmSync(partsRoot, { recursive: true, force: true });
    }
  },
};
