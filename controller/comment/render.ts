// Renders a PlanReport as the pull request's sticky comment and as check run output, always within
// GitHub's limits: when the full text does not fit, the header and the table stay and the per-stack
// details are shortened fairly (small stacks whole, large ones cut) with a pointer to the full plan.
import type { PlanReport, StackReport } from '../core/ports/plan-report.js';
import { clip, repositoryWebUrl, sizeOf } from './escape.js';
import { CHECK_RUN_LIMIT, COMMENT_LIMIT } from './limits.js';
import {
  attributeLine,
  checkRunTitle,
  COMMENT_MARKER,
  detailsBlock,
  failureBlock,
  headerBlock,
  join,
  orderLine,
  outputLine,
  policyLine,
  resourceLine,
  Safe,
  sectionLine,
  stackHeadline,
  staleBanner,
  tableHeader,
  tableOmittedRow,
  tableRow,
  textTruncatedNote,
  totalsLine,
  truncatedNotice,
  warningsBlock,
  type Counts,
  type PolicyLine,
  type TableRow,
} from './templates.js';

export interface CommentOptions {
  /** The repository's web or clone URL; SHAs link to their commits when given. @default no links */
  readonly repoUrl?: string;
  /** Set when the pull request moved after this plan: the new head and/or base SHA. @default not stale */
  readonly stale?: { readonly headMoved?: string; readonly baseMoved?: string };
  /** Link of the gitops/plan/<env> check run, used when the comment is shortened. @default named, not linked */
  readonly checkRunUrl?: string;
  /** Link of the full plan artifact, used when the comment is shortened. @default named, not linked */
  readonly artifactUrl?: string;
  /** The policy gate's line, under the plan totals. @default no policy line */
  readonly policy?: PolicyLine;
  /** Link of the gitops/policy/<env> check run, on the policy line. @default named, not linked */
  readonly policyCheckRunUrl?: string;
  /** @default COMMENT_LIMIT */
  readonly maxLength?: number;
}

