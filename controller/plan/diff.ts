// The configuration difference between the base and the head synth, per stack. Pure.
// A synth diff compares desired configuration only: it says nothing about drift or what the provider computes.
import { SENSITIVE } from '../core/ports/plan-report.js';
import type { AttributeChange, ChangeAction, ResourceChange, StackDiff, SynthStacks, TerraformJson } from '../core/ports/plan-report.js';
import { hasSecretName, isSensitiveAttribute, pathParts, type BlockKind } from '../secrets/sensitive.js';

/** cdktf's metadata keys (construct paths, unique ids): they change with refactors, not with infrastructure. */
const METADATA_KEY = '//';
const SETTINGS_BLOCKS = ['terraform', 'provider', 'variable', 'locals'] as const;

type Leaves = Map<string, unknown>;
type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const asObject = (v: unknown): Obj => (isObject(v) ? v : {});

/** Leaf paths of a value (`a.b[0].c`); empty objects and lists are leaves so their appearance shows. */
function flatten(value: unknown, prefix: string, out: Leaves = new Map()): Leaves {
  if (Array.isArray(value)) {
    if (value.length === 0 && prefix) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (isObject(value)) {
    const entries = Object.entries(value).filter(([k]) => k !== METADATA_KEY);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

/**
 * Attribute changes between two values; `prefix` names the block for settings. A value is masked when
 * `isSensitive` says so for its path; a masked value that changed still shows as changed.
 */
export function diffAttributes(
  before: unknown,
  after: unknown,
  prefix = '',
  isSensitive: (path: string) => boolean = hasSecretName,
): AttributeChange[] {
  const b = flatten(before, prefix);
  const a = flatten(after, prefix);
  const changes: AttributeChange[] = [];
  for (const path of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const bv = b.get(path);
    const av = a.get(path);
    if (JSON.stringify(bv) === JSON.stringify(av)) continue;
    const sensitive = isSensitive(path);
    changes.push({
      path,
      before: bv === undefined ? undefined : sensitive ? SENSITIVE : bv,
      after: av === undefined ? undefined : sensitive ? SENSITIVE : av,
      sensitive,
      unknownAfter: false,
    });
  }
  return changes;
}

interface Block {
  readonly address: string;
  readonly kind: BlockKind;
  readonly type: string;
  readonly name: string;
  readonly body: unknown;
}

/** Resources (`type.name`), data sources (`data.type.name`) and module calls (`module.name`) of a stack. */
function blocks(doc: TerraformJson | undefined): Map<string, Block> {
  const out = new Map<string, Block>();
  for (const [type, byName] of Object.entries(asObject(doc?.resource))) {
    for (const [name, body] of Object.entries(asObject(byName)))
      out.set(`${type}.${name}`, { address: `${type}.${name}`, kind: 'resource', type, name, body });
  }
  for (const [type, byName] of Object.entries(asObject(doc?.data))) {
    for (const [name, body] of Object.entries(asObject(byName)))
      out.set(`data.${type}.${name}`, { address: `data.${type}.${name}`, kind: 'data', type, name, body });
  }
  for (const [name, body] of Object.entries(asObject(doc?.module)))
    out.set(`module.${name}`, { address: `module.${name}`, kind: 'module', type: 'module', name, body });
  return out;
}

function diffResources(base: TerraformJson | undefined, head: TerraformJson | undefined): ResourceChange[] {
  const before = blocks(base);
  const after = blocks(head);
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(address);
    const a = after.get(address);
    const { kind, type, name } = (a ?? b)!;
    const isSensitive = (path: string) => isSensitiveAttribute(kind, type, path);
    if (!b) changes.push({ address, type, name, action: 'create', attributes: diffAttributes(undefined, a!.body, '', isSensitive) });
    else if (!a) changes.push({ address, type, name, action: 'delete', attributes: [] });
    else {
      const attributes = diffAttributes(b.body, a.body, '', isSensitive);
      if (attributes.length > 0) changes.push({ address, type, name, action: 'update', attributes });
    }
  }
  return changes;
}

function diffOutputs(base: TerraformJson | undefined, head: TerraformJson | undefined): { name: string; action: ChangeAction }[] {
  const before = asObject(base?.output);
  const after = asObject(head?.output);
  const out: { name: string; action: ChangeAction }[] = [];
  for (const name of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (!(name in before)) out.push({ name, action: 'create' });
    else if (!(name in after)) out.push({ name, action: 'delete' });
    else if (diffAttributes(before[name], after[name]).length > 0) out.push({ name, action: 'update' });
  }
  return out;
}

/** Names of the variables declared `sensitive: true` on either side: a side that drops the flag still hides the other's default. */
function sensitiveVariables(base: TerraformJson | undefined, head: TerraformJson | undefined): Set<string> {
  const names = new Set<string>();
  for (const doc of [base, head])
    for (const [name, declaration] of Object.entries(asObject(doc?.variable)))
      if (asObject(declaration).sensitive === true) names.add(name);
  return names;
}

/** The difference of one stack; a missing side means the stack is added or removed. */
export function diffStack(stack: string, base: TerraformJson | undefined, head: TerraformJson | undefined): StackDiff {
  const resources = diffResources(base, head);
  const outputs = diffOutputs(base, head);
  const variables = sensitiveVariables(base, head);
  const isSensitiveSetting = (path: string) => {
    const [block, name, attribute] = pathParts(path);
    return hasSecretName(path) || (block === 'variable' && variables.has(name) && attribute === 'default');
  };
  const settings = SETTINGS_BLOCKS.flatMap((block) => diffAttributes(base?.[block], head?.[block], block, isSensitiveSetting));
  const status = !base ? 'added' : !head ? 'removed' : resources.length + outputs.length + settings.length > 0 ? 'changed' : 'unchanged';
  return { stack, status, resources, outputs, settings };
}

/** Every stack of either side, in name order. */
export function diffStacks(base: SynthStacks, head: SynthStacks): StackDiff[] {
  return [...new Set([...Object.keys(base), ...Object.keys(head)])].sort().map((name) => diffStack(name, base[name], head[name]));
}

/**
 * The stacks a plan must cover: every stack with a difference, plus `release-<environment>` (it records the
 * deployed commit, so it changes with every merge), ordered by name with the release stack last.
 */
export function affectedStacks(diffs: readonly StackDiff[], environment: string): StackDiff[] {
  const release = `release-${environment}`;
  const affected = diffs.filter((d) => d.status !== 'unchanged' || d.stack === release);
  return [...affected.filter((d) => d.stack !== release), ...affected.filter((d) => d.stack === release)];
}
