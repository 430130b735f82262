// Text output of a policy report: failures first (errors before warnings), then waivers, then the summary.
import { summaryLine, type Finding, type PolicyReport } from './engine.js';

const ORDER = { fail: 0, waived: 1, pass: 2 } as const;

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      ORDER[a.verdict] - ORDER[b.verdict] ||
      (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1) ||
      a.stack.localeCompare(b.stack) ||
      a.resource.localeCompare(b.resource) ||
      a.rule.localeCompare(b.rule),
  );
}

export function formatPolicyReport(report: PolicyReport, options: { includePassed?: boolean } = {}): string[] {
  const rows = sortFindings(report.findings).filter((f) => options.includePassed || f.verdict !== 'pass');
  const lines: string[] = [];
  if (rows.length > 0) {
    const cells = rows.map((f) => [
      f.rule,
      f.stack,
      f.resource,
      f.verdict === 'fail' ? `FAIL (${f.level})` : f.verdict === 'waived' ? 'waived' : 'pass',
      f.verdict === 'fail' ? `${f.detail}. ${f.remediation}` : f.verdict === 'waived' ? `waived: ${f.waiverReason}` : '',
    ]);
    const headers = ['rule', 'stack', 'resource', 'verdict', 'remediation'];
    const widths = headers.map((h, i) => Math.max(h.length, ...cells.slice(0, 500).map((c) => c[i].length)));
    const fmt = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]))).join('  ');
    lines.push(fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt));
  }
  for (const w of report.waivers) {
    lines.push(`waiver ${w.environment}: ${w.rule} on ${w.resource}${w.matched ? '' : ' (matched nothing: stale)'}: ${w.reason}`);
  }
  lines.push(...report.problems);
  lines.push(summaryLine(report));
  return lines;
}
