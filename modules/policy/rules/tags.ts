import { REQUIRED_TAGS, type PolicyRule } from '../types.js';
import { isTaggableType } from '../taggable.js';
import { expectThat, rule } from './helpers.js';

export const tagRules: PolicyRule[] = [
  rule({
    id: 'GITOPS_TAGS',
    title: 'Taggable resources carry the default tags',
    severity: 'low',
    resourceTypes: ['*'],
    remediation: "Add the DefaultTags aspect with the environment file's tags (the app does for every system stack).",
    appliesTo: (r) => isTaggableType(r.type),
    check: (r, stack) => {
      const defaultTags = r.type.startsWith('aws_')
        ? ((stack.providers.aws?.[0]?.default_tags as { tags?: Record<string, string> }[] | undefined)?.[0]?.tags ?? {})
        : {};
      const tags = { ...defaultTags, ...((r.config.tags as Record<string, string> | undefined) ?? {}) };
      const missing = REQUIRED_TAGS.filter((t) => !tags[t]);
      return expectThat(missing.length === 0, `missing tag(s) ${missing.join(', ')}`);
    },
  }),
];
