// For the Azure construct tests: the synth helpers, a placement and Entra ids to build with, and the
// policy gate run on a synthesized stack.
import { evaluatePolicy, type Finding } from '../../modules/policy/engine.js';
import type { Synth } from './synth.js';

export { onlyResource, resourcesOf, stack, synth, type Synth } from './synth.js';
export { errorOf } from '../error-of.js';

export const PLACEMENT = { resourceGroupName: 'rg-commerce', location: 'westeurope' } as const;
export const TENANT = '00000000-0000-4000-8000-0000000000aa';
export const ADMIN_GROUP = '11111111-2222-4333-8444-555555555555';

/** How many resources of each type the stack has, sorted by type. */
export function resourceTypeCounts(s: Synth): Record<string, number> {
  const counts = Object.entries(s.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length] as const);
  return Object.fromEntries(counts.sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A construct's JSON with the azurerm provider the Azure system stacks have (commerceProviders: Entra ID
 * for the storage data plane), since the rules that read the provider would otherwise see none.
 */
function inAzureStack(s: Synth): Synth {
  return { provider: { azurerm: [{ features: [{}], storage_use_azuread: true }] }, ...s } as Synth;
}

/**
 * The policy gate's failures on a synthesized stack, as `rule resource: detail`, with the tag rule
 * left out (the DefaultTags aspect adds tags at stack level).
 */
export function policyFailures(s: Synth): string[] {
  const report = evaluatePolicy([{ name: 's', environment: 'prod', json: inAzureStack(s) }], { prod: { level: 'error', waivers: [] } });
  return report.findings
    .filter((f: Finding) => f.verdict === 'fail' && f.rule !== 'GITOPS_TAGS')
    .map((f: Finding) => `${f.rule} ${f.resource}: ${f.detail}`);
}

/** The ids of the policy rules that checked at least one resource of the stack (so a pass is not vacuous). */
export function rulesChecked(s: Synth): string[] {
  const report = evaluatePolicy([{ name: 's', environment: 'prod', json: inAzureStack(s) }], { prod: { level: 'error', waivers: [] } });
  return [...new Set(report.findings.map((f) => f.rule).filter((r) => r !== 'GITOPS_TAGS'))].sort();
}
