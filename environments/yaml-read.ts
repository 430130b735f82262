// Reads an environment file's YAML with work bounded by the file's size. Tokens, nesting and aliases
// are counted while the file is lexed, so a file over a limit is refused after lexing only the part
// up to the limit; keys are checked unique with one set per map (the yaml package's own check compares
// every pair of keys: 200,000 keys took minutes); what aliases expand to is counted before any is.
import { Composer, CST, Lexer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { ConfigProblem } from './config.js';
import { quote, textProblem } from './file-limits.js';

/** Most keys, values and indicators (`-` `:` `,` `[` `{` …) in one file. */
export const MAX_YAML_TOKENS = 5_000;
/** Most keys and values once aliases are expanded (what a "billion laughs" file multiplies). */
export const MAX_YAML_NODES = 5_000;
/** Deepest nesting of maps and lists (an environment file needs 5). */
export const MAX_YAML_DEPTH = 32;
/** Most aliases (`*name`) in one file. */
export const MAX_YAML_ALIASES = 100;

const count = (n: number) => n.toLocaleString('en-US');
const DEPTH_MESSAGE = `nests maps and lists more than ${MAX_YAML_DEPTH} deep (allowed: at most ${MAX_YAML_DEPTH} levels)`;
// Lexemes that are layout, or markers the lexer adds (document start, scalar, flow error end).
const UNCOUNTED = new Set<string | null>(['space', 'newline', 'comment', 'doc-mode', 'byte-order-mark', 'flow-error-end']);

export interface ParsedYaml {
  /** The document as plain data. */
  readonly data: unknown;
  /** The line of the value at `path` (of the key's own text when `key`), or of its nearest parent. */
  lineOf(path: readonly PropertyKey[], key?: boolean): number | undefined;
}

type Found = { problem: ConfigProblem };

/** Lexes and parses to the concrete syntax tree, stopping at the first limit crossed. */
function tokenize(file: string, text: string, counter: LineCounter): { tokens: CST.Token[] } | Found {
  const parser = new Parser(counter.addNewLine);
  counter.addNewLine(0); // Parser.parse() records the first line itself; next() does not
  const tokens: CST.Token[] = [];
  const refuse = (message: string): Found => ({ problem: { file, path: '', line: counter.linePos(parser.offset).line, message } });
  let counted = 0;
  let aliases = 0;
  let scalarText = false;
  for (const lexeme of new Lexer().lex(text)) {
    const type: string | null = scalarText ? null : CST.tokenType(lexeme);
    scalarText = type === 'scalar'; // the lexeme after a scalar marker is the scalar's text, already counted
    if (type !== null && !UNCOUNTED.has(type) && ++counted > MAX_YAML_TOKENS) {
      return refuse(`has more than ${count(MAX_YAML_TOKENS)} keys, values and indicators (allowed: at most ${count(MAX_YAML_TOKENS)})`);
    }
    if (type === 'alias' && ++aliases > MAX_YAML_ALIASES) {
      return refuse(`has more than ${MAX_YAML_ALIASES} aliases (allowed: at most ${MAX_YAML_ALIASES} *name references)`);
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds the document, each open map or list and the scalar being read.
    if (parser.stack.length > MAX_YAML_DEPTH + 2) return refuse(DEPTH_MESSAGE);
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

/** A path as one string, each part after a NUL: a child's key is its parent's plus one part. */
const pathKey = (path: readonly PropertyKey[]) => path.map((p) => `\0${String(p)}`).join('');

/** One pass over the document: unique keys, depth, aliases and what they expand to, and every value's line. */
class DocumentWalk {
  readonly problems: ConfigProblem[] = [];
  readonly valueLines = new Map<string, number>();
  readonly keyLines = new Map<string, number>();
  /** Keys and values so far with aliases expanded; an anchor maps to its size, or to -1 while it is read. */
  private expanded = 0;
  private readonly anchors = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly counter: LineCounter,
  ) {}

  private lineOf(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.counter.linePos(range[0]).line : undefined;
  }

  private report(node: unknown, path: readonly string[], message: string): void {
    this.problems.push({ file: this.file, path: path.join('.'), line: this.lineOf(node), message });
  }

  private add(node: unknown, path: readonly string[], size: number): void {
    const before = this.expanded;
    this.expanded += size;
    if (before <= MAX_YAML_NODES && this.expanded > MAX_YAML_NODES) {
      this.report(
        node,
        path,
        `expands to more than ${count(MAX_YAML_NODES)} keys and values through aliases (allowed: at most ${count(MAX_YAML_NODES)})`,
      );
    }
  }

  /** Visits `node` at `path` (`key` is pathKey(path)); returns its size with aliases expanded. */
  visit(node: unknown, path: string[], key: string, line: number | undefined): number {
    if (line !== undefined) this.valueLines.set(key, line);
    if (path.length > MAX_YAML_DEPTH) {
      this.report(node, path, DEPTH_MESSAGE);
      return 0;
    }
    if (isAlias(node)) {
      const size = this.anchors.get(node.source);
      if (size === undefined) this.report(node, path, `alias *${node.source} has no anchor &${node.source} before it`);
      else if (size < 0) this.report(node, path, `alias *${node.source} is inside the node it names (allowed: aliases to earlier nodes)`);
      else this.add(node, path, size);
      return size === undefined || size < 0 ? 0 : size;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) this.anchors.set(anchor, -1);
    this.add(node, path, 1);
    let size = 1;
    if (isMap(node)) {
      const seen = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const keyLine = this.lineOf(pair.key);
        if (!isScalar(pair.key)) {
          this.report(pair.key, path, 'a key must be plain text (allowed: names, not lists, maps or aliases)');
          continue;
        }
        const name = String(pair.key.value);
        const child = [...path, name];
        if (seen.has(name)) {
          this.report(pair.key, child, `duplicate key ${quote(name, 40)} (allowed: each key once; first at line ${seen.get(name)})`);
          continue;
        }
        seen.set(name, keyLine);
        const childKey = `${key}\0${name}`;
        if (keyLine !== undefined) this.keyLines.set(childKey, keyLine);
        this.add(pair.key, child, 1);
        size += 1 + this.visit(pair.value, child, childKey, this.lineOf(pair.value) ?? keyLine);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => (size += this.visit(item, [...path, String(i)], `${key}\0${i}`, this.lineOf(item))));
    }
    if (anchor) this.anchors.set(anchor, size);
    return size;
  }
}

/** The YAML of one environment file as data, or every problem that stops it being read. */
export function readYaml(file: string, text: string): { yaml?: ParsedYaml; problems: ConfigProblem[] } {
  const refused = textProblem(file, text);
  if (refused) return { problems: [refused] };
  const counter = new LineCounter();
  const tokenized = tokenize(file, text, counter);
  if ('problem' in tokenized) return { problems: [tokenized.problem] };

  let doc: Document.Parsed | undefined;
  const problems: ConfigProblem[] = [];
  for (const next of new Composer({ uniqueKeys: false }).compose(tokenized.tokens, true, text.length)) {
    if (doc) {
      const line = counter.linePos(next.range[0]).line;
      problems.push({ file, path: '', line, message: 'holds a second YAML document (allowed: one document per file)' });
      break;
    }
    doc = next;
  }
  if (!doc) return { problems: [{ file, path: '', message: 'holds no YAML document' }] };
  for (const err of doc.errors) {
    const line = err.linePos?.[0]?.line ?? counter.linePos(err.pos[0]).line;
    problems.push({ file, path: '', line, message: `YAML syntax error: ${err.message.split('\n')[0]}` });
  }
  if (problems.length > 0) return { problems };

  const walk = new DocumentWalk(file, counter);
  walk.visit(doc.contents, [], '', doc.contents ? counter.linePos(doc.contents.range[0]).line : undefined);
  if (walk.problems.length > 0) return { problems: walk.problems };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    return { problems: [{ file, path: '', message: `cannot be read as data: ${(e as Error).message}` }] };
  }
  const lineOf = (path: readonly PropertyKey[], key = false): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const at = pathKey(path.slice(0, depth));
      const line = key && depth === path.length ? walk.keyLines.get(at) : walk.valueLines.get(at);
      if (line !== undefined) return line;
    }
    return undefined;
  };
  return { yaml: { data, lineOf }, problems };
}
