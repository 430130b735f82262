// The checks an environment file's bytes and text pass before they are parsed, and the bounds on a problem line.
import { formatProblem } from './config.js';
import {
  MAX_ENVIRONMENT_FILE_BYTES,
  MAX_ENVIRONMENT_FILE_LINES,
  MAX_PROBLEM_LENGTH,
  decodeEnvironmentFile,
  oneLine,
  quote,
  textProblem,
} from './file-limits.js';

const line = (p: ReturnType<typeof textProblem>) => (p ? formatProblem(p) : undefined);

describe('textProblem', () => {
  test('GIVEN ordinary YAML with tabs, CRLF and non-ASCII text WHEN checked THEN no problem', () => {
    expect(textProblem('dev.yaml', 'name: dev\r\ndescription: "café\tüber 東京 🚀"\n')).toBeUndefined();
  });

  test('GIVEN a NUL byte on line 3 WHEN checked THEN one line names the file, the line and the character', () => {
    expect(line(textProblem('bin.yaml', 'name: x\nbranch: y\ntier: \0\n'))).toBe(
      'bin.yaml:3: is not a text file: it holds the control character U+0000 (allowed: UTF-8 text without control characters)',
    );
  });

  test.each([
    ['escape', '\x1b[2J'],
    ['DEL', '\x7f'],
    ['C1 control', '\x9b'],
    ['lone surrogate', '\ud800x'],
  ])('GIVEN a %s WHEN checked THEN it is refused', (_name, text) => {
    expect(textProblem('x.yaml', `a: ${text}\n`)?.message).toMatch(/^is not a text file: it holds the control character U\+/);
  });

  test('GIVEN text one byte over the size limit in multi-byte characters WHEN checked THEN the size in bytes is given', () => {
    const text = 'é'.repeat(MAX_ENVIRONMENT_FILE_BYTES / 2) + 'x';
    expect(line(textProblem('big.yaml', text))).toBe('big.yaml: is 131,073 bytes (allowed: at most 131,072 bytes)');
  });

  test('GIVEN exactly the line limit with a final newline WHEN checked THEN no problem; one more line is refused', () => {
    const lines = 'a: b\n'.repeat(MAX_ENVIRONMENT_FILE_LINES);
    expect(textProblem('x.yaml', lines)).toBeUndefined();
    expect(line(textProblem('x.yaml', lines + 'c: d'))).toBe('x.yaml:5001: has more than 5,000 lines (allowed: at most 5,000)');
  });
});

describe('decodeEnvironmentFile', () => {
  test('GIVEN UTF-8 bytes WHEN decoded THEN the file holds the text', () => {
    expect(decodeEnvironmentFile('dev.yaml', Buffer.from('name: dév\n'))).toEqual({ file: { file: 'dev.yaml', text: 'name: dév\n' } });
  });

  test('GIVEN Latin-1 bytes on line 2 WHEN decoded THEN they are refused, not replaced', () => {
    const bytes = Buffer.concat([Buffer.from('name: x\ndescription: caf'), Buffer.from([0xe9, 0x0a])]);
    expect(decodeEnvironmentFile('x.yaml', bytes)).toEqual({
      problem: {
        file: 'x.yaml',
        path: '',
        line: 2,
        message: 'is not a text file: it holds bytes that are not UTF-8 (allowed: UTF-8 text without control characters)',
      },
    });
  });

  test('GIVEN bytes over the limit WHEN decoded THEN refused from their length', () => {
    expect(decodeEnvironmentFile('x.yaml', new Uint8Array(MAX_ENVIRONMENT_FILE_BYTES + 1))).toEqual({
      problem: { file: 'x.yaml', path: '', message: 'is 131,073 bytes (allowed: at most 131,072 bytes)' },
    });
  });
});

describe('quote and oneLine', () => {
  test('GIVEN a 100,000-character string WHEN quoted THEN 60 characters and its length', () => {
    expect(quote('y'.repeat(100_000))).toBe(`"${'y'.repeat(60)}…" (100,000 characters)`);
  });

  test('GIVEN short values WHEN quoted THEN as JSON', () => {
    expect([quote('a"b'), quote(3), quote(null), quote({ a: [1] })]).toEqual(['"a\\"b"', '3', 'null', '{"a":[1]}']);
  });

  test('GIVEN a large object WHEN quoted THEN cut with an ellipsis', () => {
    expect(quote(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])))).toMatch(/^\{"k0":0,.{50,}…$/);
  });

  test('GIVEN line breaks, bidi overrides and invisible characters WHEN made one line THEN they are escaped', () => {
    expect(oneLine('evil\n.yaml\u2028x\u202Egnp.exe\u200B\u0085')).toBe('evil\\u000A.yaml\\u2028x\\u202Egnp.exe\\u200B\\u0085');
  });

  test('GIVEN a problem far over the bound WHEN formatted THEN one line of at most MAX_PROBLEM_LENGTH', () => {
    const text = formatProblem({ file: 'prod.yaml', path: 'branch', message: `"${'b'.repeat(10_000)}" is already the branch` });
    expect(text).toHaveLength(MAX_PROBLEM_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });
});
