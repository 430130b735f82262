// GitHub's size limits for what the controller writes, and the one place text is cut to them.
// Renderers plan within these limits; fitText and fitTitle are the last guard before a write.

/** An issue comment's body. */
export const COMMENT_LIMIT = 65_536;
/** A check run output's summary and text, each. */
export const CHECK_RUN_LIMIT = 65_535;
/** Titles are shown on one line; GitHub cuts them, we cut them first and say so. */
export const CHECK_TITLE_LIMIT = 250;

const CUT_NOTE = '\n\n… (cut to fit GitHub’s 65,535-character limit)';

/** Cuts `text` to `limit` characters, ending with a note when it had to. */
export function fitText(text: string, limit: number = CHECK_RUN_LIMIT): string {
  if (text.length <= limit) return text;
  return text.slice(0, Math.max(0, limit - CUT_NOTE.length)) + CUT_NOTE;
}

/** The first line of a title, cut to CHECK_TITLE_LIMIT with an ellipsis. */
export function fitTitle(title: string): string {
  const line = title.split('\n')[0];
  return line.length <= CHECK_TITLE_LIMIT ? line : `${line.slice(0, CHECK_TITLE_LIMIT - 1)}…`;
}

/** One line of an error for a check run or comment: the message's first line, never a stack. */
export function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 500);
}
