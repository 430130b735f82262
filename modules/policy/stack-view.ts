import type { ResourceView, StackView } from './types.js';

interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, Record<string, unknown>[]>;
}

/** Does `value` (any JSON) mention a reference to `address` (`${type.name.` or `${type.name}`)? */
export function refersTo(value: unknown, address: string): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return text.includes(`\${${address}.`) || text.includes(`\${${address}}`);
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.keys(record)
    .sort()
    .map((k) => [k, record[k]]);
}

export function stackView(name: string, json: unknown): StackView {
  const tf = (json ?? {}) as TerraformJson;
  const resources: ResourceView[] = [];
  // Sorted, as in cdk.tf.json, so findings come in the same order from a file or from synth's memory.
  for (const [type, byName] of sortedEntries(tf.resource ?? {})) {
    for (const [resName, config] of sortedEntries(byName)) {
      const { ['//']: _meta, ...rest } = config;
      resources.push({ type, name: resName, address: `${type}.${resName}`, config: rest });
    }
  }
  const byType = new Map<string, ResourceView[]>();
  for (const r of resources) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return {
    name,
    resources,
    providers: tf.provider ?? {},
    ofType: (type) => byType.get(type) ?? [],
    referencing: (type, attribute, target) => (byType.get(type) ?? []).filter((r) => refersTo(r.config[attribute], target.address)),
  };
}

/** Reads a nested attribute: `get(cfg, 'a.0.b')`; a single-item list block is entered transparently. */
export function get(config: unknown, path: string): unknown {
  let node: unknown = config;
  for (const part of path.split('.')) {
    if (Array.isArray(node) && !/^\d+$/.test(part)) node = node[0];
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Terraform JSON booleans may be true or "true". */
export function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

export function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
