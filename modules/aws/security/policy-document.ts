// IAM policy statements as plain data, rendered to the JSON string that aws_iam_* resources take.
// Token ARNs survive JSON.stringify as `${...}` interpolations inside the string, which Terraform
// resolves, so documents stay readable in the synthesized JSON (and to the policy gate).

/** Principals as IAM writes them, e.g. `{ Service: ['cloudtrail.amazonaws.com'] }` or `{ AWS: [roleArn] }`. */
export type PolicyPrincipals = Readonly<Record<string, string | readonly string[]>>;

/** `{ operator: { key: value(s) } }`, e.g. `{ StringEquals: { 'aws:SourceAccount': accountId } }`. */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  /** Statement id; statements sharing a sid are merged by `mergeStatements`. */
  readonly sid: string;
  /** @default 'Allow' */
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  /** Only for resource policies (key, bucket, topic). @default none (identity policy) */
  readonly principals?: PolicyPrincipals;
  /** @default none */
  readonly conditions?: PolicyConditions;
}

/** Statements with the same sid, effect, actions and principals become one with the union of resources. */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const bySid = new Map<string, PolicyStatement>();
  for (const s of statements) {
    const seen = bySid.get(s.sid);
    if (!seen) {
      bySid.set(s.sid, { ...s, actions: unique(s.actions), resources: unique(s.resources) });
      continue;
    }
    const sameShape =
      (seen.effect ?? 'Allow') === (s.effect ?? 'Allow') &&
      JSON.stringify(seen.actions) === JSON.stringify(unique(s.actions)) &&
      JSON.stringify(seen.principals) === JSON.stringify(s.principals) &&
      JSON.stringify(seen.conditions) === JSON.stringify(s.conditions);
    if (!sameShape) throw new Error(`policy statement sid ${JSON.stringify(s.sid)} is used twice with different contents`);
    bySid.set(s.sid, { ...seen, resources: unique([...seen.resources, ...s.resources]) });
  }
  return [...bySid.values()];
}

/** The policy document JSON for `statements` (merged by sid). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: mergeStatements(statements).map(statementJson) });
}

function statementJson(s: PolicyStatement): Record<string, unknown> {
  return {
    Sid: s.sid,
    Effect: s.effect ?? 'Allow',
    ...(s.principals ? { Principal: s.principals } : {}),
    Action: s.actions.length === 1 ? s.actions[0] : s.actions,
    // Trust policies name no resource.
    ...(s.resources.length === 0 ? {} : { Resource: s.resources.length === 1 ? s.resources[0] : s.resources }),
    ...(s.conditions ? { Condition: s.conditions } : {}),
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
