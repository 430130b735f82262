// For construct tests (AWS and Azure): synthesize what a test builds into a fresh stack and read
// resources out of the Terraform JSON.
import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export type Synth = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
};

/** Synthesizes what `build` adds to a fresh stack and parses the JSON. */
export function synth(build: (scope: Construct) => void): Synth {
  return JSON.parse(Testing.synthScope(build)) as Synth;
}

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

/** A fresh stack to build into, for tests that need the construct object itself. */
export function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** A policy attribute (a JSON string) parsed. */
export function policyOf(resource: Record<string, unknown>, attribute = 'policy'): { Statement: Array<Record<string, unknown>> } {
  return JSON.parse(resource[attribute] as string) as { Statement: Array<Record<string, unknown>> };
}
