// Branch names arrive in webhook payloads and comments, i.e. from whoever can push a branch.
// They are checked here, before anything hands them to git, a shell or a log line: git's own
// check-ref-format rules, plus a refusal of every shell metacharacter so a name can never be
// more than a name wherever it ends up.

/** Longest branch name accepted (git has no limit; file systems and GitHub stop near 255). */
export const MAX_BRANCH_NAME_LENGTH = 255;

/** Characters a shell gives meaning to. None is useful in a branch name; all are refused. */
export const SHELL_METACHARACTERS = ['$', ';', '&', '|', '<', '>', '`', "'", '"', '(', ')', '{', '}', '!'] as const;

/** Characters git check-ref-format refuses anywhere in a ref (besides control characters). */
const GIT_FORBIDDEN_CHARACTERS = [' ', '~', '^', ':', '?', '*', '[', '\\'] as const;

/** Quotes a name for an error message: escaped (control characters become visible) and cut short. */
export function quoteBranchName(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return JSON.stringify(shown);
}

function describeCharacter(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
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
