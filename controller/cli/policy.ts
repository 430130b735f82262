import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { synthesize } from '../../environments/synth.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from '../../environments/load.js';
import type { StackInfo } from '../../environments/app.js';
import { formatPolicyReport, policyFails, policyRules, type PolicyReport } from '../../modules/policy/index.js';
import { checkSynthesized } from '../../modules/policy/synthesized.js';
import { stringFlag, type Command, type Io } from './command.js';
import { formatTable } from './stacks.js';

/** Evaluates the policy on stacks already synthesized into `outdir`. */
export function policyReportFor(outdir: string, stacks: readonly StackInfo[], envDir: string): PolicyReport {
  const settings = Object.fromEntries(loadEnvironments(envDir).map((e) => [e.name, e.policy]));
  return checkSynthesized(
    outdir,
    stacks.map((s) => ({ name: s.name, environment: s.environment })),
    settings,
  );
}

export function printRules(io: Io): void {
  formatTable(
    ['rule', 'severity', 'checks', 'resource types'],
    policyRules.map((r) => [r.id, r.severity, r.title, r.resourceTypes.join(', ')]),
  ).forEach((l) => io.out(l));
}

export const policyCommand: Command = {
  name: 'policy',
  summary: 'check every stack against the security and tagging rules',
  usage: `Options:
  --env ENV   only this environment (default: all)
  --dir DIR   directory of environment files (default: ${DEFAULT_ENV_DIR})
  --json      print the report as JSON
  --all       list passing checks too
  --rules     list the rules and exit
Exit 1 when a rule fails in an environment whose policy level is "error".`,
  options: {
    env: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'boolean' },
    all: { type: 'boolean' },
    rules: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.values.rules) {
      printRules(io);
      return 0;
    }
    const envDir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
    const env = stringFlag(args, 'env');
    const outdir = mkdtempSync(join(tmpdir(), 'gitops-policy-'));
    try {
      const stacks = synthesize(new App({ outdir }), { envDir, only: env ? [env] : undefined });
      const report = policyReportFor(outdir, stacks, envDir);
      if (args.values.json) io.out(JSON.stringify(report, null, 2));
      else formatPolicyReport(report, { includePassed: args.values.all === true }).forEach((l) => io.out(l));
      return policyFails(report) ? 1 : 0;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  },
};
