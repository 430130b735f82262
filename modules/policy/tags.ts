import { type IAspect, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

import { REQUIRED_TAGS } from './types.js';

interface Taggable {
  tagsInput?: Record<string, string>;
  tags: Record<string, string>;
}

function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && 'tagsInput' in node;
}

/**
 * Applies default tags to every taggable resource of the scope it is added to. A resource's own tags
 * are kept (e.g. `Name`); the defaults fill in the rest.
 */
export class DefaultTags implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {
    const missing = REQUIRED_TAGS.filter((t) => !tags[t]);
    if (missing.length > 0)
      throw new Error(`DefaultTags: missing required tag(s) ${missing.join(', ')} (got ${Object.keys(tags).join(', ') || 'none'})`);
  }

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    node.tags = { ...this.tags, ...(node.tagsInput ?? {}) };
  }
}
