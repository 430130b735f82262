// Resource-policy statements as callers write them, normalised to IAM policy JSON.
// Two spellings are accepted because neighbours know one or the other: IAM JSON
// ({ Service: [...] }, { StringEquals: {...} }) and Terraform's aws_iam_policy_document
// ([{ type, identifiers }], [{ test, variable, values }]).

/** IAM JSON principals, `'*'`, or Terraform-style `[{ type: 'Service', identifiers: [...] }]`. */
export type PolicyPrincipals =
  | '*'
  | { readonly AWS?: string | string[]; readonly Service?: string | string[]; readonly Federated?: string | string[] }
  | ReadonlyArray<{ readonly type: 'AWS' | 'Service' | 'Federated' | '*'; readonly identifiers: string[] }>;

/** IAM JSON conditions (`{ StringEquals: { 'aws:SourceArn': '...' } }`) or Terraform-style `[{ test, variable, values }]`. */
export type PolicyConditions =
  | Readonly<Record<string, Readonly<Record<string, string | string[]>>>>
  | ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values: string[] }>;

export interface PolicyStatement {
  /** Unique within the policy; names the statement in the JSON. */
  readonly sid: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly principals: PolicyPrincipals;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** @default no conditions */
  readonly conditions?: PolicyConditions;
}

export interface IamStatementJson {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | Record<string, string[]>;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export const SID_PATTERN = /^[A-Za-z0-9]+$/;

/** Problems with one statement, each naming the field, the bad value and what is allowed. */
export function statementProblems(s: PolicyStatement): string[] {
  const problems: string[] = [];
  if (!SID_PATTERN.test(s.sid)) problems.push(`sid must be letters and digits only (got ${JSON.stringify(s.sid)})`);
  if (s.effect !== undefined && s.effect !== 'Allow' && s.effect !== 'Deny') {
    problems.push(`statement ${s.sid}: effect must be "Allow" or "Deny" (got ${JSON.stringify(s.effect)})`);
  }
  if (s.actions.length === 0) problems.push(`statement ${s.sid}: actions must list at least one action (got [])`);
  if (s.resources.length === 0) problems.push(`statement ${s.sid}: resources must list at least one ARN (got [])`);
  if (s.actions.some((a) => a === '*' || a === 's3:*') && (s.effect ?? 'Allow') === 'Allow') {
    problems.push(`statement ${s.sid}: Allow statements must name specific actions (got ${JSON.stringify(s.actions)})`);
  }
  return problems;
}

export function toIamJson(s: PolicyStatement): IamStatementJson {
  const json: IamStatementJson = {
    Sid: s.sid,
    Effect: s.effect ?? 'Allow',
    Principal: normalisePrincipals(s.principals),
    Action: [...s.actions],
    Resource: [...s.resources],
  };
  if (s.conditions !== undefined) json.Condition = normaliseConditions(s.conditions);
  return json;
}

function normalisePrincipals(p: PolicyPrincipals): IamStatementJson['Principal'] {
  if (p === '*') return '*';
  const out: Record<string, string[]> = {};
  if (Array.isArray(p)) {
    for (const { type, identifiers } of p as Extract<PolicyPrincipals, readonly unknown[]>) {
      if (type === '*') return '*';
      out[type] = [...(out[type] ?? []), ...identifiers];
    }
    return out;
  }
  for (const [type, ids] of Object.entries(p as Record<string, string | string[] | undefined>)) {
    if (ids !== undefined) out[type] = Array.isArray(ids) ? [...ids] : [ids];
  }
  return out;
}

function normaliseConditions(c: PolicyConditions): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (Array.isArray(c)) {
    for (const { test, variable, values } of c as Extract<PolicyConditions, readonly unknown[]>) {
      out[test] = { ...(out[test] ?? {}), [variable]: [...values] };
    }
    return out;
  }
  for (const [test, vars] of Object.entries(c as Record<string, Record<string, string | string[]>>)) {
    out[test] = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  }
  return out;
}
