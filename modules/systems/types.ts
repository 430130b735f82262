import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { Environment, Region } from '../../environments/schema.js';
import type { SystemName, SystemSettings } from './settings.js';

/** Everything a system stack needs to know about where it is deployed. */
export interface SystemContext<N extends SystemName = SystemName> {
  /** The whole environment file, validated. */
  readonly environment: Environment;
  /** This system's knobs from the environment file, defaults applied. */
  readonly settings: SystemSettings[N];
  /** The site this stack deploys to. */
  readonly region: Region;
  /** `primary`, or `dr` for the copy in the environment's DR region. */
  readonly role: 'primary' | 'dr';
  /** The environment's primary site (a DR stack replicates from it). */
  readonly primaryRegion: Region;
  /** The environment's DR site, when it has one. */
  readonly drRegion?: Region;
  /** The address block of this system in this region: a /20 carved from the region's /16. */
  readonly cidr: string;
  /** Default tags: the environment file's tags plus `system`. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * A stack that a system's stack comes after: it looks that stack's resources up (by data source or by a
 * deterministic name), or needs a setting it holds. The app turns these into each environment's order.
 */
export interface StackDependency {
  /** The system whose stack comes first, or `account` for the account stack (`account-<env>[-<region>]`). */
  readonly system: SystemName | 'account';
  /**
   * Which of its stacks: the one at the environment's `primary` site, at its `dr` site, or at the `same` site as
   * the stack that depends on it. A DR stack exists only where the environment runs that system's DR copy;
   * where it does not, a primary stack's dependency on it is left out (the lookup it stands for is made only
   * with a DR copy). Any other dependency on a stack the environment lacks fails synth.
   */
  readonly site: 'primary' | 'dr' | 'same';
  /** What the stack reads or needs there, in a few words (for the reader of the code and of synth errors). */
  readonly reason: string;
}

/** The account stack of the site: account/region singletons every AWS system shares (API Gateway's CloudWatch Logs role). */
export const AFTER_ACCOUNT: StackDependency = {
  system: 'account',
  site: 'same',
  reason: "account/region singletons, such as API Gateway's CloudWatch Logs role that REST stages log through",
};

/** One system the app can deploy: its name, cloud, and how to build its stack. */
export interface SystemDefinition<N extends SystemName = SystemName> {
  readonly name: N;
  readonly cloud: 'aws' | 'azure';
  /** Position of the system's /20 inside each region's /16; fixed forever once used. */
  readonly cidrIndex: number;
  /** The stacks this system's primary and DR stacks come after, in the same environment. @default none */
  readonly after?: { readonly primary?: readonly StackDependency[]; readonly dr?: readonly StackDependency[] };
  create(scope: Construct, id: string, context: SystemContext<N>): TerraformStack;
}
