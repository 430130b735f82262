// Evaluates the rules on synthesized stacks, applies the environment's enforcement level and waivers.
import { policyRules } from './rules/index.js';
import { stackView } from './stack-view.js';
import type { PolicyRule, Severity } from './types.js';

export interface SynthesizedStack {
  readonly name: string;
  readonly environment: string;
  /** The stack's cdk.tf.json, parsed. */
  readonly json: unknown;
}

export interface Waiver {
  readonly rule: string;
  /** `<stack>.<type>.<name>` */
  readonly resource: string;
  readonly reason: string;
}

export interface PolicySettings {
  readonly level: 'error' | 'warning';
  readonly waivers: readonly Waiver[];
}

export type Verdict = 'pass' | 'fail' | 'waived';

export interface Finding {
  readonly rule: string;
  readonly title: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly environment: string;
  /** `type.name` inside the stack. */
  readonly resource: string;
  readonly verdict: Verdict;
  /** What a failure does in this environment. */
  readonly level: 'error' | 'warning';
  readonly detail?: string;
  readonly remediation: string;
  readonly waiverReason?: string;
}

export interface WaiverUse extends Waiver {
  readonly environment: string;
  /** False when no resource matched: the waiver is stale. */
  readonly matched: boolean;
}

export interface PolicySummary {
  stacks: number;
  checks: number;
  passed: number;
  failed: number;
  errors: number;
  warnings: number;
  waived: number;
}

export interface PolicyReport {
  readonly findings: readonly Finding[];
  readonly summary: PolicySummary;
  readonly waivers: readonly WaiverUse[];
  /** Configuration problems (e.g. a waiver naming an unknown rule). */
  readonly problems: readonly string[];
}

export function evaluatePolicy(
  stacks: readonly SynthesizedStack[],
  settings: Readonly<Record<string, PolicySettings>>,
  rules: readonly PolicyRule[] = policyRules,
): PolicyReport {
  const ids = new Set(rules.map((r) => r.id));
  const problems: string[] = [];
  const used = new Set<string>();
  for (const [env, s] of Object.entries(settings)) {
    s.waivers.forEach((w, i) => {
      if (!ids.has(w.rule)) problems.push(`${env}: policy.waivers.${i}.rule: unknown rule "${w.rule}" (see gitops policy --rules)`);
    });
  }
  const findings: Finding[] = [];
  for (const stack of stacks) {
    const s = settings[stack.environment] ?? { level: 'error', waivers: [] };
    const view = stackView(stack.name, stack.json);
    for (const resource of view.resources) {
      for (const r of rules) {
        if (!r.resourceTypes.includes(resource.type) && !r.resourceTypes.includes('*')) continue;
        if (r.appliesTo && !r.appliesTo(resource)) continue;
        const detail = r.check(resource, view);
        const key = `${stack.name}.${resource.address}`;
        const waiver = detail === undefined ? undefined : s.waivers.find((w) => w.rule === r.id && w.resource === key);
        if (waiver) used.add(`${stack.environment}|${waiver.rule}|${waiver.resource}`);
        findings.push({
          rule: r.id,
          title: r.title,
          severity: r.severity,
          stack: stack.name,
          environment: stack.environment,
          resource: resource.address,
          verdict: detail === undefined ? 'pass' : waiver ? 'waived' : 'fail',
          level: s.level,
          detail,
          remediation: r.remediation,
          waiverReason: waiver?.reason,
        });
      }
    }
  }
  const waivers = Object.entries(settings).flatMap(([environment, s]) =>
    s.waivers.map((w) => ({ ...w, environment, matched: used.has(`${environment}|${w.rule}|${w.resource}`) })),
  );
  return { findings, waivers, problems, summary: summarize(findings, stacks.length) };
}

function summarize(findings: readonly Finding[], stacks: number): PolicySummary {
  const failed = findings.filter((f) => f.verdict === 'fail');
  return {
    stacks,
    checks: findings.length,
    passed: findings.filter((f) => f.verdict === 'pass').length,
    failed: failed.length,
    errors: failed.filter((f) => f.level === 'error').length,
    warnings: failed.filter((f) => f.level === 'warning').length,
    waived: findings.filter((f) => f.verdict === 'waived').length,
  };
}

/** True when the report must stop a synth or fail a check. */
export function policyFails(report: PolicyReport): boolean {
  return report.summary.errors > 0 || report.problems.length > 0;
}

export function summaryLine(report: PolicyReport): string {
  const s = report.summary;
  return `policy: ${s.stacks} stacks, ${s.checks} checks: ${s.passed} passed, ${s.failed} failed (${s.errors} errors, ${s.warnings} warnings), ${s.waived} waived`;
}
