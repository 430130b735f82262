// Azure's naming rules for the resources whose names are global (they become DNS names) or odd.
import type { PropProblems } from '../../core/validation.js';

interface NameRule {
  readonly pattern: RegExp;
  readonly what: string;
}

export const NAME_RULES = {
  /** Most resources: letters, digits, hyphens; start with a letter or digit. */
  generic: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]$/,
    what: '2-64 letters, digits or hyphens, starting and ending with a letter or digit',
  },
  /** Global DNS name `<name>.blob.core.windows.net`. */
  storageAccount: { pattern: /^[a-z0-9]{3,24}$/, what: '3-24 lowercase letters or digits (globally unique)' },
  /** Global DNS name `<name>.vault.azure.net`. */
  keyVault: {
    pattern: /^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/,
    what: '3-24 letters, digits or single hyphens, starting with a letter (globally unique)',
  },
  /** Global DNS name `<name>.database.windows.net`. */
  sqlServer: {
    pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    what: '1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (globally unique)',
  },
  /** Global DNS name `<name>.redis.cache.windows.net`. */
  redisCache: {
    pattern: /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    what: '1-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen (globally unique)',
  },
  /** Global DNS name `<name>.azurewebsites.net`; the first 32 characters name the Functions host, so keep them distinct. */
  functionApp: {
    pattern: /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])$/,
    what: '2-60 lowercase letters, digits or hyphens, not starting or ending with a hyphen (globally unique)',
  },
  /** Global DNS name `<name>.azurefd.net` prefix, and Front Door profile names. */
  frontDoor: {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,44}[A-Za-z0-9])?$/,
    what: '1-46 letters, digits or hyphens, not starting or ending with a hyphen',
  },
  /** Service Bus namespaces: 6-50, start with a letter. */
  serviceBusNamespace: {
    pattern: /^[a-z][a-z0-9-]{4,48}[a-z0-9]$/,
    what: '6-50 lowercase letters, digits or hyphens, starting with a letter (globally unique)',
  },
  /** Queue, topic and database names inside their parent. */
  child: {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,126}[A-Za-z0-9])?$/,
    what: '1-128 letters, digits, periods, hyphens or underscores, starting and ending with a letter or digit',
  },
} satisfies Record<string, NameRule>;

export type NameKind = keyof typeof NAME_RULES;

/** Records a problem when `value` breaks the naming rule of `kind`. */
export function checkName(p: PropProblems, prop: string, value: string | undefined, kind: NameKind): PropProblems {
  const rule = NAME_RULES[kind];
  return p.matches(prop, value, rule.pattern, rule.what);
}
