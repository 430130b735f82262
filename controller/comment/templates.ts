// The text of the plan comment and the check run, one function per block. Interpolations go through the
// `mdText` tag (Markdown context) or the `htmlText` tag (inside raw HTML blocks: <pre> lines, <summary>), which
// escape every plain string for their context (see escape.ts); only `Safe` fragments built here pass as is.
// (Not named md/html on purpose: prettier would reformat tagged contents as embedded Markdown/HTML.)
import type { AttributeChange, ChangeAction, ResourceChange } from '../core/ports/plan-report.js';
import { escapeHtml, escapeText, formatValue, safeUrl, sizeOf } from './escape.js';

/** Finds the bot's one comment on a pull request; appears exactly once in every rendered comment. */
export const COMMENT_MARKER = '<!-- gitops:plan -->';

/** Text already escaped or built by a template. */
export class Safe {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Interpolation = Safe | string | number | undefined | readonly Safe[];

const renderWith =
  (escape: (text: string) => string) =>
  (v: Interpolation): string => {
    if (v === undefined) return '';
    if (v instanceof Safe) return v.text;
    if (typeof v === 'number') return v.toLocaleString('en-US');
    if (typeof v === 'string') return escape(v);
    return v.map((s) => s.text).join('');
  };

const tag = (escape: (text: string) => string) => {
  const render = renderWith(escape);
  return (strings: TemplateStringsArray, ...values: Interpolation[]): Safe => {
    let out = strings[0];
    for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
    return new Safe(out);
  };
};

/** Tagged template for Markdown: plain strings escaped with escapeText, numbers formatted (1,234), Safe fragments kept. */
export const mdText = tag(escapeText);

/** Tagged template for text inside raw HTML blocks (<pre>, <summary>): plain strings escaped with escapeHtml. */
export const htmlText = tag(escapeHtml);

/** Joins fragments with a separator (blocks with a blank line, lines with a newline). */
export const join = (parts: readonly Safe[], separator = '\n'): Safe => new Safe(parts.map((p) => p.text).join(separator));

/** Inline code in Markdown (table cells, paragraphs). */
export const code = (text: string): Safe => mdText`<code>${text}</code>`;

/** Inline code inside a raw HTML block. */
export const htmlCode = (text: string): Safe => htmlText`<code>${text}</code>`;

const SYMBOL: Readonly<Record<ChangeAction, string>> = { create: '+', update: '~', replace: '-/+', delete: '-', read: '<=', 'no-op': ' ' };

export interface Counts {
  readonly add: number;
  readonly change: number;
  /** undefined: a synth diff cannot tell a replacement from an update. */
  readonly replace?: number;
  readonly destroy: number;
}

const countsText = (c: Counts): Safe =>
  c.replace === undefined
    ? htmlText`${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`
    : htmlText`${c.add} to add, ${c.change} to change, ${c.replace} to replace, ${c.destroy} to destroy`;

// ── comment header ────────────────────────────────────────────────────────────

export function shaRef(sha: string, repoWebUrl: string | undefined): Safe {
  const short = code(sha.slice(0, 7));
  const base = safeUrl(repoWebUrl)?.replace(/\/$/, '');
  return base && /^[0-9a-f]{40}$/.test(sha) ? mdText`[${short}](${new Safe(base)}/commit/${new Safe(sha)})` : short;
}

export function headerBlock(h: { environment: string; headSha: string; baseSha: string; repoWebUrl?: string; finishedAt: string }): Safe {
  const when = h.finishedAt.replace(/^(\d{4}-\d\d-\d\d)T(\d\d:\d\d).*$/, '$1 $2 UTC');
  return mdText`### Terraform plan for ${code(h.environment)}

**head** ${shaRef(h.headSha, h.repoWebUrl)} · **base** ${shaRef(h.baseSha, h.repoWebUrl)} · planned ${when}`;
}

export function staleBanner(s: { headMoved?: string; baseMoved?: string }, repoWebUrl?: string): Safe {
  const moves = [
    s.headMoved === undefined ? undefined : mdText`the head moved to ${shaRef(s.headMoved, repoWebUrl)}`,
    s.baseMoved === undefined ? undefined : mdText`the base moved to ${shaRef(s.baseMoved, repoWebUrl)}`,
  ].filter((m): m is Safe => m !== undefined);
  return mdText`> [!WARNING]
> ⚠️ **This plan is out of date:** ${join(moves, ' and ')}. It does not show what a merge would apply now; a new plan replaces it.`;
}

export function warningsBlock(warnings: readonly string[]): Safe {
  return join(
    warnings.map((w) => mdText`> ℹ️ ${code(w)}`),
    '\n>\n',
  );
}

// ── summary table ─────────────────────────────────────────────────────────────

export interface TableRow {
  readonly name: string;
  readonly source: 'terraform' | 'synth';
  readonly counts: Counts;
  readonly reason?: string;
}

export const tableHeader = (): Safe => mdText`| Stack | Add | Change | Replace | Destroy | Source |
| :-- | --: | --: | --: | --: | :-- |`;

export function tableRow(r: TableRow): Safe {
  const replace = r.counts.replace === undefined ? mdText`—` : mdText`${r.counts.replace}`;
  const source =
    r.source === 'terraform'
      ? mdText`terraform plan`
      : r.reason
        ? mdText`synth diff · plan unavailable: ${code(r.reason)}`
        : mdText`synth diff`;
  return mdText`| ${code(r.name)} | ${r.counts.add} | ${r.counts.change} | ${replace} | ${r.counts.destroy} | ${source} |`;
}

export const tableOmittedRow = (omitted: number): Safe => mdText`| … ${omitted} more stacks (see the check run) | | | | | |`;

export function totalsLine(t: Counts & { stacks: number }): Safe {
  if (t.stacks === 0) return mdText`**No stack is affected** by this pull request.`;
  if (t.add + t.change + (t.replace ?? 0) + t.destroy === 0)
    return mdText`**No changes.** The head matches what is deployed in ${t.stacks} stack${t.stacks === 1 ? '' : 's'}.`;
  return mdText`**Plan:** ${countsText(t)} in ${t.stacks} stack${t.stacks === 1 ? '' : 's'}.`;
}

// ── order ─────────────────────────────────────────────────────────────────────

/** Stacks the order line names at most; a larger plan's line ends with the count of the rest. */
export const ORDER_MAX_STACKS = 50;
/** The order line's size at most (UTF-8 bytes): fewer stacks are named when their names are long. */
export const ORDER_MAX_BYTES = 4000;

function orderLineOf(waves: readonly (readonly string[])[], maxStacks: number): Safe {
  const shown: Safe[] = [];
  let left = maxStacks;
  for (const wave of waves) {
    if (left <= 0) break;
    shown.push(
      join(
        wave.slice(0, left).map((stack) => code(stack)),
        ', ',
      ),
    );
    left -= wave.length;
  }
  const hidden = -Math.min(0, left) + waves.slice(shown.length).reduce((n, w) => n + w.length, 0);
  const plural = hidden === 1 ? 'stack' : 'stacks';
  // the rest starts inside the last wave shown when that wave was cut, else after it
  const separator = left < 0 ? ', ' : ' → ';
  const more =
    hidden === 0 ? mdText`` : shown.length === 0 ? mdText`… ${hidden} ${plural}` : mdText`${separator}… ${hidden} more ${plural}`;
  return mdText`**Order:** ${join(shown, ' → ')}${more}`;
}

/**
 * `**Order:** <code>a</code>, <code>b</code> → <code>release-dev</code>`: the affected stacks in waves, each after the
 * stacks it depends on; a comma joins stacks that do not depend on each other. At most ORDER_MAX_STACKS names and
 * ORDER_MAX_BYTES; the stacks left out are counted.
 */
export function orderLine(waves: readonly (readonly string[])[]): Safe {
  for (let n = Math.min(ORDER_MAX_STACKS, waves.flat().length); ; n = Math.floor(n / 2)) {
    const line = orderLineOf(waves, n);
    if (n === 0 || sizeOf(line.text) <= ORDER_MAX_BYTES) return line;
  }
}

// ── policy ────────────────────────────────────────────────────────────────────

/** The policy gate's result as the comment shows it: one line, the full findings are in the check run. */
export interface PolicyLine {
  readonly environment: string;
  readonly conclusion: 'success' | 'neutral' | 'failure';
  /** The engine's counts over the checked stacks; absent when the policy was not checked. */
  readonly summary?: {
    readonly stacks: number;
    readonly checks: number;
    readonly passed: number;
    readonly failed: number;
    readonly errors: number;
    readonly warnings: number;
    readonly waived: number;
  };
  /** Failures that do not fail at the base. @default 0 */
  readonly newFailures?: number;
  /** Why the policy was not checked (one line). */
  readonly unavailable?: string;
}

const POLICY_ICON: Readonly<Record<PolicyLine['conclusion'], string>> = { success: '✅', neutral: '⚠️', failure: '❌' };

/** `❌ policy: 3 stacks, 412 checks: …` — the counts read exactly like `gitops policy` and `npm run synth` print them. */
export function policyLine(p: PolicyLine, checkRunUrl?: string): Safe {
  const url = safeUrl(checkRunUrl);
  const name = code(`gitops/policy/${p.environment}`);
  const check = url ? mdText`[${name}](${new Safe(url)})` : name;
  const icon = POLICY_ICON[p.conclusion];
  const s = p.summary;
  if (p.unavailable !== undefined || !s) return mdText`${icon} policy not checked: ${code(p.unavailable ?? 'no result')} · ${check}`;
  // numbers as plain digits (not 1,234) so the line matches the CLI's byte for byte
  const n = (v: number) => String(v);
  const fresh = p.newFailures ? mdText` · **${n(p.newFailures)} new**` : mdText``;
  return mdText`${icon} policy: ${n(s.stacks)} stacks, ${n(s.checks)} checks: ${n(s.passed)} passed, ${n(s.failed)} failed (${n(s.errors)} errors, ${n(s.warnings)} warnings), ${n(s.waived)} waived${fresh} · ${check}`;
}

// ── per-stack details ─────────────────────────────────────────────────────────

export function stackHeadline(r: TableRow): Safe {
  const label = r.source === 'terraform' ? 'terraform plan' : 'synth diff (plan unavailable)';
  return htmlText`${htmlCode(r.name)} — ${label}: ${countsText(r.counts)}`;
}

/** One `<details>` block; `lines` are the <pre> lines (already escaped), `hidden` the changes left out. */
export function detailsBlock(headline: Safe, lines: readonly Safe[], hidden: number, reason?: string): Safe {
  const why = reason
    ? mdText`Plan unavailable: ${code(reason)}. This is the difference of the synthesized configuration, not a plan against state.\n\n`
    : mdText``;
  const more = hidden > 0 ? htmlText`\n… ${hidden} more lines not shown here: see the check run` : htmlText``;
  return mdText`<details><summary>${headline}</summary>

${why}<pre>
${join(lines)}${more}
</pre>

</details>`;
}

// The two line templates below run once per resource and attribute (20,000 times for a large plan), so
// they call escapeHtml directly instead of going through the generic tag.
export const resourceLine = (c: Pick<ResourceChange, 'action' | 'address'>): Safe =>
  new Safe(`${escapeHtml(SYMBOL[c.action])} ${c.action.padEnd(7)} ${escapeHtml(c.address)}`);

export function attributeLine(a: AttributeChange): Safe {
  const show = (v: unknown) => (a.sensitive ? '(sensitive)' : formatValue(v));
  const after = a.unknownAfter ? '(known after apply)' : a.after === undefined ? '(removed)' : show(a.after);
  const path = escapeHtml(a.path);
  return new Safe(
    a.before === undefined ? `      ${path}: ${escapeHtml(after)}` : `      ${path}: ${escapeHtml(show(a.before))} → ${escapeHtml(after)}`,
  );
}

export const sectionLine = (title: string): Safe => htmlText`${title}:`;

export const outputLine = (o: { name: string; action: ChangeAction }): Safe => htmlText`${SYMBOL[o.action]} output ${o.name}`;

// ── truncation ────────────────────────────────────────────────────────────────

export function truncatedNotice(n: {
  environment: string;
  checkRunUrl?: string;
  artifactUrl?: string;
  shortened: number;
  omitted: number;
}): Safe {
  const checkRunUrl = safeUrl(n.checkRunUrl);
  const artifactUrl = safeUrl(n.artifactUrl);
  const name = code(`gitops/plan/${n.environment}`);
  const checkRun = checkRunUrl ? mdText`[${name} check run](${new Safe(checkRunUrl)})` : mdText`${name} check run`;
  const artifact = artifactUrl ? mdText` and the [plan artifact](${new Safe(artifactUrl)})` : mdText`and the plan artifact`;
  const stacks = (count: number) => mdText`${count} stack${count === 1 ? '' : 's'}`;
  const what = [
    n.shortened > 0 ? mdText`the details of ${stacks(n.shortened)} are shortened` : undefined,
    n.omitted > 0 ? mdText`the details of ${stacks(n.omitted)} are left out` : undefined,
  ];
  return mdText`> [!NOTE]
> The full plan does not fit in one comment: ${join(
    what.filter((p): p is Safe => p !== undefined),
    ' and ',
  )}. Full plan in the ${checkRun}${artifact}.`;
}

// ── failure ───────────────────────────────────────────────────────────────────

export function failureBlock(f: { stage: string; reason: string; logTail?: string }): Safe {
  const log = f.logTail
    ? htmlText`\n\n<details><summary>Last lines of the log</summary>\n\n<pre>\n${join(f.logTail.split('\n').map((l) => htmlText`${l}`))}\n</pre>\n\n</details>`
    : htmlText``;
  return mdText`> [!CAUTION]
> ❌ **No plan:** the ${f.stage} failed: ${code(f.reason)}${log}`;
}

// ── check run ─────────────────────────────────────────────────────────────────

export function checkRunTitle(environment: string, totals: Counts & { stacks: number }): string {
  if (totals.stacks === 0) return `${environment}: no stack affected`;
  if (totals.add + totals.change + (totals.replace ?? 0) + totals.destroy === 0) return `${environment}: no changes`;
  const n = (v: number) => v.toLocaleString('en-US');
  return `${environment}: ${n(totals.add)} to add, ${n(totals.change)} to change, ${n(totals.replace ?? 0)} to replace, ${n(totals.destroy)} to destroy`;
}

export const textTruncatedNote = (hiddenChars: number): Safe =>
  mdText`\n\n> [!NOTE]\n> Output truncated: ${hiddenChars} more characters. The complete plan is in the plan artifact.`;
