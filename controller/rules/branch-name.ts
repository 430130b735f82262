// Branch names arrive in webhook payloads and comments, i.e. from whoever can push a branch.
// They are checked here, before anything hands them to git, a shell or a log line: git's own
// check-ref-format rules, plus a refusal of every shell metacharacter so a name can never be
// more than a name wherever it ends up, and of every character a reader cannot see or that
// reorders what they see (bidi controls, zero-width and other format characters, non-ASCII
// spaces, line separators): `feature/fix\u202Etxt.exe` must not show as something else in a
// check run. A refused name is echoed escaped, never with those characters in it.

/** Longest branch name accepted (git has no limit; file systems and GitHub stop near 255). */
export const MAX_BRANCH_NAME_LENGTH = 255;

/** Characters a shell gives meaning to. None is useful in a branch name; all are refused. */
export const SHELL_METACHARACTERS = ['$', ';', '&', '|', '<', '>', '`', "'", '"', '(', ')', '{', '}', '!'] as const;

/** Characters git check-ref-format refuses anywhere in a ref (besides control characters). */
const GIT_FORBIDDEN_CHARACTERS = [' ', '~', '^', ':', '?', '*', '[', '\\'] as const;

/**
 * Characters refused because they are invisible or change the direction of the text around them:
 * controls (Cc), format characters (Cf: bidi embeddings, overrides, isolates and marks, zero-width
 * characters, the BOM), line and paragraph separators (Zl, Zp), spaces other than the ASCII one (Zs),
 * lone surrogates (Cs) and the rest of Unicode's default-ignorable characters (fillers, variation
 * selectors). The ASCII controls and space are refused by git's own rules first.
 */
export const INVISIBLE_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]|(?! )\p{Zs}/u;
const INVISIBLE_CHARACTERS = new RegExp(INVISIBLE_CHARACTER.source, 'gu');

/** Names of the invisible characters most likely to be met; the others are named by their category. */
const CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0x85: 'NEXT LINE',
  0xa0: 'NO-BREAK SPACE',
  0xad: 'SOFT HYPHEN',
  0x61c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3000: 'IDEOGRAPHIC SPACE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

const CATEGORIES: readonly [RegExp, string][] = [
  [/\p{Cc}/u, 'a control character'],
  [/\p{Cf}/u, 'a format character'],
  [/\p{Zs}/u, 'a space character'],
  [/\p{Cs}/u, 'a lone surrogate'],
];

const codePoint = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** `U+202E RIGHT-TO-LEFT OVERRIDE`, or `U+E0001, a format character` for one without a listed name. */
export function nameCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const name = CHARACTER_NAMES[code];
  if (name !== undefined) return `${codePoint(code)} ${name}`;
  const category = CATEGORIES.find(([re]) => re.test(c))?.[1] ?? 'an invisible character';
  return `${codePoint(code)}, ${category}`;
}

/** Quotes a name for an error message: cut short, and escaped so every invisible or control character shows as \uXXXX. */
export function quoteBranchName(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  // JSON escapes the ASCII controls, quotes and backslashes (and lone surrogates); the rest is ours
  return JSON.stringify(shown).replace(INVISIBLE_CHARACTERS, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function describeCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (${codePoint(code)})`;
  if (c === ' ') return 'a space';
  return JSON.stringify(c);
}

/**
 * Checks a short branch name (`feature/login`, not `refs/heads/...`).
 * @returns undefined when the name is valid, else one line naming the name and the broken rule.
 */
export function validateBranchName(name: unknown): string | undefined {
  if (typeof name !== 'string') return `branch name must be a string (got ${name === null ? 'null' : typeof name})`;
  const q = quoteBranchName(name);
  const fail = (rule: string) => `branch name ${q} ${rule}`;
  if (name.length === 0) return 'branch name is empty';
  if (name.length > MAX_BRANCH_NAME_LENGTH) return fail(`is ${name.length} characters long (at most ${MAX_BRANCH_NAME_LENGTH})`);
  for (const c of name) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || (GIT_FORBIDDEN_CHARACTERS as readonly string[]).includes(c)) {
      return fail(`contains ${describeCharacter(c)} (git refuses control characters, spaces and any of ~^:?*[\\)`);
    }
    if (INVISIBLE_CHARACTER.test(c)) {
      return fail(`contains ${nameCharacter(c)} (invisible or direction-changing characters are not allowed)`);
    }
    if ((SHELL_METACHARACTERS as readonly string[]).includes(c)) {
      return fail(`contains ${describeCharacter(c)} (shell metacharacters ${SHELL_METACHARACTERS.join('')} are refused)`);
    }
  }
  if (name === '@') return fail('is "@", which git reserves');
  if (name.startsWith('-')) return fail('starts with "-" (it would be read as an option)');
  if (name.includes('..')) return fail('contains ".."');
  if (name.includes('@{')) return fail('contains "@{"');
  if (name.includes('//')) return fail('contains "//"');
  if (name.startsWith('/')) return fail('starts with "/"');
  if (name.endsWith('/')) return fail('ends with "/" (a prefix such as feature/ needs a name after it)');
  if (name.endsWith('.')) return fail('ends with "."');
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return fail(`has a part starting with "." (${quoteBranchName(component)})`);
    if (component.endsWith('.lock')) return fail(`has a part ending with ".lock" (${quoteBranchName(component)})`);
  }
  return undefined;
}
