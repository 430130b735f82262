// Comment commands (`/plan`, `/apply`, `/unlock [env]`, `/help`). Parsing only: who may run a command
// (write permission) is the handler's business. A command is a line of its own in a top-level
// paragraph of the comment's Markdown (read by marked's lexer, as GitHub would show it), so a command
// that readers see as code (fenced or indented block, code span, <pre>/<code>…), do not see at all
// (HTML comment, link target, <details>) or see as someone else's words (a blockquote, including
// lines that lazily continue it) never runs: quoting, documenting or hiding a command does not run
// it. List items, headings and tables are not paragraphs either.
//
// The work is bounded whatever the comment: only its first COMMAND_WINDOW characters are read,
// emphasis is not parsed (it hides nothing, and marked's emphasis rules are superlinear), and
// quotes or lists nested deeper than MAX_NESTING make the comment an ordinary one.
import { getDefaults, Lexer, type Token, type Tokens, type TokensList } from 'marked';

export type CommandKind = 'plan' | 'apply' | 'unlock' | 'help' | 'unknown';

export interface ParsedCommand {
  readonly kind: CommandKind;
  /** The command word as typed, lower-cased, without the slash (e.g. `unlock`, or `foo` for unknown). */
  readonly name: string;
  readonly args: string[];
  /** Set when the command is known but its arguments are not acceptable (reply with it, run nothing). */
  readonly error?: string;
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9_-]*)(?:[ \t]+(.*))?$/;

export const COMMANDS: readonly { readonly usage: string; readonly description: string }[] = [
  { usage: '/plan', description: 'plan this pull request again against its target environment' },
  {
    usage: '/apply',
    description:
      'on a merged pull request whose plan differed from the reviewed one: apply the plan shown here (approvers of the environment)',
  },
  {
    usage: '/unlock [env]',
    description:
      'release a stuck deployment lock of the environment, whoever holds it (approvers of the environment; default: the target environment)',
  },
  { usage: '/help', description: 'show this list' },
];

/** GitHub's limit on a comment body: a longer body is no comment GitHub sent, and is not read. */
export const MAX_COMMENT_LENGTH = 65_536;
/** A command must be in a paragraph that ends within this many characters of the comment's start. */
export const COMMAND_WINDOW = 2_048;
/** Blockquotes and lists nested deeper than this: an ordinary comment (marked recurses once per level). */
export const MAX_NESTING = 32;

/** The first command line of a comment, or undefined for an ordinary comment. */
export function parseCommand(body: string | null | undefined): ParsedCommand | undefined {
  if (typeof body !== 'string' || body.length > MAX_COMMENT_LENGTH) return undefined;
  const window = commandWindow(body);
  // Most comments have no line shaped like a command: those are never lexed.
  if (window === undefined || !hasCommandShapedLine(window.text)) return undefined;
  const line = firstCommandLine(window);
  if (line === undefined) return undefined;
  const m = COMMAND_LINE.exec(line)!;
  return toCommand(m[1].toLowerCase(), (m[2] ?? '').split(/\s+/).filter(Boolean));
}

interface CommandWindow {
  /** The start of the comment, line endings as \n, cut after a whole line. */
  readonly text: string;
  /** False when the comment goes on after `text`: its last block may end differently. */
  readonly whole: boolean;
}

function commandWindow(body: string): CommandWindow | undefined {
  const text = body.replace(/\r\n?/g, '\n');
  if (text.length <= COMMAND_WINDOW) return { text, whole: true };
  const end = text.lastIndexOf('\n', COMMAND_WINDOW - 1) + 1;
  return end === 0 ? undefined : { text: text.slice(0, end), whole: false };
}

function firstCommandLine(window: CommandWindow): string | undefined {
  const lexer = new CommandLexer();
  const hiding = { depth: 0 };
  try {
    const blocks = lexer.blockTokens(window.text, lexer.tokens);
    // link labels are looked up in the masked text below: mask them alike
    for (const [label, link] of Object.entries(lexer.tokens.links)) lexer.tokens.links[maskEmphasis(label)] = link;
    let offset = 0;
    for (const block of blocks) {
      offset += block.raw.length;
      if (block.type === 'html') trackHidingElements(block.raw, hiding);
      if (block.type !== 'paragraph') continue;
      const paragraph = block as Tokens.Paragraph;
      const candidate = hasCommandShapedLine(paragraph.text);
      if (!candidate && !HIDING_TAG.test(paragraph.text)) continue;
      // masking keeps every offset: the lines are read from the paragraph's own text
      paragraph.tokens = lexer.inlineTokens(maskEmphasis(paragraph.text));
      const line = commandLineOf(paragraph, hiding);
      // The last block of a cut window could still turn into a heading, a table or a link definition.
      if (line !== undefined && (window.whole || offset < window.text.length)) return line;
    }
  } catch (e) {
    if (e instanceof NestingTooDeep) return undefined;
    throw e;
  }
  return undefined;
}

const hasCommandShapedLine = (text: string): boolean => text.split('\n').some((line) => COMMAND_LINE.test(line.trim()));

/**
 * Emphasis and strikethrough hide nothing, and marked's rules for them are superlinear (a 1 kB run of
 * `**a*_b_*` took 100 ms): inline text is lexed with their delimiters replaced by a letter.
 */
const maskEmphasis = (text: string): string => text.replace(/[*_~]/g, 'x');

class NestingTooDeep extends Error {}

/** marked's lexer with its own options (marked.use elsewhere changes nothing here) and a nesting limit. */
class CommandLexer extends Lexer {
  private nesting = 0;

