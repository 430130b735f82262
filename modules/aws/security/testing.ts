// Test helpers for the security and observability modules: read a synthesized stack.
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

/** Synthesized Terraform JSON is untyped; tests read it as loosely as Terraform writes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = any;

/** Synthesizes what `build` adds to a fresh stack and parses the JSON. */
export function synth(build: (scope: Construct) => void): TfJson {
  return JSON.parse(Testing.synthScope(build));
}

/** Every resource of `type` (in logical-id order; empty when there is none). */
export function resourcesOf(json: TfJson, type: string): TfJson[] {
  return Object.values(json.resource?.[type] ?? {});
}
