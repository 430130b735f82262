// Turns systems × environments × regions into stacks, plus one `release-<env>` stack each.
import { Aspects, AzurermBackend, LocalBackend, S3Backend, TerraformStack, type App } from 'cdktf';
import { DefaultTags } from '../modules/policy/tags.js';
import { AccountStack } from '../modules/account/account-stack.js';
import { ReleaseRecord } from '../modules/release/release-record.js';
import type { SystemDefinition, SystemContext } from '../modules/systems/types.js';
import type { SystemName } from '../modules/systems/settings.js';
import { cidrBlock, subBlock } from '../modules/core/cidr.js';
import { environmentGraph } from './stack-graph.js';
import type { Environment, Region } from './schema.js';

export interface StackInfo {
  readonly name: string;
  /** The system, or `release` for the release record. */
  readonly system: string;
  readonly environment: string;
  /** The git branch deployed to the environment. */
  readonly branch: string;
  readonly region: string;
  readonly stack: TerraformStack;
  /** The stacks of the same environment this one comes after, in name order (also cdktf's dependencies in manifest.json). */
  readonly dependsOn: readonly string[];
}

/** A stack as built, before the environment's order is known. */
type BuiltStack = Omit<StackInfo, 'dependsOn'> & { readonly site?: 'primary' | 'dr' };

export interface BuildOptions {
  readonly systems: readonly SystemDefinition[];
  /** Commit recorded by the release stacks. */
  readonly commitSha: string;
  /** Version recorded by the release stacks. */
  readonly version: string;
  /** Only build these environments. @default every environment */
  readonly only?: readonly string[];
}

/** The `index`-th block of `newPrefix` bits inside `cidr` (like Terraform's cidrsubnet); host bits in `cidr` are ignored. */
export function carveCidr(cidr: string, newPrefix: number, index: number): string {
  const block = cidrBlock(cidr);
  const carved = block && subBlock(block, newPrefix, index);
  if (carved === undefined) throw new Error(`block ${index} of /${newPrefix} does not fit in ${cidr}`);
  return carved;
}

export function stackName(system: string, env: string, region?: string): string {
  return region ? `${system}-${env}-${region}` : `${system}-${env}`;
}

/** Configures the stack's state backend from the environment file. */
export function applyBackend(stack: TerraformStack, env: Environment, name: string): void {
  const b = env.backend;
  switch (b.type) {
    case 'local':
      new LocalBackend(stack, { path: b.path ? `${b.path.replace(/\/$/, '')}/${name}.tfstate` : `terraform.${name}.tfstate` });
      return;
    case 's3': {
      const backend = new S3Backend(stack, {
        bucket: b.bucket,
        key: `${b.keyPrefix}/${name}.tfstate`,
        region: b.region,
        dynamodbTable: b.dynamodbTable,
        encrypt: true,
      });
      // cdktf 0.21's S3Backend has no prop for S3 native locking (Terraform 1.10+).
      if (b.useLockfile) backend.addOverride('use_lockfile', true);
      return;
    }
    case 'azurerm':
      new AzurermBackend(stack, {
        resourceGroupName: b.resourceGroupName,
        storageAccountName: b.storageAccountName,
        containerName: b.containerName,
        key: `${b.keyPrefix}/${name}.tfstate`,
        useAzureadAuth: b.useAzureadAuth,
        useOidc: b.useOidc,
      });
      return;
  }
}

/** The account trail keeps its events as long as the longest-kept logs of the environment's systems. */
function longestLogRetention(env: Environment): number | undefined {
  const days = Object.values(env.systems).flatMap((s) => (s ? [s.logRetentionDays] : []));
  return days.length > 0 ? Math.max(...days) : undefined;
}

export function buildApp(app: App, environments: readonly Environment[], options: BuildOptions): StackInfo[] {
  const stacks: StackInfo[] = [];
  for (const env of environments) {
    if (options.only && !options.only.includes(env.name)) continue;
    const envStacks: BuiltStack[] = [];
    for (const def of options.systems) {
      const settings = env.systems[def.name as SystemName];
      if (!settings) continue;
      const sites: [Region, 'primary' | 'dr'][] = [[env.regions.primary, 'primary']];
      if (env.regions.dr && settings.dr) sites.push([env.regions.dr, 'dr']);
      for (const [region, role] of sites) {
        const name = stackName(def.name, env.name, role === 'dr' ? region.aws : undefined);
        const context: SystemContext = {
          environment: env,
          settings,
          region,
          role,
          primaryRegion: env.regions.primary,
          drRegion: env.regions.dr,
          cidr: carveCidr(region.cidr, 20, def.cidrIndex),
          tags: { ...env.tags, system: def.name },
        };
        const stack = def.create(app, name, context as never);
        Aspects.of(stack).add(new DefaultTags(context.tags));
        applyBackend(stack, env, name);
        envStacks.push({
          name,
          system: def.name,
          environment: env.name,
          branch: env.branch,
          region: role === 'dr' ? region.aws : env.regions.primary.aws,
          site: role,
          stack,
        });
      }
    }
    // One account stack per AWS site that runs a system: the account/region singletons they share.
    const awsSites = [
      ...new Set(envStacks.filter((s) => options.systems.find((d) => d.name === s.system)?.cloud === 'aws').map((s) => s.region)),
    ];
    for (const region of awsSites) {
      const site = region === env.regions.primary.aws ? 'primary' : 'dr';
      const name = stackName('account', env.name, site === 'dr' ? region : undefined);
      const stack = new AccountStack(app, name, {
        region,
        accountId: env.accounts.aws?.accountId ?? '',
        primaryRegion: site === 'primary',
        managedByOrganization: env.accounts.aws?.managedByOrganization,
        trailLogRetentionDays: longestLogRetention(env),
      });
      Aspects.of(stack).add(new DefaultTags({ ...env.tags, system: 'account' }));
      applyBackend(stack, env, name);
      envStacks.push({ name, system: 'account', environment: env.name, branch: env.branch, region, site, stack });
    }
    const name = stackName('release', env.name);
    const stack = new TerraformStack(app, name);
    new ReleaseRecord(stack, 'record', {
      environment: env.name,
      commitSha: options.commitSha,
      version: options.version,
      stacks: envStacks.map((s) => s.name),
    });
    applyBackend(stack, env, name);
    const built = [...envStacks, { name, system: 'release', environment: env.name, branch: env.branch, region: 'builtin', stack }];
    stacks.push(...ordered(env, built, options.systems));
  }
  return stacks;
}

/**
 * The environment's stacks with the stacks each comes after (environmentGraph: a cycle or a missing stack
 * fails here, at synth), also recorded as cdktf stack dependencies so manifest.json carries the order.
 */
function ordered(env: Environment, built: readonly BuiltStack[], systems: readonly SystemDefinition[]): StackInfo[] {
  const graph = environmentGraph(env.name, built, systems, (system, site) =>
    stackName(system, env.name, site === 'dr' ? env.regions.dr?.aws : undefined),
  );
  const byName = new Map(built.map((s) => [s.name, s.stack]));
  return built.map(({ site: _site, ...s }) => {
    for (const dependency of graph[s.name]) s.stack.addDependency(byName.get(dependency)!);
    return { ...s, dependsOn: graph[s.name] };
  });
}
