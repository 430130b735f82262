import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from './app-loader.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from '../../environments/load.js';
import type { SynthesizedStackInfo } from '../../environments/synth.js';
import type { Environment } from '../../environments/schema.js';
import { evaluatePolicy, policyFails, type PolicyReport } from '../../modules/policy/engine.js';
import { formatPolicyReport } from '../../modules/policy/report.js';
import { policyRules } from '../../modules/policy/rules/index.js';
import { readSynthesizedStacks } from '../../modules/policy/synthesized.js';
import { stringFlag, type Command, type Io } from './command.js';
import { formatTable } from './stacks.js';

/** Evaluates the policy on synthesized stacks: their JSON as synth kept it, else read back from `outdir`. */
export function policyReportFor(
  outdir: string,
  stacks: readonly Pick<SynthesizedStackInfo, 'name' | 'environment' | 'json'>[],
  environments: readonly Environment[],
): PolicyReport {
  // Only the environments checked here: a waiver of another environment is neither applied nor stale.
  const names = new Set(stacks.map((s) => s.environment));
  const settings = Object.fromEntries(environments.filter((e) => names.has(e.name)).map((e) => [e.name, e.policy]));
  const synthesized = stacks.map((s) =>
    s.json === undefined ? readSynthesizedStacks(outdir, [s])[0] : { name: s.name, environment: s.environment, json: s.json },
  );
  return evaluatePolicy(synthesized, settings);
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
      const environments = loadEnvironments(envDir);
      const { newApp, synthesize } = await loadApp();
      const stacks = synthesize(newApp(outdir), { envDir, environments, only: env ? [env] : undefined });
      const report = policyReportFor(outdir, stacks, environments);
      if (args.values.json) io.out(JSON.stringify(report, null, 2));
      else formatPolicyReport(report, { includePassed: args.values.all === true }).forEach((l) => io.out(l));
      return policyFails(report) ? 1 : 0;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  },
};
