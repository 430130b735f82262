// Turns `terraform show -json <plan>` into a per-resource summary with sensitive values masked.
// Pure: no I/O, so comments and checks can be rendered from stored plans.
import {
  SENSITIVE,
  type AttributeChange,
  type ChangeAction,
  type PlanCounts,
  type PlanSummary,
  type ResourceChange,
} from '../core/ports/plan-report.js';
import { isSensitiveAttribute, type BlockKind } from '../secrets/sensitive.js';

interface RawChange {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}

export function toAction(actions: readonly string[]): ChangeAction {
  const key = [...actions].sort().join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      return 'replace';
    case 'read':
      return 'read';
    case 'no-op':
    case '':
      return 'no-op';
    default:
      throw new Error(`unknown terraform change actions [${actions.join(', ')}]`);
  }
}

type Leaves = Map<string, unknown>;

/** Flattens a JSON value into leaf paths. Empty objects/lists are leaves so their appearance shows. */
function flatten(value: unknown, prefix: string, out: Leaves): Leaves {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

/** Looks up a mask (`before_sensitive`, `after_unknown`): true at the path or at any ancestor. */
function maskAt(mask: unknown, path: string): boolean {
  let node: unknown = mask;
  if (node === true) return true;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[part];
    if (node === true) return true;
  }
  return false;
}

/**
 * Terraform's `before_sensitive`/`after_sensitive` say what the provider marks sensitive; the synth diff's
 * rules (the providers' table, secret-looking names, environment variables, app settings) mask on top.
 */
function attributeChanges(change: RawChange, kind: BlockKind, type: string): AttributeChange[] {
  const before = flatten(change.before ?? undefined, '', new Map());
  const after = flatten(change.after ?? undefined, '', new Map());
  const unknownPaths = flatten(change.after_unknown ?? {}, '', new Map());
  const paths = new Set([...before.keys(), ...after.keys()]);
  for (const [p, v] of unknownPaths) if (v === true) paths.add(p);
  const result: AttributeChange[] = [];
  for (const path of [...paths].sort()) {
    const unknownAfter = maskAt(change.after_unknown, path);
    const b = before.get(path);
    const a = unknownAfter ? undefined : after.get(path);
    if (!unknownAfter && JSON.stringify(b) === JSON.stringify(a)) continue;
    const sensitive =
      maskAt(change.before_sensitive, path) || maskAt(change.after_sensitive, path) || isSensitiveAttribute(kind, type, path);
    result.push({
      path,
      before: b === undefined ? undefined : sensitive ? SENSITIVE : b,
      after: a === undefined ? undefined : sensitive ? SENSITIVE : a,
      sensitive,
      unknownAfter,
    });
  }
  return result;
}

export function summarizePlan(stack: string, planJson: unknown): PlanSummary {
  const plan = planJson as {
    resource_changes?: { address: string; type: string; name: string; mode?: string; change: RawChange }[];
    output_changes?: Record<string, RawChange>;
  };
  if (plan === null || typeof plan !== 'object') throw new Error(`plan of stack ${stack} is not a terraform JSON plan`);
  const counts: PlanCounts = { add: 0, change: 0, replace: 0, destroy: 0, noop: 0, read: 0 };
  const resources: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const action = toAction(rc.change.actions);
    const key = ({ create: 'add', update: 'change', replace: 'replace', delete: 'destroy', 'no-op': 'noop', read: 'read' } as const)[
      action
    ];
    counts[key]++;
    if (action === 'no-op') continue;
    resources.push({
      address: rc.address,
      type: rc.type,
      name: rc.name,
      action,
      attributes: action === 'read' ? [] : attributeChanges(rc.change, rc.mode === 'data' ? 'data' : 'resource', rc.type),
    });
  }
  const outputs = Object.entries(plan.output_changes ?? {}).map(([name, c]) => ({ name, action: toAction(c.actions) }));
  const hasChanges = counts.add + counts.change + counts.replace + counts.destroy > 0 || outputs.some((o) => o.action !== 'no-op');
  return { stack, counts, hasChanges, resources, outputs };
}
