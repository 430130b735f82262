// Small readers shared by the rules: they take synthesized Terraform JSON as it is.
import { asList, get, isTrue } from '../stack-view.js';
import type { CheckOutcome, PolicyRule, ResourceView } from '../types.js';

export { asList, get, isTrue };

export function rule(r: PolicyRule): PolicyRule {
  return r;
}

/** Fails with `message` unless `ok`. */
export function expectThat(ok: boolean, message: string): CheckOutcome {
  return ok ? undefined : message;
}

export function show(v: unknown): string {
  return v === undefined ? 'unset' : JSON.stringify(v);
}

/** Parses a JSON string attribute (policies, container definitions); undefined when it is an expression. */
export function parseJsonAttribute(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

export interface PolicyStatementLike {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export function statementsOf(policy: unknown): PolicyStatementLike[] {
  const doc = parseJsonAttribute(policy) as { Statement?: PolicyStatementLike | PolicyStatementLike[] } | undefined;
  return asList(doc?.Statement) as PolicyStatementLike[];
}

/** The resource `r` counted as one of `types` by its `load_balancer_type` etc. */
export function lbType(r: ResourceView): string {
  return String(r.config.load_balancer_type ?? 'application');
}
