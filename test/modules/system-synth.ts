// For the system tests: the app built from the real environment files with one system, each
// of its stacks synthesized, and readers for the resources in them.
import { Testing } from 'cdktf';
import { buildApp, carveCidr, type StackInfo } from '../../environments/app.js';
import { loadEnvironments } from '../../environments/load.js';
import type { Environment } from '../../environments/schema.js';
import { systemSettings, type SystemName, type SystemSettings } from '../../modules/systems/settings.js';
import type { SystemContext, SystemDefinition } from '../../modules/systems/types.js';

export type Resource = Record<string, unknown>;

/** The parts of a stack's Terraform JSON every system test reads; a test may widen it. */
export interface SynthesizedStack {
  resource: Record<string, Record<string, Resource>>;
}

/** environments/dev.yaml, uat.yaml and prod.yaml, loaded and validated. */
export const testEnvironments: readonly Environment[] = loadEnvironments('environments');

export function envNamed(name: string): Environment {
  const found = testEnvironments.find((e) => e.name === name);
  if (!found) throw new Error(`no environment ${name} (have: ${testEnvironments.map((e) => e.name).join(', ')})`);
  return found;
}

/** A context like buildApp's for `system` at a site of `environment`, with some of the system's knobs overridden. */
export function systemContext<N extends SystemName>(
  system: SystemDefinition<N>,
  environment: Environment,
  overrides: Record<string, unknown> = {},
  role: 'primary' | 'dr' = 'primary',
): SystemContext<N> {
  const region = role === 'dr' ? environment.regions.dr! : environment.regions.primary;
  return {
    environment,
    settings: systemSettings[system.name].parse({ ...environment.systems[system.name], ...overrides }) as SystemSettings[N],
    region,
    role,
    primaryRegion: environment.regions.primary,
    drRegion: environment.regions.dr,
    cidr: carveCidr(region.cidr, 20, system.cidrIndex),
    tags: { ...environment.tags, system: system.name },
  };
}

export interface SynthesizedSystem<S extends SynthesizedStack> {
  /** The system's stacks, as buildApp made them for every environment and region. */
  readonly stacks: StackInfo[];
  /** Each stack's Terraform JSON by stack name. */
  readonly synthesized: Map<string, S>;
  /** One stack's JSON; fails naming the stacks there are. */
  stackOf(name: string): S;
}

/** Builds the app with only `system` and synthesizes each of its stacks. */
export function synthesizeSystem<S extends SynthesizedStack = SynthesizedStack>(system: SystemDefinition): SynthesizedSystem<S> {
  const built = buildApp(Testing.app(), testEnvironments, { systems: [system], commitSha: 'abcdef1', version: '0.0.0' });
  const stacks = built.filter((s) => s.system === system.name);
  const synthesized = new Map(stacks.map((s) => [s.name, JSON.parse(Testing.synth(s.stack)) as S]));
  return {
    stacks,
    synthesized,
    stackOf(name) {
      const found = synthesized.get(name);
      if (!found) throw new Error(`no stack ${name} (have: ${[...synthesized.keys()].join(', ')})`);
      return found;
    },
  };
}

/** Every resource of `type`. */
export function ofType(s: SynthesizedStack, type: string): Resource[] {
  return Object.values(s.resource[type] ?? {});
}

/** The only resource of `type`; fails when there are none or several. */
export function one(s: SynthesizedStack, type: string): Resource {
  const all = ofType(s, type);
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0]!;
}

/** The resources of `type` whose logical id contains `idPart`. */
export function named(s: SynthesizedStack, type: string, idPart: string): Resource[] {
  return Object.entries(s.resource[type] ?? {})
    .filter(([id]) => id.includes(idPart))
    .map(([, r]) => r);
}

/** How many resources of each type, sorted by type: the snapshot that shows unintended changes. */
export function typeCounts(s: SynthesizedStack): Record<string, number> {
  return Object.fromEntries(
    Object.entries(s.resource)
      .map(([type, rs]) => [type, Object.keys(rs).length] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** Where a stack's public zone comes from and whether its certificates wait to be issued. */
export interface DnsSummary {
  /** Public zones the stack creates (private zones, which have a `vpc`, are left out). */
  created: unknown[];
  /** Zones it looks up (`data aws_route53_zone`). */
  lookedUp: unknown[];
  certificates: number;
  /** `aws_acm_certificate_validation` resources: each waits until its certificate is issued. */
  validations: number;
  nameServersOutput: boolean;
}

export function dnsOf(
  s: SynthesizedStack & { data?: Record<string, Record<string, Resource>>; output?: Record<string, unknown> },
): DnsSummary {
  return {
    created: ofType(s, 'aws_route53_zone')
      .filter((z) => z.vpc === undefined)
      .map((z) => z.name),
    lookedUp: Object.values(s.data?.aws_route53_zone ?? {}).map((z) => z.name),
    certificates: ofType(s, 'aws_acm_certificate').length,
    validations: ofType(s, 'aws_acm_certificate_validation').length,
    nameServersOutput: s.output?.name_servers !== undefined,
  };
}
