// For the security and observability construct tests: the synthesized stack as loosely typed JSON,
// and a type's resources as a list.
import type { Construct } from 'constructs';
import { synth as synthStack } from './synth.js';

/** Synthesized Terraform JSON is untyped; tests read it as loosely as Terraform writes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = any;

/** Synthesizes what `build` adds to a fresh stack and parses the JSON. */
export function synth(build: (scope: Construct) => void): TfJson {
  return synthStack(build);
}

/** Every resource of `type` (in logical-id order; empty when there is none). */
export function resourcesOf(json: TfJson, type: string): TfJson[] {
  return Object.values(json.resource?.[type] ?? {});
}
