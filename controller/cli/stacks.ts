import { loadApp } from './app-loader.js';
import { DEFAULT_ENV_DIR } from '../../environments/load.js';
import { stringFlag, type Command, type Io } from './command.js';
import { stackWaves, type StackGraph } from '../rules/stack-order.js';

export interface StackRow {
  stack: string;
  system: string;
  env: string;
  /** The branch deployed to the stack's environment. */
  branch: string;
  region: string;
  resources: number;
}

/** Lists stacks without writing anything: builds the app in memory and counts resources. */
export async function listStacks(envDir?: string, env?: string): Promise<StackRow[]> {
  const { newApp, synthesize } = await loadApp();
  const stacks = synthesize(newApp('/nonexistent-gitops-dry-run'), { envDir, only: env ? [env] : undefined, dryRun: true });
  return stacks.map((s) => {
    const tf = s.stack.toTerraform() as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    return { stack: s.name, system: s.system, env: s.environment, branch: s.branch, region: s.region, resources };
  });
}

/** One environment's order: its stacks in waves, and the stacks each comes after. */
export interface EnvironmentOrder {
  env: string;
  /** First wave first; the stacks of a wave do not depend on each other. */
  waves: string[][];
  dependencies: StackGraph;
}

/** The order of each environment's stacks, as the app computes it at synth (without writing anything). */
export async function listOrder(envDir?: string, env?: string): Promise<EnvironmentOrder[]> {
  const { newApp, synthesize } = await loadApp();
  const stacks = synthesize(newApp('/nonexistent-gitops-dry-run'), { envDir, only: env ? [env] : undefined, dryRun: true });
  const envs = [...new Set(stacks.map((s) => s.environment))];
  return envs.map((name) => {
    const dependencies = Object.fromEntries(stacks.filter((s) => s.environment === name).map((s) => [s.name, [...s.dependsOn]]));
    return { env: name, waves: stackWaves(dependencies), dependencies };
  });
}

function printOrder(orders: readonly EnvironmentOrder[], io: Io): void {
  formatTable(
    ['env', 'wave', 'stacks'],
    orders.flatMap((o) => o.waves.map((wave, i) => [o.env, i + 1, wave.join(', ')])),
  ).forEach((l) => io.out(l));
}

export function formatTable(headers: string[], rows: (string | number)[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) =>
    cells
      .map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export const stacksCommand: Command = {
  name: 'stacks',
  summary: 'list the stacks the app builds (stack, system, env, region, resources), or their order',
  usage: `Options:
  --env ENV   only this environment (default: all)
  --dir DIR   directory of environment files (default: ${DEFAULT_ENV_DIR})
  --order     print each environment's stacks in waves instead: a stack comes after the stacks it
              depends on; the stacks of one wave are independent of each other
  --json      print JSON instead of a table (with --order: env, waves and each stack's dependencies)`,
  options: { env: { type: 'string' }, dir: { type: 'string' }, order: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, io) {
    if (args.values.order) {
      const orders = await listOrder(stringFlag(args, 'dir'), stringFlag(args, 'env'));
      if (args.values.json) io.out(JSON.stringify(orders, null, 2));
      else printOrder(orders, io);
      return 0;
    }
    const rows = await listStacks(stringFlag(args, 'dir'), stringFlag(args, 'env'));
    if (args.values.json) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    formatTable(
      ['stack', 'system', 'env', 'region', 'resources'],
      rows.map((r) => [r.stack, r.system, r.env, r.region, r.resources]),
    ).forEach((l) => io.out(l));
    return 0;
  },
};
