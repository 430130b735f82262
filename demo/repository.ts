// The demo's repository: this checkout's infrastructure reduced to the `release-<env>` stacks. Every
// environment file loses its `systems:` (and with them the staging file's `differsFromProduction`, which
// would list differences between systems no file runs any more) and the copy's system list (modules/systems/index.ts) is
// empty, so the app neither builds nor bundles the AWS and Azure stacks. `release-<env>` uses only
// Terraform's builtin `terraform_data`: every plan and apply of the demo is real and offline, and a
// synth in the sandbox bundles a few hundred kilobytes instead of the providers' bindings.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

const NO_SYSTEMS = `// The demo's repository deploys no system: each environment's only stack is release-<env>.
import type { SystemDefinition } from './types.js';

export const systems: readonly SystemDefinition[] = [];
`;

const TIERS = ['development', 'staging', 'production'];

/** Reduces the project copied to `dir` to its release stacks; returns the environments' names, in the order a change reaches them. */
export function keepReleaseStacksOnly(dir: string): string[] {
  const envDir = join(dir, 'environments');
  const environments: { name: string; tier: number }[] = [];
  for (const file of readdirSync(envDir).filter((f) => f.endsWith('.yaml'))) {
    const path = join(envDir, file);
    const doc = parseDocument(readFileSync(path, 'utf8'));
    doc.delete('systems');
    doc.delete('differsFromProduction');
    writeFileSync(path, doc.toString());
    environments.push({ name: file.replace(/\.yaml$/, ''), tier: TIERS.indexOf(String(doc.get('tier'))) });
  }
  writeFileSync(join(dir, 'modules', 'systems', 'index.ts'), NO_SYSTEMS);
  return environments.sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name)).map((e) => e.name);
}