export interface CheckRunOutput {
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

interface StackView {
  readonly row: TableRow;
  readonly headline: Safe;
  readonly lines: readonly Safe[];
  /** UTF-8 size of each line. */
  readonly lineSizes: readonly number[];
  readonly reason?: string;
  /** Size of the whole <details> block (0 when the stack has no lines). */
  readonly fullSize: number;
}

const WARNING_MAX = 500;
const BLOCK_SEPARATOR = '\n\n';

function countsOf(stack: StackReport): Counts {
  if (stack.source === 'terraform' && stack.summary) {
    const { add, change, replace, destroy } = stack.summary.counts;
    return { add, change, replace, destroy };
  }
  const resources = stack.synthDiff?.resources ?? [];
  const count = (action: string) => resources.filter((r) => r.action === action).length;
  return { add: count('create'), change: count('update'), destroy: count('delete') };
}

function detailLines(stack: StackReport): Safe[] {
  const resources = stack.source === 'terraform' ? (stack.summary?.resources ?? []) : (stack.synthDiff?.resources ?? []);
  const outputs = stack.source === 'terraform' ? (stack.summary?.outputs ?? []) : (stack.synthDiff?.outputs ?? []);
  const settings = stack.source === 'synth' ? (stack.synthDiff?.settings ?? []) : [];
  const lines: Safe[] = [];
  for (const r of resources) {
    lines.push(resourceLine(r));
    // a destroyed resource's attributes all go away: its address says enough
    if (r.action !== 'delete') for (const a of r.attributes) lines.push(attributeLine(a));
  }
  const changedOutputs = outputs.filter((o) => o.action !== 'no-op');
  if (changedOutputs.length > 0) lines.push(sectionLine('Outputs'), ...changedOutputs.map(outputLine));
  if (settings.length > 0) lines.push(sectionLine('Settings'), ...settings.map(attributeLine));
  return lines;
}

function viewOf(stack: StackReport): StackView {
  const row: TableRow = { name: stack.name, source: stack.source, counts: countsOf(stack), reason: stack.unavailableReason };
  const headline = stackHeadline(row);
  const lines = detailLines(stack);
  const lineSizes = lines.map((l) => sizeOf(l.text));
  // the frame holds "<pre>\n" + "\n</pre>"; n lines add their sizes and n - 1 newlines
  const fullSize =
    lines.length === 0
      ? 0
      : sizeOf(detailsBlock(headline, [], 0, stack.unavailableReason).text) + lineSizes.reduce((a, b) => a + b, 0) + lines.length - 1;
  return { row, headline, lines, lineSizes, reason: stack.unavailableReason, fullSize };
}

function totalsOf(views: readonly StackView[]): Counts & { stacks: number } {
  const sum = (f: (c: Counts) => number) => views.reduce((n, v) => n + f(v.row.counts), 0);
  const planned = views.filter((v) => v.row.counts.replace !== undefined);
  return {
    add: sum((c) => c.add),
    change: sum((c) => c.change),
    replace: planned.length > 0 ? sum((c) => c.replace ?? 0) : undefined,
    destroy: sum((c) => c.destroy),
    stacks: views.length,
  };
}

/** The table with as many rows as fit in `budget` (all of them when they do), the rest counted in a last row. */
function tableWithin(views: readonly StackView[], budget: number): Safe {
  const rows = views.map((v) => tableRow(v.row));
  const all = join([tableHeader(), ...rows]);
  if (sizeOf(all.text) <= budget) return all;
  let used = sizeOf(tableHeader().text) + sizeOf(tableOmittedRow(views.length).text) + 2;
  let kept = 0;
  while (kept < rows.length && used + sizeOf(rows[kept].text) + 1 <= budget) used += sizeOf(rows[kept++].text) + 1;
  return join([tableHeader(), ...rows.slice(0, kept), tableOmittedRow(views.length - kept)]);
}

interface DetailsResult {
  readonly blocks: readonly Safe[];
  readonly shortened: number;
  readonly omitted: number;
}

/** One stack's details in at most `budget` bytes: whole, cut after some lines, or undefined when not even the frame fits. */
function detailsWithin(view: StackView, budget: number): { block: Safe; cut: boolean } | undefined {
  if (view.fullSize <= budget) return { block: detailsBlock(view.headline, view.lines, 0, view.reason), cut: false };
  let used = sizeOf(detailsBlock(view.headline, [], view.lines.length, view.reason).text);
  let kept = 0;
  while (kept < view.lines.length && used + view.lineSizes[kept] + 1 <= budget) used += view.lineSizes[kept++] + 1;
  if (kept === 0) return undefined;
  return { block: detailsBlock(view.headline, view.lines.slice(0, kept), view.lines.length - kept, view.reason), cut: true };
}

/**
 * Details of every stack with changes inside `budget` bytes. Shares are handed out smallest stack first
 * (water-filling), so small stacks stay whole and the big ones split what is left; output keeps report order.
 */
function detailsWithinBudget(views: readonly StackView[], budget: number): DetailsResult {
  const withLines = views.filter((v) => v.lines.length > 0);
  const full = withLines.map((v) => v.fullSize + BLOCK_SEPARATOR.length);
  const order = withLines.map((_, i) => i).sort((a, b) => full[a] - full[b]);
  const shares = new Array<number>(withLines.length).fill(0);
  let remaining = budget;
  order.forEach((index, rank) => {
    shares[index] = Math.min(full[index], Math.floor(remaining / (order.length - rank)));
    remaining -= shares[index];
  });
  const blocks: Safe[] = [];
  let shortened = 0;
  let omitted = 0;
  withLines.forEach((view, i) => {
    const fitted = detailsWithin(view, shares[i] - BLOCK_SEPARATOR.length);
    if (!fitted) omitted++;
    else {
      if (fitted.cut) shortened++;
      blocks.push(fitted.block);
    }
  });
  return { blocks, shortened, omitted };
}

/** Marker (comment only), header with both SHAs, stale banner, warnings. Bounded: warnings are capped and clipped. */
function topBlocks(
  head: Pick<PlanReport, 'environment' | 'headSha' | 'baseSha' | 'finishedAt' | 'warnings'>,
  opts: Pick<CommentOptions, 'repoUrl' | 'stale'>,
  withMarker: boolean,
): (Safe | undefined)[] {
  const repoWebUrl = repositoryWebUrl(opts.repoUrl);
  const stale = opts.stale && (opts.stale.headMoved !== undefined || opts.stale.baseMoved !== undefined) ? opts.stale : undefined;
  return [
    withMarker ? new Safe(COMMENT_MARKER) : undefined,
    headerBlock({ environment: head.environment, headSha: head.headSha, baseSha: head.baseSha, repoWebUrl, finishedAt: head.finishedAt }),
    stale ? staleBanner(stale, repoWebUrl) : undefined,
    head.warnings.length > 0 ? warningsBlock(head.warnings.slice(0, 5).map((w) => clip(w, WARNING_MAX))) : undefined,
  ];
}

/** The order line, when the report has an order of more than one stack (one stack has no order to show). */
const orderOf = (report: Pick<PlanReport, 'order'>): Safe | undefined =>
  report.order && report.order.flat().length > 1 ? orderLine(report.order) : undefined;

/** A policy line of bounded size (its reason comes from an error message). */
const clippedPolicy = (p: PolicyLine): PolicyLine =>
  p.unavailable === undefined ? p : { ...p, unavailable: clip(p.unavailable, WARNING_MAX) };

const blocks = (parts: readonly (Safe | undefined)[]): string =>
  parts
    .filter((p): p is Safe => p !== undefined && p.text !== '')
    .map((p) => p.text)
    .join(BLOCK_SEPARATOR);

/** The sticky pull request comment (Markdown), at most `maxLength` (65,536) characters, the marker exactly once. */
export function renderPlanComment(report: PlanReport, opts: CommentOptions = {}): string {
  const limit = opts.maxLength ?? COMMENT_LIMIT;
  const views = report.stacks.map(viewOf);
  const totals = totalsOf(views);
  const top = topBlocks(report, opts, true);
  // the order, the totals and the policy line travel together: they stay whatever else is cut
  const closingParts = [
    orderOf(report),
    totalsLine(totals),
    opts.policy ? policyLine(clippedPolicy(opts.policy), opts.policyCheckRunUrl) : undefined,
  ];
  const closing = join(
    closingParts.filter((p): p is Safe => p !== undefined),
    BLOCK_SEPARATOR,
  );
  const table = views.length > 0 ? join([tableHeader(), ...views.map((v) => tableRow(v.row))]) : undefined;
  const withLines = views.filter((v) => v.lines.length > 0);
  const fullSize = sizeOf(blocks([...top, table, closing])) + withLines.reduce((n, v) => n + v.fullSize + BLOCK_SEPARATOR.length, 0);
  if (fullSize <= limit) return blocks([...top, table, closing, ...withLines.map((v) => detailsBlock(v.headline, v.lines, 0, v.reason))]);

  const notice = (shortened: number, omitted: number) =>
    truncatedNotice({ environment: report.environment, checkRunUrl: opts.checkRunUrl, artifactUrl: opts.artifactUrl, shortened, omitted });
  const fixedSize = (t: Safe | undefined) =>
    sizeOf(blocks([...top, t, closing, notice(views.length, views.length)])) + 2 * BLOCK_SEPARATOR.length;
  const tableBudget = limit - fixedSize(undefined);
  const fittedTable = views.length > 0 ? tableWithin(views, tableBudget) : undefined;
  const fitted = detailsWithinBudget(views, limit - fixedSize(fittedTable));
  const comment = blocks([...top, fittedTable, closing, ...fitted.blocks, notice(fitted.shortened, fitted.omitted)]);
  // the budget arithmetic above is exact up to separators; this is the guarantee
  return sizeOf(comment) <= limit ? comment : blocks([...top, closing, notice(0, views.length)]);
}

export interface PlanFailure {
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** What failed, e.g. `synth of the head`. */
  readonly stage: string;
  /** One line (SynthError.reason, TerraformError.reason...). */
  readonly reason: string;
  /** The end of the log (redacted upstream); its last 60 lines are shown. @default none */
  readonly logTail?: string;
  /** ISO 8601. */
  readonly finishedAt: string;
}

/** The sticky comment when no plan could be made (e.g. the head does not synthesize), within the same limits. */
export function renderPlanFailure(failure: PlanFailure, opts: Pick<CommentOptions, 'repoUrl' | 'stale' | 'maxLength'> = {}): string {
  const limit = opts.maxLength ?? COMMENT_LIMIT;
  const top = topBlocks({ ...failure, warnings: [] }, opts, true);
  const reason = clip(failure.reason, 2000);
  const tail = failure.logTail
    ?.split('\n')
    .slice(-60)
    .map((l) => clip(l, 500))
    .join('\n');
  const full = blocks([...top, failureBlock({ stage: failure.stage, reason, logTail: tail })]);
  return sizeOf(full) <= limit ? full : blocks([...top, failureBlock({ stage: failure.stage, reason: clip(reason, 500) })]);
}

/** Output of the gitops/plan/<env> check run: title, summary (header and table) and text (details), each at most 65,535. */
export function renderCheckRunOutput(report: PlanReport, opts: Pick<CommentOptions, 'repoUrl'> = {}): CheckRunOutput {
  const views = report.stacks.map(viewOf);
  const totals = totalsOf(views);
  const top = topBlocks(report, { repoUrl: opts.repoUrl }, false);
  const order = orderOf(report);
  const fixed = sizeOf(blocks([...top, order, totalsLine(totals)])) + 2 * BLOCK_SEPARATOR.length;
  const summary = blocks([...top, views.length > 0 ? tableWithin(views, CHECK_RUN_LIMIT - fixed) : undefined, order, totalsLine(totals)]);

  const withLines = views.filter((v) => v.lines.length > 0);
  const fullSize = withLines.reduce((n, v) => n + v.fullSize + BLOCK_SEPARATOR.length, 0) - BLOCK_SEPARATOR.length;
  let text: string;
  if (fullSize <= CHECK_RUN_LIMIT) text = blocks(withLines.map((v) => detailsBlock(v.headline, v.lines, 0, v.reason)));
  else {
    const noteSize = sizeOf(textTruncatedNote(fullSize).text);
    const shown = blocks(detailsWithinBudget(withLines, CHECK_RUN_LIMIT - noteSize - BLOCK_SEPARATOR.length).blocks);
    text = shown + textTruncatedNote(fullSize - sizeOf(shown)).text;
  }
  return {
    title: clip(checkRunTitle(report.environment, totals), 1000),
    summary: summary.slice(0, CHECK_RUN_LIMIT),
    text: text.slice(0, CHECK_RUN_LIMIT),
  };
}
