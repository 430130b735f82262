// Reads synthesized stacks back from cdktf.out, for the policy engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStack } from './engine.js';

export interface StackRef {
  readonly name: string;
  readonly environment: string;
}

export function readSynthesizedStacks(outdir: string, stacks: readonly StackRef[]): SynthesizedStack[] {
  return stacks.map((s) => ({ ...s, json: JSON.parse(readFileSync(join(outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8')) as unknown }));
}
