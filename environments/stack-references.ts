// Stacks of this app are independent: a stack finds a neighbour's resources by data source or by a
// deterministic name, never through a cdktf token (that would need cross-stack outputs and remote
// state, and an apply order the runner does not know). That lets synth skip cdktf's "preparing"
// resolve pass, which exists only to wire cross-stack references and costs a fifth of synth; this
// check makes sure none slipped in, by finding references to addresses the stack does not define.
import type { TerraformStack } from 'cdktf';

/** `${aws_s3_bucket.images.arn}` / `${data.aws_region.current.name}`: provider-typed addresses only. */
const REFERENCE = /\$\{[^}]*?\b((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g;

interface TerraformJson {
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
}

/** Addresses referenced in `json` that the stack itself does not define. */
export function danglingReferences(json: unknown): string[] {
  const tf = json as TerraformJson;
  const defined = new Set<string>();
  for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(byName)) defined.add(`${type}.${name}`);
  for (const [type, byName] of Object.entries(tf.data ?? {})) for (const name of Object.keys(byName)) defined.add(`data.${type}.${name}`);
  const text = JSON.stringify({ resource: tf.resource, data: tf.data, output: (json as { output?: unknown }).output });
  const dangling = new Set<string>();
  for (const m of text.matchAll(REFERENCE)) if (!defined.has(m[1])) dangling.add(m[1]);
  return [...dangling].sort();
}

/** Skips cdktf's preparing resolve for these stacks (see above); their references are checked after synth. */
export function skipCrossStackPreparation(stacks: readonly TerraformStack[]): void {
  for (const stack of stacks) stack.prepareStack = () => void stack.ensureBackendExists();
}

export class CrossStackReferenceError extends Error {
  constructor(problems: readonly { stack: string; addresses: readonly string[] }[]) {
    super(
      problems.map((p) => `stack ${p.stack} refers to ${p.addresses.join(', ')}, which it does not define`).join('; ') +
        ' (stacks must not share cdktf tokens: look the resource up with a data source or a deterministic name; GITOPS_PREPARE_STACKS=1 lets cdktf wire cross-stack references)',
    );
    this.name = 'CrossStackReferenceError';
  }
}
