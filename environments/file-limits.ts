// Bounds on what an environment file may be before it is parsed, so a hostile file (a binary, a huge
// file, a symlink to a system file) gives one short line naming it instead of a crash, a hang or a
// dump of its content. The same checks serve files read from disk and files read at a git ref.
import type { ConfigProblem, EnvironmentFile } from './config.js';

/** Largest environment file read (the shipped ones are about 3 kB). */
export const MAX_ENVIRONMENT_FILE_BYTES = 128 * 1024;
/** Most lines in one environment file. */
export const MAX_ENVIRONMENT_FILE_LINES = 5_000;
/** Most environment files in one directory. */
export const MAX_ENVIRONMENT_FILES = 50;
/** Longest problem line printed; longer ones are cut, so no value can flood a terminal or a check run. */
export const MAX_PROBLEM_LENGTH = 500;
/** Longest rendering of a value quoted in a problem. */
export const MAX_QUOTED_LENGTH = 60;
/** Longest path inside a file shown in a problem (a key can be as long as the file). */
export const MAX_PATH_LENGTH = 120;

const count = (n: number) => n.toLocaleString('en-US');

/** The kind of a directory entry that is not a regular file, as named in problems. */
export type EntryKind = 'symlink' | 'directory' | 'fifo' | 'socket' | 'device' | 'submodule' | 'other';

/** A `*.yaml` entry that is not a regular file: never followed, never read. */
export function notRegularFileProblem(file: string, kind: EntryKind): ConfigProblem {
  return { file, path: '', message: `is a ${kind}; environment files must be regular files (allowed: regular files in the directory)` };
}

export function tooLargeProblem(file: string, bytes: number): ConfigProblem {
  return {
    file,
    path: '',
    message: `is ${count(bytes)} bytes (allowed: at most ${count(MAX_ENVIRONMENT_FILE_BYTES)} bytes)`,
  };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// Characters YAML does not allow in a stream (it allows tab, LF, CR, NEL and printable Unicode):
// NUL and other controls, DEL, the C1 controls but NEL, lone surrogates, U+FFFE and U+FFFF.
const NOT_YAML_TEXT =
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Size, line count and characters of a file's text; the problem, or undefined when the text may be parsed. */
export function textProblem(file: string, text: string): ConfigProblem | undefined {
  // Every UTF-16 unit is at least one UTF-8 byte: only a long text needs the exact count.
  if (text.length > MAX_ENVIRONMENT_FILE_BYTES / 3) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_ENVIRONMENT_FILE_BYTES) return tooLargeProblem(file, bytes);
  }
  let breaks = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (++breaks === MAX_ENVIRONMENT_FILE_LINES && i + 1 < text.length) {
      const limit = count(MAX_ENVIRONMENT_FILE_LINES);
      return { file, path: '', line: breaks + 1, message: `has more than ${limit} lines (allowed: at most ${limit})` };
    }
  }
  const bad = NOT_YAML_TEXT.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return {
      file,
      path: '',
      line: lineAt(text, bad.index),
      message: `is not a text file: it holds the control character U+${code} (allowed: UTF-8 text without control characters)`,
    };
  }
  return undefined;
}

/**
 * An environment file from its raw bytes: refuses a file over the size limit before decoding it and
 * text that is not UTF-8 (a lossy decoding would hide a binary file), then checks the text.
 * For any reader of environment files, on disk or at a git ref.
 */
export function decodeEnvironmentFile(file: string, bytes: Uint8Array): { file: EnvironmentFile } | { problem: ConfigProblem } {
  if (bytes.length > MAX_ENVIRONMENT_FILE_BYTES) return { problem: tooLargeProblem(file, bytes.length) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return {
      problem: {
        file,
        path: '',
        line: lineAt(lossy, lossy.indexOf('\uFFFD')),
        message: 'is not a text file: it holds bytes that are not UTF-8 (allowed: UTF-8 text without control characters)',
      },
    };
  }
  const problem = textProblem(file, text);
  return problem ? { problem } : { file: { file, text } };
}

/** `value` as JSON, cut to `max` characters: a problem quotes a value without printing all of it. */
export function quote(value: unknown, max: number = MAX_QUOTED_LENGTH): string {
  if (typeof value === 'string') {
    if (value.length <= max) return JSON.stringify(value);
    // Cut before escaping, so quoting a long string costs no more than the cut.
    return `${JSON.stringify(value.slice(0, max)).slice(0, -1)}…" (${count(value.length)} characters)`;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // a cycle
  }
  return cut(json ?? String(value), max);
}

/** `text` cut to at most `max` characters, an ellipsis marking the cut. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// Line breaks (including U+0085, U+2028, U+2029), other controls and the bidirectional and invisible
// formatting characters, which could split a problem over lines or make it read differently.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const NOT_ONE_LINE = /[\0-\x1F\x7F-\x9F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g;

/** One printable line of at most MAX_PROBLEM_LENGTH characters. */
export function oneLine(text: string): string {
  const line = text.replace(NOT_ONE_LINE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return cut(line, MAX_PROBLEM_LENGTH);
}
