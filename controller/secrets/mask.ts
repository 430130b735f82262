// Replaces every secret the controller holds (webhook secret, tokens, the App's private key) with `***` in
// text that leaves it: comments, check runs, log lines, stored rows. Pure. All secrets are found in one pass
// over the text (Aho–Corasick), so the time is linear in the text whatever the number of secrets, and
// secrets that contain or overlap each other are masked as one span.

export const MASK = '***';

/** Shorter values are not masked: they would hide ordinary words, and a value that short is no secret. */
export const MIN_SECRET_LENGTH = 6;

/** Base64 lines of a PEM body shorter than this (the last line) are not masked on their own. */
export const MIN_PEM_CHUNK_LENGTH = 16;

const PEM = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/g;

/** JSON's escaping of a string, without the quotes: `\n` as the two characters `\` `n`. */
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * The forms in which a secret may appear: as given, trimmed, JSON-escaped, URL-encoded, with its line breaks
 * as CRLF, as `\n`, as spaces or removed (a key put on one line), base64-encoded whole (as a PEM key may be
 * given to the App), and, for a PEM, each line of its base64 body and the body on one line.
 */
export function secretForms(secret: string): string[] {
  const lf = secret.replace(/\r\n/g, '\n');
  const forms = new Set([secret, secret.trim(), lf, lf.trim()]);
  for (const s of [...forms]) {
    forms.add(jsonEscaped(s));
    forms.add(encodeURIComponent(s));
  }
  if (lf.includes('\n')) {
    const trimmed = lf.trim();
    for (const joiner of ['\r\n', '\\n', '\\r\\n', ' ', '']) forms.add(trimmed.split('\n').join(joiner));
    forms.add(Buffer.from(trimmed).toString('base64'));
    forms.add(Buffer.from(`${trimmed}\n`).toString('base64'));
  }
  for (const pem of lf.matchAll(PEM)) {
    const lines = pem[1]
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.includes(':'));
    for (const line of lines) if (line.length >= MIN_PEM_CHUNK_LENGTH) forms.add(line);
    forms.add(lines.join(''));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * An Aho–Corasick automaton over UTF-16 code units that knows, per state, the longest secret ending there.
 * The forms of a key are long chains of states with one child each, so transitions live in one map keyed by
 * state and code unit, and children in sibling lists, rather than a map per state.
 */
class Automaton {
  private readonly goto = new Map<number, number>();
  private readonly fail: number[] = [0];
  /** Length of the longest pattern that is a suffix of the state's string (0: none). */
  private readonly longest: number[] = [0];
  private readonly firstChild: number[] = [-1];
  private readonly nextSibling: number[] = [-1];
  private readonly codeOf: number[] = [0];

  private step(state: number, code: number): number | undefined {
    return this.goto.get(state * 0x10000 + code);
  }

  constructor(patterns: Iterable<string>) {
    for (const pattern of patterns) {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const code = pattern.charCodeAt(i);
        let to = this.step(state, code);
        if (to === undefined) {
          to = this.fail.length;
          this.fail.push(0);
          this.longest.push(0);
          this.codeOf.push(code);
          this.firstChild.push(-1);
          this.nextSibling.push(this.firstChild[state]);
          this.firstChild[state] = to;
          this.goto.set(state * 0x10000 + code, to);
        }
        state = to;
      }
      this.longest[state] = Math.max(this.longest[state], pattern.length);
    }
    // breadth first, so a state's fail link (a shorter string) is complete before the state is
    const queue: number[] = [];
    for (let c = this.firstChild[0]; c !== -1; c = this.nextSibling[c]) queue.push(c);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      for (let to = this.firstChild[state]; to !== -1; to = this.nextSibling[to]) {
        const code = this.codeOf[to];
        let f = this.fail[state];
        let target = this.step(f, code);
        while (target === undefined && f !== 0) {
          f = this.fail[f];
          target = this.step(f, code);
        }
        this.fail[to] = target ?? 0;
        this.longest[to] = Math.max(this.longest[to], this.longest[this.fail[to]]);
        queue.push(to);
      }
    }
  }

  /** Merged [start, end) spans covered by any pattern occurrence, in order. */
  spans(text: string): [number, number][] {
    const spans: [number, number][] = [];
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let to = this.step(state, code);
      while (to === undefined && state !== 0) {
        state = this.fail[state];
        to = this.step(state, code);
      }
      state = to ?? 0;
      const length = this.longest[state];
      if (length === 0) continue;
      let start = i + 1 - length;
      // a longer match can start before spans already found: absorb them (each span is absorbed once)
      while (spans.length > 0 && spans[spans.length - 1][1] >= start) start = Math.min(start, spans.pop()![0]);
      spans.push([start, i + 1]);
    }
    return spans;
  }
}

export class SecretMasker {
  private readonly automaton: Automaton | undefined;

  /** `secrets`: every secret the controller holds; empty and short ones are ignored (see MIN_SECRET_LENGTH). */
  constructor(secrets: readonly string[]) {
    const forms = new Set(secrets.flatMap(secretForms));
    this.automaton = forms.size > 0 ? new Automaton(forms) : undefined;
  }

  /** The text with every occurrence of a secret (in any of its forms) replaced by `***`. */
  mask(text: string): string {
    if (!this.automaton || text.length === 0) return text;
    const spans = this.automaton.spans(text);
    if (spans.length === 0) return text;
    let out = '';
    let from = 0;
    for (const [start, end] of spans) {
      out += text.slice(from, start) + MASK;
      from = end;
    }
    return out + text.slice(from);
  }

  /**
   * Every string inside a JSON-able value masked (object keys are kept). Plain objects and arrays keep their
   * shape; other objects become what JSON.stringify would write of them (an Error its name, message and stack).
   */
  maskValue<T>(value: T): T {
    return this.maskAny(value, new Set()) as T;
  }

  private maskAny(value: unknown, ancestors: Set<object>): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (value === null || typeof value !== 'object') return value;
    if (ancestors.has(value)) return '[Circular]';
    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => this.maskAny(v, ancestors));
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.maskAny(toJSON.call(value), ancestors);
      const source: Record<string, unknown> =
        value instanceof Error
          ? { ...value, name: value.name, message: value.message, stack: value.stack }
          : (value as Record<string, unknown>);
      return Object.fromEntries(Object.entries(source).map(([k, v]) => [k, this.maskAny(v, ancestors)]));
    } finally {
      ancestors.delete(value);
    }
  }
}
