// What is checked before any of a pull request's code runs (synth runs the repository's code):
// - the event is still about the pull request's head, asked of the API rather than read from the
//   payload, so a replayed or late event cannot move the sticky comment back or supersede the plan
//   of the current head;
// - the code may run: its author has write permission, or a user with write permission asked for it
//   with `/plan` on exactly this head (GitHub Actions' model for outside contributors).
import { planCheckName } from './check-names.js';
import { WRITE_PERMISSIONS, type PullRequestInfo } from './ports/github.js';
import { fullName, shortSha, type PullRequestRef, type RepoSession } from './ports/session.js';

/** Why a plan job runs; `approvedBy` is set when a writer's `/plan` asked for this head. */
export interface PlanTrigger {
  readonly approvedBy?: string;
}

/** The pull request as it is now, or why the event no longer concerns it. */
export type CurrentPullRequest =
  { readonly current: true; readonly info: PullRequestInfo } | { readonly current: false; readonly reason: string };

export async function currentPullRequest(session: RepoSession, pr: PullRequestRef): Promise<CurrentPullRequest> {
  const info = await session.github.getPullRequest(pr.number);
  if (info.state !== 'open') return { current: false, reason: `#${pr.number} is ${info.merged ? 'merged' : 'closed'}` };
  if (info.headSha !== pr.headSha) {
    return { current: false, reason: `the event is about ${shortSha(pr.headSha)}, but #${pr.number}'s head is ${shortSha(info.headSha)}` };
  }
  return { current: true, info };
}

/** True when the pull request's code may run: a writer's `/plan` for this head, or an author with write permission. */
export async function mayRunCode(session: RepoSession, info: PullRequestInfo, trigger: PlanTrigger = {}): Promise<boolean> {
  if (trigger.approvedBy !== undefined) return true;
  return WRITE_PERMISSIONS.includes(await session.github.getPermission(info.author));
}

/** The plan check of an outside contributor's head: queued (so a required check blocks the merge) until a writer's `/plan`. */
export async function waitForWriter(session: RepoSession, pr: PullRequestRef, author: string, environment: string): Promise<void> {
  await session.github.createCheckRun({
    name: planCheckName(environment),
    headSha: pr.headSha,
    status: 'queued',
    title: 'Not planned: waiting for /plan from a user with write permission',
    summary: [
      `@${author} has no write permission on ${fullName(pr)}, so the code of this pull request is not run (synth runs it).`,
      `A user with write permission who has read the change can comment \`/plan\` to plan ${shortSha(pr.headSha)}; a later push needs another \`/plan\`.`,
    ].join('\n\n'),
  });
  session.log.info({ pr: pr.number, head: pr.headSha, author, environment }, 'plan waits for a writer: the author has no write permission');
}
