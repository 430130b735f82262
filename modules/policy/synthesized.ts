// Reads synthesized stacks back from cdktf.out and evaluates the policy with each environment's settings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePolicy, type PolicyReport, type PolicySettings, type SynthesizedStack } from './engine.js';

export interface StackRef {
  readonly name: string;
  readonly environment: string;
}

export function readSynthesizedStacks(outdir: string, stacks: readonly StackRef[]): SynthesizedStack[] {
  return stacks.map((s) => ({ ...s, json: JSON.parse(readFileSync(join(outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8')) as unknown }));
}

export function checkSynthesized(
  outdir: string,
  stacks: readonly StackRef[],
  settings: Readonly<Record<string, PolicySettings>>,
): PolicyReport {
  return evaluatePolicy(readSynthesizedStacks(outdir, stacks), settings);
}
