// Test helpers for the Azure modules: synthesize, read resources, run the policy gate.
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { evaluatePolicy, type Finding } from '../../policy/engine.js';

export type Synth = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
};

export const PLACEMENT = { resourceGroupName: 'rg-commerce', location: 'westeurope' } as const;
export const TENANT = '00000000-0000-4000-8000-0000000000aa';
export const ADMIN_GROUP = '11111111-2222-4333-8444-555555555555';

/** Synthesizes what `build` adds to a fresh stack and parses the JSON. */
export function synth(build: (scope: Construct) => void): Synth {
  return JSON.parse(Testing.synthScope(build)) as Synth;
}

/** A fresh stack to build into, for tests that need the construct object itself. */
export function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

export { errorOf } from '../../../test/error-of.js';

/** Every resource of `type`, by logical id. */
export function resourcesOf(s: Synth, type: string): Record<string, Record<string, unknown>> {
  return s.resource?.[type] ?? {};
}

/** The only resource of `type`; fails when there are none or several. */
export function onlyResource(s: Synth, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(s, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0]!;
}

/** How many resources of each type the stack has, sorted by type. */
export function resourceTypeCounts(s: Synth): Record<string, number> {
  const counts = Object.entries(s.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length] as const);
  return Object.fromEntries(counts.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The policy gate's failures on a synthesized stack, as `rule resource: detail`, with the tag rule
 * left out (the DefaultTags aspect adds tags at stack level).
 */
export function policyFailures(s: Synth): string[] {
  const report = evaluatePolicy([{ name: 's', environment: 'prod', json: s }], { prod: { level: 'error', waivers: [] } });
  return report.findings
    .filter((f: Finding) => f.verdict === 'fail' && f.rule !== 'GITOPS_TAGS')
    .map((f: Finding) => `${f.rule} ${f.resource}: ${f.detail}`);
}

/** The ids of the policy rules that checked at least one resource of the stack (so a pass is not vacuous). */
export function rulesChecked(s: Synth): string[] {
  const report = evaluatePolicy([{ name: 's', environment: 'prod', json: s }], { prod: { level: 'error', waivers: [] } });
  return [...new Set(report.findings.map((f) => f.rule).filter((r) => r !== 'GITOPS_TAGS'))].sort();
}
