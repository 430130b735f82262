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

/** One system the app can deploy: its name, cloud, and how to build its stack. */
export interface SystemDefinition<N extends SystemName = SystemName> {
  readonly name: N;
  readonly cloud: 'aws' | 'azure';
  /** Position of the system's /20 inside each region's /16; fixed forever once used. */
  readonly cidrIndex: number;
  create(scope: Construct, id: string, context: SystemContext<N>): TerraformStack;
}
