// Checks of everything that reaches git or a command line from a webhook payload.
// Each check returns a problem text (naming the field, the bad value and what is allowed) or undefined.

const SHA = /^[0-9a-f]{40}$/;
const ENVIRONMENT = /^[a-z0-9][a-z0-9-]{0,62}$/;
const JOB_ID = /^[A-Za-z0-9._-]{1,100}$/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

export function shaProblem(field: string, value: unknown): string | undefined {
  if (typeof value === 'string' && SHA.test(value)) return undefined;
  return `${field} ${show(value)} is not a commit SHA (40 lowercase hex characters)`;
}

export function environmentProblem(field: string, value: unknown): string | undefined {
  if (typeof value === 'string' && ENVIRONMENT.test(value)) return undefined;
  return `${field} ${show(value)} is not an environment name (lowercase letters, digits and -, starting with a letter or digit)`;
}

export function jobIdProblem(field: string, value: unknown): string | undefined {
  if (typeof value === 'string' && JOB_ID.test(value)) return undefined;
  return `${field} ${show(value)} must be 1-100 of letters, digits, . _ -`;
}

/** A directory inside the repository: relative, no `..`, no leading `-` (it becomes a CLI flag value). */
export function repoDirProblem(field: string, value: unknown): string | undefined {
  const ok =
    typeof value === 'string' &&
    value !== '' &&
    !value.startsWith('/') &&
    !value.startsWith('-') &&
    !value.split('/').some((part) => part === '..' || part === '') &&
    /^[A-Za-z0-9._/-]+$/.test(value);
  return ok ? undefined : `${field} ${show(value)} must be a relative directory inside the repository (letters, digits, . _ - /, no ..)`;
}

/** A git remote URL: https, http or file, without credentials (pass the token separately). */
export function repoUrlProblem(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return `${field} ${show(value)} is not a URL (allowed: https://, http://, file://)`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${field} ${show(value)} is not a URL (allowed: https://, http://, file://)`;
  }
  if (!['https:', 'http:', 'file:'].includes(url.protocol)) {
    return `${field} ${show(`${url.protocol}//${url.host}${url.pathname}`)} uses ${url.protocol} (allowed: https://, http://, file://)`;
  }
  if (url.username || url.password) return `${field} must not carry credentials (pass the installation token as authToken)`;
  return undefined;
}

/** Throws one error listing every problem, prefixed by `what`. */
export function assertNoProblems(what: string, problems: readonly (string | undefined)[]): void {
  const found = problems.filter((p): p is string => p !== undefined);
  if (found.length > 0) throw new Error(`${what}: ${found.join('; ')}`);
}