  constructor() {
    super({ ...getDefaults(), gfm: true });
  }

  override blockTokens(src: string, tokens?: Token[], lastParagraphClipped?: boolean): Token[];
  override blockTokens(src: string, tokens?: TokensList, lastParagraphClipped?: boolean): TokensList;
  override blockTokens(src: string, tokens?: Token[] | TokensList, lastParagraphClipped?: boolean): Token[] | TokensList {
    return this.nested(() => super.blockTokens(src, tokens as Token[], lastParagraphClipped));
  }

  override inlineTokens(src: string, tokens?: Token[]): Token[] {
    return this.nested(() => super.inlineTokens(src, tokens));
  }

  private nested<T>(lex: () => T): T {
    if (++this.nesting > MAX_NESTING) throw new NestingTooDeep();
    try {
      return lex();
    } finally {
      this.nesting--;
    }
  }
}

/**
 * Raw HTML elements whose content GitHub shows as code, keeps folded, or drops. Text after one opens
 * (inline or in an HTML block) is not a command until it closes, in later paragraphs too.
 */
const HIDING_ELEMENT_NAMES = 'pre code kbd samp tt xmp listing plaintext textarea script style template noscript details'.split(' ');
const HIDING_ELEMENTS = new Set(HIDING_ELEMENT_NAMES);
/** A paragraph with no command line is still lexed when it may open or close a hiding element. */
const HIDING_TAG = new RegExp(`</?(?:${HIDING_ELEMENT_NAMES.join('|')})(?![A-Za-z0-9-])`, 'i');

// An HTML comment (to its end, or to the end of the text), or an opening / closing tag. Each
// repetition stops at the next < or >, so the scan is linear in the text.
const COMMENT_OR_TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(\/?)>/g;

function trackHidingElements(html: string, hiding: { depth: number }): void {
  for (const [, closing, name, selfClosing] of html.matchAll(COMMENT_OR_TAG)) {
    if (name === undefined || selfClosing || !HIDING_ELEMENTS.has(name.toLowerCase())) continue;
    hiding.depth = closing ? Math.max(0, hiding.depth - 1) : hiding.depth + 1;
  }
}

/**
 * Whether any of `token` is hidden from readers: a code span, raw HTML, a link's target or title
 * (links written with brackets count whole), an image, or anything inside a hiding element.
 */
function isHidden(token: Token, hiding: { depth: number }): boolean {
  if (token.type === 'codespan') return true;
  if (token.type === 'html') {
    trackHidingElements(token.raw, hiding);
    return true;
  }
  let hidden = hiding.depth > 0 || token.type === 'image' || (token.type === 'link' && token.raw.startsWith('['));
  // every child is visited, so an element opened inside a link still hides what follows
  for (const child of ('tokens' in token && token.tokens) || []) hidden = isHidden(child, hiding) || hidden;
  return hidden || hiding.depth > 0;
}

/** The first line of a paragraph that is a command and that no hidden token touches. */
function commandLineOf(paragraph: Tokens.Paragraph, hiding: { depth: number }): string | undefined {
  const hidden: [number, number][] = [];
  let offset = 0;
  for (const token of paragraph.tokens) {
    if (isHidden(token, hiding)) hidden.push([offset, offset + token.raw.length]);
    offset += token.raw.length;
  }
  // marked's inline tokens cover the paragraph's text exactly; if one day they do not, trust no line
  if (offset !== paragraph.text.length) return undefined;
  let start = 0;
  let h = 0;
  for (const line of paragraph.text.split('\n')) {
    const end = start + line.length;
    while (h < hidden.length && hidden[h][1] <= start) h++;
    const touched = h < hidden.length && hidden[h][0] < end;
    if (!touched && COMMAND_LINE.test(line.trim())) return line.trim();
    start = end + 1;
  }
  return undefined;
}

function toCommand(name: string, args: string[]): ParsedCommand {
  switch (name) {
    case 'plan':
    case 'apply':
    case 'help':
      return args.length === 0
        ? { kind: name, name, args }
        : { kind: name, name, args, error: `/${name} takes no arguments (got ${JSON.stringify(args.join(' ').slice(0, 60))})` };
    case 'unlock': {
      if (args.length > 1)
        return { kind: 'unlock', name, args, error: `/unlock takes at most one environment name (got ${args.length} words)` };
      const env = args[0];
      if (env !== undefined && !ENVIRONMENT_NAME.test(env)) {
        return {
          kind: 'unlock',
          name,
          args,
          error: `/unlock: ${JSON.stringify(env.slice(0, 60))} is not an environment name (lowercase letters, digits and -, at most 16)`,
        };
      }
      return { kind: 'unlock', name, args };
    }
    default:
      return { kind: 'unknown', name, args };
  }
}

/** The reply to `/help`, to an unknown command or to a command with bad arguments. */
export function commandHelpReply(problem?: string): string {
  const lines = [
    ...(problem ? [`⚠️ ${problem}`, ''] : []),
    'Commands (on a line of their own; only people with write access can run them):',
    '',
    '| command | what it does |',
    '|---|---|',
    ...COMMANDS.map((c) => `| \`${c.usage}\` | ${c.description} |`),
  ];
  return lines.join('\n');
}

/** The reply to a parsed command that will not run: unknown, or with bad arguments. */
export function commandProblem(command: ParsedCommand): string | undefined {
  if (command.kind === 'unknown')
    return `\`/${command.name.slice(0, 40)}\` is not a command (allowed: ${COMMANDS.map((c) => c.usage.split(' ')[0]).join(', ')})`;
  return command.error;
}
