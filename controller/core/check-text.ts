// Limits of GitHub's check run output, and the names of the controller's checks.

/** check run output.summary and output.text: at most 65,535 characters each. */
export const CHECK_TEXT_LIMIT = 65_535;
/** Titles are shown on one line; GitHub cuts them, we cut them first and say so. */
export const CHECK_TITLE_LIMIT = 250;

export const BRANCH_POLICY_CHECK = 'gitops/branch-policy';
export const planCheckName = (environment: string): string => `gitops/plan/${environment}`;
export const approvalsCheckName = (environment: string): string => `gitops/approvals/${environment}`;

/** Cuts `text` to `limit` characters, ending with a note when it had to. */
export function fitText(text: string, limit: number = CHECK_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const note = '\n… (cut to fit GitHub’s limit)';
  return text.slice(0, Math.max(0, limit - note.length)) + note;
}

export function fitTitle(title: string): string {
  const line = title.split('\n')[0];
  return line.length <= CHECK_TITLE_LIMIT ? line : `${line.slice(0, CHECK_TITLE_LIMIT - 1)}…`;
}

/** One line of an error for a check run or comment: the message's first line, never a stack. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 500);
}
