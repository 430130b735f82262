import { loadApp } from './app-loader.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from '../../environments/load.js';
import { UnknownEnvironmentError } from '../../environments/config.js';
import { policyFails, summaryLine, type PolicyReport } from '../../modules/policy/engine.js';
import { formatPolicyReport } from '../../modules/policy/report.js';
import { policyReportFor } from './policy.js';
import { stringFlag, type Command, type Io } from './command.js';

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
  --skip-policy    do not run the policy gate after synth (it fails synth on error-level findings)
Environment, to debug synth itself (see docs/decisions/0003-fast-synth.md):
  GITOPS_NO_BUNDLE=1       run the TypeScript sources (stack traces point at them), not the bundles
  GITOPS_CODE_CACHE=0      do not read or write the V8 code cache
  GITOPS_CACHE_DIR=DIR     keep the bundles and code caches in DIR instead of .gitops/cache and
                           node_modules/.cache/gitops (the plan service points it at a job's own output)
  GITOPS_FAST_RESOLVE=0    resolve every value through cdktf's token machinery
  GITOPS_STACK_TRACES=1    record where each token was created (quoted when one fails to resolve)
  GITOPS_PREPARE_STACKS=1  run cdktf's cross-stack preparing pass`,
  options: {
    env: { type: 'string' },
    dir: { type: 'string' },
    out: { type: 'string' },
    'skip-policy': { type: 'boolean' },
  },
  async run(args, io) {
    const only = stringFlag(args, 'env')
      ?.split(',')
      .map((e) => e.trim());
    const outdir = stringFlag(args, 'out') ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const envDir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
    const skipPolicy = args.values['skip-policy'] === true;
    const started = performance.now();

    const environments = loadEnvironments(envDir);
    const unknown = (only ?? []).filter((e) => !environments.some((env) => env.name === e));
    if (unknown.length > 0)
      throw new UnknownEnvironmentError(
        unknown,
        environments.map((e) => e.name),
      );
    const targets = environments.filter((e) => !only || only.includes(e.name));
    const { newApp, synthesize } = await loadApp();
    const stacks = synthesize(newApp(outdir), { envDir, environments, only: targets.map((e) => e.name) });
    io.out(`synthesized ${stacks.length} stacks into ${outdir}/stacks in ${Math.round(performance.now() - started)} ms`);
    if (skipPolicy) return 0;
    return gate(policyReportFor(outdir, stacks, environments), io);
  },
};
