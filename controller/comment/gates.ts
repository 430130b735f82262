// Output of the `gitops/approvals/<env>` check of a promotion (rules/promotion-gates.ts): one line per gate,
// ✓ or ✗, and for a ✗ what is missing and what to do. SHAs link to their commits; a plan's failure reason
// (which may quote the pull request's code) is shown in <code>.
import type { ApprovalsVerdict, DeployedVerdict, GateVerdict, PlanVerdict, PromotionVerdict } from '../rules/promotion-gates.js';
import { clip, repositoryWebUrl } from './escape.js';
import type { CheckRunOutput } from './render.js';
import { code, join, mdText, Safe, shaRef } from './templates.js';

export interface PromotionCheckContext {
  /** The environment promoted to, e.g. `prod`. */
  readonly environment: string;
  /** The pull request's base branch, e.g. `main`. */
  readonly baseRef: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** Markdown of the approvals evaluation (rules/approvals.ts builds it, with file names in code spans). */
  readonly approvalsText: string;
  /** The repository's web or clone URL; SHAs link to their commits when given. @default no links */
  readonly repoUrl?: string;
}

const REASON_MAX = 300;
const tree = (sha: string): Safe => code(sha.slice(0, 7));

/** The gate's name as the title and the list show it. */
export function gateLabel(gate: GateVerdict): string {
  if (gate.gate === 'deployed') return `deployed to ${gate.environment}`;
  return gate.gate === 'approvals' ? 'approvals' : 'plan current';
}

function deployedLine(g: DeployedVerdict, head: Safe, web: string | undefined): Safe {
  if (g.ok) return mdText`${g.environment} deployed tree ${tree(g.tree)} successfully (its deployment of ${shaRef(g.deployedSha, web)})`;
  if (g.reason === 'head-unreadable') {
    return mdText`the head ${head} could not be read from GitHub, so its tree is unknown; the check is evaluated again on the next event`;
  }
  const wanted = mdText`tree ${tree(g.tree ?? '')} (head ${head}); merge the release into ${g.environment} first`;
  if (g.reason === 'none' || !g.latest) return mdText`${g.environment} has no successful deployment of ${wanted}`;
  const other = g.latest.tree ? mdText` (tree ${tree(g.latest.tree)})` : mdText``;
  return mdText`${g.environment}'s successful deployment is of ${shaRef(g.latest.sha, web)}${other}, not of ${wanted}`;
}

function approvalsLine(g: ApprovalsVerdict): Safe {
  if (g.ok || g.missing.length === 0) return mdText`${g.summary}`;
  // The approvals rule's own lines: owners and file names are already in code spans there.
  return mdText`still needed: ${new Safe(g.missing.join('; '))}`;
}

function planLine(g: PlanVerdict, ctx: PromotionCheckContext, web: string | undefined): Safe {
  const head = shaRef(g.headSha, web);
  const base = mdText`${shaRef(g.baseSha, web)} (${code(ctx.baseRef)})`;
  if (g.ok) return mdText`the plan of ${head} against ${base} finished`;
  const plan = g.plan;
  switch (g.reason) {
    case 'head-moved':
      return mdText`the latest plan is of ${shaRef(plan?.headSha ?? '', web)}, not of the head ${head}; a push plans the new head, or comment /plan`;
    case 'unfinished':
      return mdText`the plan of ${head} is still ${plan?.status ?? 'running'}; the check is evaluated again when it finishes`;
    case 'ended': {
      const why = plan?.reason ? mdText`: ${code(clip(plan.reason, REASON_MAX))}` : mdText``;
      return mdText`the latest plan of ${head} ended ${plan?.status ?? 'failed'}${why}; push a fix or comment /plan`;
    }
    case 'base-moved':
      return mdText`the latest plan was made against base ${shaRef(plan?.baseSha ?? '', web)}, not the current base ${base}; comment /plan to plan again`;
    default:
      return mdText`${ctx.environment} was never planned for this pull request; comment /plan`;
  }
}

function gateLine(g: GateVerdict, ctx: PromotionCheckContext, web: string | undefined): Safe {
  const line =
    g.gate === 'deployed'
      ? deployedLine(g, shaRef(ctx.headSha, web), web)
      : g.gate === 'approvals'
        ? approvalsLine(g)
        : planLine(g, ctx, web);
  return mdText`- ${g.ok ? '✓' : '✗'} **${gateLabel(g)}**: ${line}`;
}

/** One line per gate in the title and the summary; the approvals evaluation in the text. */
export function renderPromotionCheck(verdict: PromotionVerdict, ctx: PromotionCheckContext): CheckRunOutput {
  const web = repositoryWebUrl(ctx.repoUrl);
  const held = verdict.gates.filter((g) => g.ok).length;
  const marks = verdict.gates.map((g) => `${g.ok ? '✓' : '✗'} ${gateLabel(g)}`).join(' · ');
  const title = `${verdict.satisfied ? 'Ready to promote' : 'Blocked'} (${ctx.environment}): ${marks}`;
  const summary = join(
    [
      mdText`### Promotion gates for ${code(ctx.environment)}`,
      mdText`**head** ${shaRef(ctx.headSha, web)} · **base** ${shaRef(ctx.baseSha, web)} (${code(ctx.baseRef)}) · ${held} of ${verdict.gates.length} gates hold`,
      join(verdict.gates.map((g) => gateLine(g, ctx, web))),
    ],
    '\n\n',
  );
  const text = mdText`#### Approvals\n\n${new Safe(ctx.approvalsText)}`;
  return { title, summary: summary.text, text: text.text };
}
