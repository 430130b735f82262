import { App } from 'cdktf';
import { synthesize } from '../../environments/synth.js';
import { DEFAULT_ENV_DIR } from '../../environments/load.js';
import { formatPolicyReport, policyFails, summaryLine } from '../../modules/policy/index.js';
import { policyReportFor } from './policy.js';
import { stringFlag, type Command } from './command.js';

export const synthCommand: Command = {
  name: 'synth',
  summary: 'synthesize every stack (or one environment) into cdktf.out/',
  usage: `Options:
  --env ENV   only this environment (default: all)
  --dir DIR   directory of environment files (default: ${DEFAULT_ENV_DIR})
  --out DIR   output directory (default: cdktf.out)
  --skip-policy  do not run the policy gate after synth (it fails synth on error-level findings)`,
  options: { env: { type: 'string' }, dir: { type: 'string' }, out: { type: 'string' }, 'skip-policy': { type: 'boolean' } },
  async run(args, io) {
    const env = stringFlag(args, 'env');
    const outdir = stringFlag(args, 'out') ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
    const started = performance.now();
    const envDir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
    const stacks = synthesize(new App({ outdir }), { envDir, only: env ? [env] : undefined });
    const ms = Math.round(performance.now() - started);
    io.out(`synthesized ${stacks.length} stacks into ${outdir}/stacks in ${ms} ms`);
    if (args.values['skip-policy']) return 0;
    const report = policyReportFor(outdir, stacks, envDir);
    if (policyFails(report)) {
      formatPolicyReport(report).forEach((l) => io.err(l));
      io.err('synth failed the policy gate: fix the findings above or waive them in the environment file (see gitops policy --help)');
      return 1;
    }
    io.out(summaryLine(report));
    return 0;
  },
};
