// The policy gate of a pull request, pure: the controller's own rules (never the pull request's) run on
// the head's synthesized JSON of the affected stacks, with the environment's level and waivers read at
// the BASE (a pull request cannot waive its own findings). A failure is "new" when the same rule does not
// fail on the same resource at the base.
import {
  evaluatePolicy,
  policyFails,
  type Finding,
  type PolicySettings,
  type PolicySummary,
  type SynthesizedStack,
  type Waiver,
} from '../../modules/policy/engine.js';
import type { Severity } from '../../modules/policy/types.js';
import type { StackReport, SynthesizedSides } from '../core/ports/plan-report.js';

export type PolicyConclusion = 'success' | 'neutral' | 'failure';

/** What became of one waiver of the environment file at the base. */
export type WaiverState = 'applied' | 'stale' | 'not-checked';

export interface GateWaiver extends Waiver {
  /** applied: it exempted a failure; stale: its stack was checked and nothing matched; not-checked: its stack is not affected. */
  readonly state: WaiverState;
}

export interface PolicyGateInput {
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** The base branch, named in the output as where the level and waivers come from. */
  readonly baseRef: string;
  /** `policy` of the environment file at the base. */
  readonly settings: PolicySettings;
  /** The plan's affected stacks; removed ones (absent at the head) are not checked. */
  readonly stacks: readonly Pick<StackReport, 'name' | 'status'>[];
  readonly synthesized: SynthesizedSides;
}

export interface PolicyGateResult {
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  readonly baseRef: string;
  readonly level: 'error' | 'warning';
  readonly conclusion: PolicyConclusion;
  /** Counts over the checked stacks at the head (the engine's summary: `policy: N stacks, …`). */
  readonly summary: PolicySummary;
  /** Names of the checked stacks. */
  readonly stacks: readonly string[];
  /** Failures at the head that do not fail at the base, most severe first. */
  readonly newFailures: readonly Finding[];
  /** Failures at the head that fail at the base too. */
  readonly existingFailures: readonly Finding[];
  /** Failures a waiver of the base exempts. */
  readonly waived: readonly Finding[];
  readonly waivers: readonly GateWaiver[];
  /** Configuration problems (a waiver naming an unknown rule): they fail the check. */
  readonly problems: readonly string[];
  /** Things a reader should know about how the result was reached. */
  readonly notes: readonly string[];
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

const findingKey = (f: Pick<Finding, 'rule' | 'stack' | 'resource'>): string => `${f.rule}|${f.stack}|${f.resource}`;

/** Most severe first, then by stack, resource and rule: the order reviewers read. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.stack.localeCompare(b.stack) ||
      a.resource.localeCompare(b.resource) ||
      a.rule.localeCompare(b.rule),
  );
}

/** The stack a waiver names: `<stack>.<type>.<name>` (a stack name may itself hold dots). */
export function waiverStack(resource: string): string {
  return /^(.+)\.[^.]+\.[^.]+$/.exec(resource)?.[1] ?? resource;
}

function stacksOf(names: readonly string[], json: SynthesizedSides['head'] | undefined, environment: string): SynthesizedStack[] {
  return names.filter((n) => json?.[n] !== undefined).map((name) => ({ name, environment, json: json?.[name] }));
}

/** Evaluates the gate; throws only when the engine does (a synthesized document it cannot read). */
export function evaluatePolicyGate(input: PolicyGateInput): PolicyGateResult {
  const { environment, settings, synthesized } = input;
  const names = input.stacks.filter((s) => s.status !== 'removed' && synthesized.head[s.name] !== undefined).map((s) => s.name);
  const head = evaluatePolicy(stacksOf(names, synthesized.head, environment), { [environment]: settings });
  // The base is judged without waivers: a waived failure at the base is still a failure there, so not new.
  const base = synthesized.base
    ? evaluatePolicy(stacksOf(names, synthesized.base, environment), { [environment]: { level: settings.level, waivers: [] } })
    : undefined;
  const failingAtBase = new Set(base?.findings.filter((f) => f.verdict === 'fail').map(findingKey) ?? []);

  const failures = orderFindings(head.findings.filter((f) => f.verdict === 'fail'));
  const checked = new Set(names);
  const waivers = head.waivers.map((w): GateWaiver => ({
    rule: w.rule,
    resource: w.resource,
    reason: w.reason,
    state: w.matched ? 'applied' : checked.has(waiverStack(w.resource)) ? 'stale' : 'not-checked',
  }));
  const notes: string[] = [];
  if (!synthesized.base) notes.push(`the base ${input.baseSha.slice(0, 7)} did not synthesize ${environment}: every failure counts as new`);
  const removed = input.stacks.filter((s) => s.status === 'removed').map((s) => s.name);
  if (removed.length > 0) notes.push(`removed at the head, so not checked: ${removed.join(', ')}`);

  return {
    environment,
    headSha: input.headSha,
    baseSha: input.baseSha,
    baseRef: input.baseRef,
    level: settings.level,
    conclusion: policyFails(head) ? 'failure' : head.summary.failed > 0 ? 'neutral' : 'success',
    summary: head.summary,
    stacks: names,
    newFailures: failures.filter((f) => !failingAtBase.has(findingKey(f))),
    existingFailures: failures.filter((f) => failingAtBase.has(findingKey(f))),
    waived: orderFindings(head.findings.filter((f) => f.verdict === 'waived')),
    waivers,
    problems: head.problems,
    notes,
  };
}
