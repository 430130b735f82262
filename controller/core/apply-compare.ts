// Whether the re-plan of a merged commit is the plan that was reviewed on its pull request. Each plan
// becomes a change set: per stack that changes, one line per resource action, attribute change and
// output change. Stacks whose terraform plan changes nothing are left out (the merged commit may
// touch a stack's configuration without changing it). The `release-<env>` stack records the commit
// being deployed, which is the pull request's head in the reviewed plan and the merge commit in the
// re-plan: its `commit_sha` values are ignored, everything else about it must match.
import type { PlanReport, StackReport } from './ports/plan-report.js';

/** One stack whose change sets differ: lines only the reviewed plan has, and lines only the re-plan has. */
export interface StackDifference {
  readonly stack: string;
  readonly onlyReviewed: readonly string[];
  readonly onlyNow: readonly string[];
}

export interface PlanComparison {
  readonly equal: boolean;
  /** Per differing stack, in name order. */
  readonly differences: readonly StackDifference[];
}

const value = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));

/** The commit the release stack records: differs between the reviewed head and the merge commit by design. */
const isCommitValue = (path: string): boolean => /(^|\.)commit_sha$/.test(path);

/** The lines of one stack's change set; empty when the stack changes nothing. */
export function stackChangeLines(stack: StackReport, environment: string): string[] {
  const releaseStack = stack.name === `release-${environment}`;
  if (stack.source === 'terraform') {
    const summary = stack.summary;
    if (!summary?.hasChanges) return [];
    const lines: string[] = [];
    for (const r of summary.resources) {
      lines.push(`${r.action} ${r.address}`);
      for (const a of r.attributes) {
        if (releaseStack && isCommitValue(a.path)) continue;
        lines.push(`${r.action} ${r.address} ${a.path}: ${value(a.before)} → ${a.unknownAfter ? '(known after apply)' : value(a.after)}`);
      }
    }
    for (const o of summary.outputs) if (o.action !== 'no-op') lines.push(`${o.action} output ${o.name}`);
    return lines;
  }
  // no terraform plan (its reason says why): the configuration diff is all either side has
  const diff = stack.synthDiff;
  const lines = [`${stack.status} (configuration only: ${stack.unavailableReason ?? 'no terraform plan'})`];
  for (const r of diff?.resources ?? []) lines.push(`${r.action} ${r.address}`);
  for (const s of diff?.settings ?? []) if (!(releaseStack && isCommitValue(s.path))) lines.push(`setting ${s.path}`);
  for (const o of diff?.outputs ?? []) lines.push(`${o.action} output ${o.name}`);
  return lines;
}

/** Stack name → change lines, for the stacks that change something. */
export function changeSet(report: PlanReport): Map<string, string[]> {
  const set = new Map<string, string[]>();
  for (const stack of report.stacks) {
    const lines = stackChangeLines(stack, report.environment);
    if (lines.length > 0) set.set(stack.name, lines.sort());
  }
  return set;
}

/** Compares the reviewed plan with the re-plan of the merged commit. */
export function comparePlans(reviewed: PlanReport, now: PlanReport): PlanComparison {
  const before = changeSet(reviewed);
  const after = changeSet(now);
  const differences: StackDifference[] = [];
  for (const stack of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(stack) ?? [];
    const b = after.get(stack) ?? [];
    const onlyReviewed = a.filter((l) => !b.includes(l));
    const onlyNow = b.filter((l) => !a.includes(l));
    if (onlyReviewed.length > 0 || onlyNow.length > 0) differences.push({ stack, onlyReviewed, onlyNow });
  }
  return { equal: differences.length === 0, differences };
}
