// The text of applies: the deployment section of the sticky comment (lock queue and state), the
// comment that says a merged commit's plan differs from the reviewed one, the `gitops/apply/<env>`
// check run, and the replies to `/apply` and `/unlock`. User-controlled text goes through mdText.
import type { LockRecord } from '../core/ports/store.js';
import { fitText } from './limits.js';
import { code, join, mdText, Safe } from './templates.js';

/** Starts and ends the deployment section of an environment inside the sticky comment. */
export const applySectionMarkers = (environment: string): { start: string; end: string } => ({
  start: `<!-- gitops:apply:${environment} -->`,
  end: `<!-- /gitops:apply:${environment} -->`,
});

/** One stack whose reviewed and re-planned change sets differ (core/apply-compare.ts). */
export interface StackDifference {
  readonly stack: string;
  readonly onlyReviewed: readonly string[];
  readonly onlyNow: readonly string[];
}

/** What became of one stack of an apply (core/apply-order.ts). */
export type StepResult = 'succeeded' | 'failed' | 'skipped';

export type ApplyPhase = 'waiting' | 'applying' | 'applied' | 'failed' | 'differs' | 'skipped';

const PHASE: Readonly<Record<ApplyPhase, string>> = {
  waiting: '⏳ waiting for the lock',
  applying: '🔒 applying (the lock is held)',
  applied: '✅ applied',
  failed: '❌ failed',
  differs: '⛔ nothing applied: the plan differs from the reviewed one',
  skipped: '⏭️ nothing applied',
};

const who = (t: LockRecord): Safe => mdText`${code(t.holder)}${t.sha ? mdText` at ${code(t.sha.slice(0, 7))}` : ''}`;

/** One line per ticket of the queue: the holder, then the waiters in order. */
export function lockQueueLines(tickets: readonly LockRecord[]): Safe {
  if (tickets.length === 0) return mdText`The lock is free.`;
  return join(
    tickets.map((t, i) =>
      t.state === 'held'
        ? mdText`- 🔒 held by ${who(t)} since ${t.acquiredAt ?? ''}`
        : mdText`- ${i}. waiting: ${who(t)} since ${t.enqueuedAt}`,
    ),
  );
}

/** The deployment section of the sticky comment. */
export function applySection(p: {
  environment: string;
  sha: string;
  phase: ApplyPhase;
  detail?: string;
  queue: readonly LockRecord[];
  checkRunUrl?: string;
}): string {
  const { start, end } = applySectionMarkers(p.environment);
  const link = p.checkRunUrl ? mdText` ([apply log](${new Safe(p.checkRunUrl)}))` : '';
  const body = join(
    [
      mdText`### Deployment to ${code(p.environment)} of ${code(p.sha.slice(0, 7))}: ${PHASE[p.phase]}${link}`,
      ...(p.detail ? [mdText`${p.detail}`] : []),
      mdText`Lock queue of ${code(p.environment)}:`,
      lockQueueLines(p.queue),
    ],
    '\n\n',
  );
  return `${start}\n${body.text}\n${end}`;
}

/** `body` with the environment's deployment section replaced, or appended when it has none. */
export function withApplySection(body: string, environment: string, section: string): string {
  const { start, end } = applySectionMarkers(environment);
  const from = body.indexOf(start);
  const to = body.indexOf(end);
  if (from >= 0 && to > from) return body.slice(0, from) + section + body.slice(to + end.length);
  return `${body}\n\n${section}`;
}

const differenceLines = (d: StackDifference): Safe[] => [
  mdText`**${code(d.stack)}**`,
  // inside the fence nothing is Markdown; only a fence of its own could end it early
  new Safe(
    [
      '```diff',
      ...[...d.onlyReviewed.map((l) => `- ${l}`), ...d.onlyNow.map((l) => `+ ${l}`)].map((l) => l.replace(/```/g, "'''")),
      '```',
    ].join('\n'),
  ),
];

/** The comment on the merged pull request when the merged commit's plan is not the one reviewed. */
export function planDiffersComment(p: {
  environment: string;
  sha: string;
  reviewedSha?: string;
  differences: readonly StackDifference[];
  reason?: string;
}): string {
  const intro = p.reviewedSha
    ? mdText`Nothing was applied to ${code(p.environment)}: the plan of the merged commit ${code(p.sha.slice(0, 7))} differs from the plan reviewed on this pull request (of ${code(p.reviewedSha.slice(0, 7))}). Lines with \`-\` are only in the reviewed plan, lines with \`+\` only in the plan of the merged commit.`
    : mdText`Nothing was applied to ${code(p.environment)}: ${p.reason ?? 'no reviewed plan of this pull request was found'}.`;
  const next = mdText`An approver of ${code(p.environment)} can apply the plan shown here with \`/apply\` on this pull request; otherwise open a new pull request.`;
  return fitText(join([intro, ...p.differences.flatMap(differenceLines), next], '\n\n').text, 60_000);
}

const RESULT: Readonly<Record<StepResult, string>> = { succeeded: '✅ applied', failed: '❌ failed', skipped: '⏭️ skipped' };

/** The `gitops/apply/<env>` check run's output once the stacks have run. */
export function applyCheckOutput(p: {
  environment: string;
  sha: string;
  results: ReadonlyMap<string, StepResult>;
  reasons: ReadonlyMap<string, string>;
}): { title: string; summary: string } {
  const failed = [...p.results.values()].filter((r) => r !== 'succeeded').length;
  const title =
    p.results.size === 0
      ? `Nothing to apply to ${p.environment} at ${p.sha.slice(0, 7)}`
      : failed === 0
        ? `Applied ${p.results.size} stack${p.results.size === 1 ? '' : 's'} to ${p.environment}`
        : `Apply to ${p.environment} failed: ${failed} of ${p.results.size} stacks not applied`;
  const rows = [...p.results].map(([stack, r]) => mdText`| ${code(stack)} | ${RESULT[r]} | ${p.reasons.get(stack) ?? ''} |`);
  const summary = join([mdText`| Stack | Result | Reason |`, new Safe('|---|---|---|'), ...rows]).text;
  return { title, summary: p.results.size === 0 ? 'No stack of the merged commit changes anything.' : summary };
}

export const applyReplies = {
  queued: (p: { sender: string; environment: string; sha: string }) =>
    mdText`@${p.sender} queued the apply of ${code(p.sha.slice(0, 7))} to ${code(p.environment)}; the deployment says how it went.`.text,
  refused: (p: { sender: string; reason: string }) => mdText`@${p.sender} \`/apply\`: ${p.reason}. Nothing was done.`.text,
  notApprover: (p: { sender: string; command: string; environment: string }) =>
    mdText`@${p.sender} \`${p.command}\` needs an approver of ${code(p.environment)} (write permission, and an owner of ${code(`environments/${p.environment}.yaml`)} where CODEOWNERS names one). Nothing was done.`
      .text,
  unlocked: (p: { sender: string; environment: string; released?: LockRecord }) =>
    p.released
      ? mdText`@${p.sender} released the ${code(p.environment)} lock held by ${code(p.released.holder)}.`.text
      : mdText`@${p.sender} nothing holds the ${code(p.environment)} lock; nothing to release.`.text,
} as const;
