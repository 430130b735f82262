// Which Terraform resource types take `tags`, decided by the provider bindings themselves: a
// generated resource class is taggable when it has a `tagsInput` accessor.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cache = new Map<string, boolean>();

const PACKAGES: Record<string, string> = { aws: '@cdktf/provider-aws', azurerm: '@cdktf/provider-azurerm' };

/**
 * Records taggability from live resources, as synth has them: `gitops synth` loads the provider classes
 * from its bundle, so finding them again with `require` would load and compile every provider file twice.
 */
export function learnTaggableTypes(resources: Iterable<{ readonly terraformResourceType: string }>): void {
  for (const r of resources) if (!cache.has(r.terraformResourceType)) cache.set(r.terraformResourceType, 'tagsInput' in r);
}

export function isTaggableType(type: string): boolean {
  const known = cache.get(type);
  if (known !== undefined) return known;
  let taggable = false;
  const [prefix, ...rest] = type.split('_');
  const pkg = PACKAGES[prefix];
  if (pkg) {
    try {
      type ResourceClass = { tfResourceType?: string; prototype: object };
      const mod = require(`${pkg}/lib/${rest.join('-')}/index.js`) as Record<string, unknown>;
      const cls = Object.values(mod).find(
        (c): c is ResourceClass => typeof c === 'function' && (c as ResourceClass).tfResourceType === type,
      );
      taggable = cls !== undefined && 'tagsInput' in cls.prototype;
    } catch {
      taggable = false; // not a resource of a provider we ship: the tag rule cannot judge it
    }
  }
  cache.set(type, taggable);
  return taggable;
}
