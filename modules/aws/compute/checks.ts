// Checks shared by the compute and api constructs: KMS key ARNs, record keys, and literal
// secrets in environment variables (which end up readable in the console, state and plan output).
import { Token } from 'cdktf';
import type { PropProblems } from '../../core/validation.js';

export const KMS_KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/;
export const KMS_KEY_ARN_WHAT = 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)';

/** A 20-character AWS access key id (long-term AKIA or temporary ASIA). */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
/** Variable names that announce a secret. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
/** Names that carry a reference to a secret (where to fetch it), not the secret itself. */
const REFERENCE_SUFFIX = /_(ARN|NAME|ID|PATH|PARAM|PARAMETER|URL|TTL|HEADER)$/i;

/**
 * Problems with environment variables that look like literal secrets: a value shaped like an AWS
 * access key id, or a secret-sounding name (PASSWORD, SECRET, TOKEN...) with a literal value that
 * is not an ARN. Tokens are skipped: they resolve to references, not literals written in code.
 */
export function literalSecretProblems(prop: string, environment: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(environment)) {
    if (Token.isUnresolved(value)) continue;
    if (ACCESS_KEY_ID.test(value)) {
      problems.push(
        `${prop}.${name} holds an AWS access key id (got a value starting ${JSON.stringify(value.slice(0, 4))}); grant the role access instead of passing keys`,
      );
      continue;
    }
    const isReference = REFERENCE_SUFFIX.test(name) || value.startsWith('arn:') || value === '';
    if (SECRET_NAME.test(name) && !isReference) {
      problems.push(
        `${prop}.${name} looks like a literal secret (got a ${value.length}-character value); pass the secret's ARN (e.g. ${name}_ARN) and read it at run time`,
      );
    }
  }
  return problems;
}

/** Adds `literalSecretProblems` to `problems`. */
export function checkNoLiteralSecrets(
  problems: PropProblems,
  prop: string,
  environment: Readonly<Record<string, string>> | undefined,
): void {
  for (const problem of literalSecretProblems(prop, environment ?? {})) problems.check(false, problem);
}

/** Record keys become construct ids and resource names: keep them readable and stable. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
export const KEY_WHAT = '1-32 letters, digits, "_" or "-", starting with a letter or digit';

/** Checks each key of `record` against KEY_PATTERN. */
export function checkKeys(problems: PropProblems, prop: string, record: Readonly<Record<string, unknown>> | undefined): void {
  for (const key of Object.keys(record ?? {})) problems.matches(`${prop} key`, key, KEY_PATTERN, KEY_WHAT);
}
