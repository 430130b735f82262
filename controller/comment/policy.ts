// Output of the gitops/policy/<env> check run: new failures first, then existing ones, waived findings,
// the base's waivers and configuration problems. Every section is a table built through the templates
// (so names and values from the pull request are escaped), and the whole stays within GitHub's 65,535
// characters: rows are kept in reading order until the budget ends, then a note says how many are left.
import type { GateWaiver, PolicyGateResult } from '../rules/policy-gate.js';
import type { Finding } from '../../modules/policy/engine.js';
import { clip, repositoryWebUrl, sizeOf } from './escape.js';
import { CHECK_RUN_LIMIT } from './limits.js';
import type { CheckRunOutput } from './render.js';
import { code, join, mdText, policyLine, Safe, shaRef } from './templates.js';

const CELL_MAX = 300;
const SEPARATOR = '\n\n';

export interface PolicyOutputOptions {
  /** The repository's web or clone URL; SHAs link to their commits when given. @default no links */
  readonly repoUrl?: string;
  /** @default CHECK_RUN_LIMIT (tests pass less to exercise the cut) */
  readonly maxLength?: number;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
/** Our own rule texts: plain Markdown. */
const cell = (text: string | undefined): Safe => mdText`${clip(text ?? '', CELL_MAX)}`;
/** Text holding values of the pull request or the environment file: in <code>, where no mention or link is made. */
const quoted = (text: string | undefined): Safe => (text ? code(clip(text, CELL_MAX)) : mdText``);

/** One line, for the check run list: what happened and what the level makes of it. */
export function policyCheckTitle(r: PolicyGateResult): string {
  const s = r.summary;
  if (r.problems.length > 0) return `${r.environment}: ${plural(r.problems.length, 'problem')} in the policy settings of ${r.baseRef}`;
  if (s.failed === 0) {
    const waived = s.waived > 0 ? `, ${s.waived.toLocaleString('en-US')} waived` : '';
    return `${r.environment}: ${plural(s.checks, 'check')} passed on ${plural(s.stacks, 'stack')}${waived}`;
  }
  const what = `${plural(r.newFailures.length, 'new policy violation')}, ${r.existingFailures.length.toLocaleString('en-US')} existing`;
  return r.level === 'error'
    ? `${r.environment}: ${what} (level error)`
    : `${r.environment}: ${what} (level warning: reported, not enforced)`;
}

function levelText(r: PolicyGateResult): Safe {
  const effect =
    r.level === 'error' ? mdText`a failing rule fails this check` : mdText`failing rules are listed, the check does not fail on them`;
  return mdText`level ${code(r.level)}: ${effect}. Level and waivers come from the environment files of ${code(r.baseRef)} (the base), never from the pull request.`;
}

function summaryBlocks(r: PolicyGateResult, repoUrl: string | undefined): Safe[] {
  const web = repositoryWebUrl(repoUrl);
  const stacks =
    r.stacks.length === 0
      ? mdText`No stack of ${code(r.environment)} is affected at the head: nothing to check.`
      : mdText`Checked: the affected stacks of ${code(r.environment)}: ${join(
          r.stacks.map((s) => code(s)),
          ', ',
        )}.`;
  const fresh =
    r.summary.failed === 0
      ? undefined
      : mdText`**${r.newFailures.length} new** (fail at the head, not at the base) · **${r.existingFailures.length} existing** (fail at the base too)`;
  return [
    mdText`### Policy gate for ${code(r.environment)}`,
    mdText`**head** ${shaRef(r.headSha, web)} · **base** ${shaRef(r.baseSha, web)} · ${levelText(r)}`,
    policyLine({ environment: r.environment, conclusion: r.conclusion, summary: r.summary, newFailures: r.newFailures.length }),
    stacks,
    ...(fresh ? [fresh] : []),
    ...r.notes.map((n) => mdText`> ℹ️ ${quoted(n)}`),
  ];
}

interface Section {
  readonly heading: Safe;
  readonly header: Safe;
  readonly rows: readonly Safe[];
}

const FINDING_HEADER = mdText`| Rule | Severity | Stack | Resource | Finding | Fix |
| :-- | :-- | :-- | :-- | :-- | :-- |`;

const findingRow = (f: Finding): Safe =>
  mdText`| ${code(f.rule)} | ${f.severity} | ${code(f.stack)} | ${code(clip(f.resource, CELL_MAX))} | ${cell(f.title)}: ${quoted(f.detail)} | ${cell(f.remediation)} |`;

const WAIVED_HEADER = mdText`| Rule | Stack | Resource | Waiver reason |
| :-- | :-- | :-- | :-- |`;

const waivedRow = (f: Finding): Safe =>
  mdText`| ${code(f.rule)} | ${code(f.stack)} | ${code(clip(f.resource, CELL_MAX))} | ${quoted(f.waiverReason)} |`;

const WAIVER_STATE: Readonly<Record<GateWaiver['state'], string>> = {
  applied: 'applied',
  stale: 'matched nothing (stale: remove it)',
  'not-checked': 'not checked (its stack is not affected)',
};

const WAIVER_HEADER = mdText`| Rule | Resource | State | Reason |
| :-- | :-- | :-- | :-- |`;

const waiverRow = (w: GateWaiver): Safe =>
  mdText`| ${code(w.rule)} | ${code(clip(w.resource, CELL_MAX))} | ${WAIVER_STATE[w.state]} | ${quoted(w.reason)} |`;

function sections(r: PolicyGateResult): Section[] {
  const all: Section[] = [
    { heading: mdText`#### New violations (${r.newFailures.length})`, header: FINDING_HEADER, rows: r.newFailures.map(findingRow) },
    {
      heading: mdText`#### Existing violations (${r.existingFailures.length}): they fail at the base too`,
      header: FINDING_HEADER,
      rows: r.existingFailures.map(findingRow),
    },
    { heading: mdText`#### Waived (${r.waived.length})`, header: WAIVED_HEADER, rows: r.waived.map(waivedRow) },
    {
      heading: mdText`#### Waivers of ${code(r.environment)} at ${code(r.baseRef)} (${r.waivers.length})`,
      header: WAIVER_HEADER,
      rows: r.waivers.map(waiverRow),
    },
    {
      heading: mdText`#### Problems in the policy settings (${r.problems.length})`,
      header: mdText``,
      rows: r.problems.map((p) => mdText`- ${quoted(p)}`),
    },
  ];
  return all.filter((s) => s.rows.length > 0);
}

const sectionText = (s: Section, rows: readonly Safe[]): string =>
  [s.heading.text, s.header.text === '' ? undefined : s.header.text, ...rows.map((row) => row.text)]
    .filter((l) => l !== undefined)
    .join('\n');

const cutNote = (left: number, environment: string): string =>
  mdText`> [!NOTE]
> ${plural(left, 'more row')} not shown (GitHub's limit). The full list: ${code(`npx gitops policy --env ${environment}`)} at the head.`
    .text;

/** The sections within `limit` bytes, rows in order; a note counts the rows left out. */
function textWithin(r: PolicyGateResult, limit: number): string {
  const all = sections(r);
  const full = all.map((s) => sectionText(s, s.rows)).join(SEPARATOR);
  if (sizeOf(full) <= limit) return full;
  const total = all.reduce((n, s) => n + s.rows.length, 0);
  const budget = limit - sizeOf(cutNote(total, r.environment)) - SEPARATOR.length;
  const parts: string[] = [];
  let used = 0;
  let shown = 0;
  for (const s of all) {
    const frame = sizeOf(sectionText(s, [])) + (parts.length > 0 ? SEPARATOR.length : 0);
    let size = frame;
    let kept = 0;
    while (kept < s.rows.length && used + size + sizeOf(s.rows[kept].text) + 1 <= budget) size += sizeOf(s.rows[kept++].text) + 1;
    if (kept === 0) break;
    parts.push(sectionText(s, s.rows.slice(0, kept)));
    used += size;
    shown += kept;
    if (kept < s.rows.length) break;
  }
  return [...parts, cutNote(total - shown, r.environment)].join(SEPARATOR);
}

/** Title, summary (level, counts, checked stacks) and text (the findings), each at most 65,535 characters. */
export function renderPolicyCheckOutput(r: PolicyGateResult, opts: PolicyOutputOptions = {}): CheckRunOutput {
  const limit = opts.maxLength ?? CHECK_RUN_LIMIT;
  const summary = summaryBlocks(r, opts.repoUrl)
    .map((b) => b.text)
    .join(SEPARATOR);
  const text = sections(r).length === 0 ? 'No failing rule and no waiver.' : textWithin(r, limit);
  return { title: clip(policyCheckTitle(r), 1000), summary: clip(summary, limit), text: clip(text, limit) };
}

/** Output when the policy could not be checked (no synth output, or the engine could not read it). */
export function renderPolicyUnavailable(u: {
  environment: string;
  headSha: string;
  reason: string;
  level: 'error' | 'warning';
}): CheckRunOutput {
  const consequence =
    u.level === 'error'
      ? 'The environment enforces the policy (level error), so this check fails until the head can be checked.'
      : 'The environment only reports findings (level warning), so this check does not fail.';
  return {
    title: clip(`${u.environment}: policy not checked: ${u.reason.split('\n')[0]}`, 1000),
    summary: mdText`The policy of ${code(u.environment)} was not checked at ${code(u.headSha.slice(0, 7))}: ${code(clip(u.reason, 2000))}.

${consequence}`.text,
    text: '',
  };
}
