import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadApp } from './app-loader.js';
import { ConfigError } from '../../environments/config.js';
import { DEFAULT_ENV_DIR, validateEnvironmentDirectory } from '../../environments/load.js';
import { resolveCredentials } from '../runner/credentials.js';
import { TerraformRunner } from '../runner/runner.js';
import { type PlanResult, type TerraformCredentials } from '../core/ports/terraform.js';
import { type PlanSummary, type ChangeAction } from '../core/ports/plan-report.js';
import { UsageError, requiredFlag, stringFlag, type Command, type CommandArgs, type Io } from './command.js';

const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ', read: '<=' };

export function formatPlanSummary(summary: PlanSummary): string[] {
  const c = summary.counts;
  const lines = [`${summary.stack}: ${c.add} to add, ${c.change} to change, ${c.replace} to replace, ${c.destroy} to destroy`];
  for (const r of summary.resources) {
    lines.push(`  ${SYMBOL[r.action]} ${r.address} (${r.action})`);
    for (const a of r.attributes) {
      const after = a.unknownAfter ? '(known after apply)' : JSON.stringify(a.after ?? null);
      lines.push(`      ${a.path}: ${a.before === undefined ? '' : `${JSON.stringify(a.before)} → `}${after}`);
    }
  }
  if (!summary.hasChanges) lines.push('  no changes');
  return lines;
}

/** The plan (and for `apply` the apply) credentials of `environment`'s file in `envDir`, from this process's environment. */
function credentialsOf(envDir: string, environment: string, apply: boolean): TerraformCredentials {
  const { environments, problems } = validateEnvironmentDirectory(envDir);
  if (problems.length > 0) throw new ConfigError(problems);
  const parsed = environments.find((e) => e.environment.name === environment);
  if (!parsed) throw new UsageError(`no environment file for "${environment}" in ${envDir}`);
  return resolveCredentials(join(envDir, parsed.file), parsed.environment, process.env, { apply });
}

/**
 * Synthesizes the environment that holds `--stack` and plans it with the runner, with the plan credentials
 * of its environment file; returns the credentials too, holding the apply set when `apply`.
 */
export async function planStack(
  args: CommandArgs,
  io: Io,
  apply = false,
): Promise<{ runner: TerraformRunner; plan: PlanResult; credentials: TerraformCredentials }> {
  const name = requiredFlag(args, 'stack', 'the stack to plan, see gitops stacks');
  const outdir = stringFlag(args, 'out') ?? 'cdktf.out';
  const envDir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
  // what a controller in the actions runner mode reads back from plan-apply.yml's artifact
  const summaryJson = stringFlag(args, 'summary-json');
  const { newApp, synthesize } = await loadApp();
  const all = synthesize(newApp(outdir), { envDir, dryRun: true });
  const found = all.find((s) => s.name === name);
  if (!found) throw new UsageError(`unknown stack "${name}" (allowed: ${all.map((s) => s.name).join(', ')})`);
  const credentials = credentialsOf(envDir, found.environment, apply);
  synthesize(newApp(outdir), { envDir, only: [found.environment] });
  const workRoot = resolve(process.env.GITOPS_WORK_DIR ?? '.gitops');
  const runner = new TerraformRunner({ workRoot, timeoutMs: Number(process.env.GITOPS_TERRAFORM_TIMEOUT_MS ?? 600_000) });
  const plan = await runner.plan({ name, dir: join(outdir, 'stacks', name) }, { credentials });
  formatPlanSummary(plan.summary).forEach((l) => io.out(l));
  if (summaryJson !== undefined) writeFileSync(summaryJson, `${JSON.stringify(plan.summary)}\n`);
  return { runner, plan, credentials };
}

const usage = `Options:
  --stack NAME  the stack (see gitops stacks)
  --dir DIR     directory of environment files (default: ${DEFAULT_ENV_DIR})
  --out DIR     synth output directory (default: cdktf.out)
  --summary-json FILE  also write the plan's summary (resources, attributes, sensitive values masked) as JSON
Environment: GITOPS_WORK_DIR (default .gitops) holds job dirs, the plugin cache and local state.
Terraform gets the credentials block of the stack's environment file: plan gets the plan entry, apply the
apply entry (passEnv variables are read from this environment).`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'synthesize and terraform-plan one stack',
  usage,
  options: { stack: { type: 'string' }, dir: { type: 'string' }, out: { type: 'string' }, 'summary-json': { type: 'string' } },
  async run(args, io) {
    await planStack(args, io);
    return 0;
  },
};

export const applyCommand: Command = {
  name: 'apply',
  summary: 'plan one stack, then apply exactly that saved plan',
  usage,
  options: planCommand.options,
  async run(args, io) {
    const { runner, plan, credentials } = await planStack(args, io, true);
    if (!plan.summary.hasChanges) {
      io.out(`${plan.stack}: nothing to apply`);
      return 0;
    }
    const result = await runner.apply(plan, { credentials });
    io.out(`${plan.stack}: applied`);
    for (const [k, v] of Object.entries(result.outputs)) io.out(`  ${k} = ${JSON.stringify(v)}`);
    return 0;
  },
};
