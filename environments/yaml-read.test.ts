// Reading an environment file's YAML with bounded work: the limits on tokens, nesting, aliases and
// what they expand to, unique keys, and files just under every limit accepted. How long each takes is
// measured by `npm run bench -- yaml-limits`, not asserted here.
import { billionLaughs } from '../test/billion-laughs.js';
import { yamlLimitShapes } from '../test/fixtures/yaml-limit-shapes.js';
import { formatProblem, validateEnvironmentFiles } from './config.js';
import { MAX_ENVIRONMENT_FILE_BYTES } from './file-limits.js';
import { MAX_YAML_ALIASES, MAX_YAML_DEPTH, MAX_YAML_TOKENS, readYaml } from './yaml-read.js';

const problemsOf = (text: string) => readYaml('x.yaml', text).problems.map(formatProblem);

describe('readYaml limits', () => {
  test('GIVEN one key more than the token limit allows WHEN read THEN one line names the line where the limit was crossed', () => {
    const text = Array.from({ length: Math.ceil((MAX_YAML_TOKENS + 1) / 3) }, (_, i) => `k${i}: v\n`).join('');
    expect(problemsOf(text)).toEqual(['x.yaml:1667: has more than 5,000 keys, values and indicators (allowed: at most 5,000)']);
  });

  test('GIVEN a flow list on one line with more tokens than allowed WHEN read THEN refused on that line', () => {
    expect(problemsOf(`a: 1\nb: [${'1,'.repeat(MAX_YAML_TOKENS)}]\n`)).toEqual([
      'x.yaml:2: has more than 5,000 keys, values and indicators (allowed: at most 5,000)',
    ]);
  });

  test.each([
    ['flow lists', '['.repeat(50_000)],
    ['compact block lists', '- '.repeat(50_000) + 'x\n'],
    ['indented maps', Array.from({ length: 40 }, (_, i) => `${' '.repeat(i)}k:\n`).join('')],
  ])('GIVEN %s nested deeper than allowed WHEN read THEN one line, no stack overflow', (_shape, text) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^x\.yaml:\d+: (\S+: )?nests maps and lists more than 32 deep \(allowed: at most 32 levels\)$/);
  });

  test(`GIVEN maps nested exactly ${MAX_YAML_DEPTH} deep WHEN read THEN accepted`, () => {
    const text = Array.from({ length: MAX_YAML_DEPTH }, (_, i) => `${' '.repeat(i)}k${i}:${i === MAX_YAML_DEPTH - 1 ? ' v' : ''}\n`).join(
      '',
    );
    expect(problemsOf(text)).toEqual([]);
  });

  test('GIVEN more aliases than allowed WHEN read THEN one line names the limit', () => {
    const text = 'a: &a 1\n' + Array.from({ length: MAX_YAML_ALIASES + 1 }, (_, i) => `b${i}: *a\n`).join('');
    expect(problemsOf(text)).toEqual(['x.yaml:102: has more than 100 aliases (allowed: at most 100 *name references)']);
  });

  test('GIVEN a billion-laughs alias bomb WHEN read THEN refused at the alias that crosses the limit, at once', () => {
    expect(problemsOf(billionLaughs())).toEqual([
      'x.yaml:4: d.4: expands to more than 5,000 keys and values through aliases (allowed: at most 5,000)',
    ]);
  });

  test('GIVEN an alias inside the node it names, and one before its anchor WHEN read THEN each is one line', () => {
    expect(problemsOf('a: &a [1, *a]\nb: *c\nc: &c 2\n')).toEqual([
      'x.yaml:1: a.1: alias *a is inside the node it names (allowed: aliases to earlier nodes)',
      'x.yaml:2: b: alias *c has no anchor &c before it',
    ]);
  });

  test('GIVEN aliases used the ordinary way WHEN read THEN the data holds the expanded values', () => {
    expect(readYaml('x.yaml', 'base: &t { owner: me }\nother: *t\n').yaml?.data).toEqual({ base: { owner: 'me' }, other: { owner: 'me' } });
  });
});

describe('readYaml structure', () => {
  test('GIVEN duplicate keys WHEN read THEN each duplicate names its path and the first line', () => {
    expect(problemsOf('name: a\ntags:\n  owner: x\n  owner: y\nname: b\n')).toEqual([
      'x.yaml:4: tags.owner: duplicate key "owner" (allowed: each key once; first at line 3)',
      'x.yaml:5: name: duplicate key "name" (allowed: each key once; first at line 1)',
    ]);
  });

  test('GIVEN 1,500 duplicates of one key WHEN read THEN every one is reported', () => {
    const problems = problemsOf('name: a\n'.repeat(1501));
    expect(problems).toHaveLength(1500);
    expect(problems[1499]).toBe('x.yaml:1501: name: duplicate key "name" (allowed: each key once; first at line 1)');
  });

  test('GIVEN a list as a key WHEN read THEN refused', () => {
    expect(problemsOf('? [a, b]\n: c\n')).toEqual(['x.yaml:1: a key must be plain text (allowed: names, not lists, maps or aliases)']);
  });

  test('GIVEN two YAML documents WHEN read THEN the second is refused on its line', () => {
    expect(problemsOf('name: a\n---\nname: b\n')).toEqual(['x.yaml:2: holds a second YAML document (allowed: one document per file)']);
  });

  test('GIVEN a value on a later line than its key WHEN a line is asked THEN the line of the value, of the key for keys, of the parent value for unknown paths', () => {
    const yaml = readYaml('x.yaml', '# c\nname: a\ntags:\n  owner:\n    me\n').yaml!;
    expect([yaml.lineOf(['tags', 'owner']), yaml.lineOf(['tags', 'owner'], true), yaml.lineOf(['tags', 'nope']), yaml.lineOf([])]).toEqual([
      5, 4, 4, 2,
    ]);
  });
});

describe('files just under every limit', () => {
  const shapes = yamlLimitShapes();

  test.each(Object.keys(shapes))('GIVEN %s just under the limits WHEN validated THEN no limit is reported', (shape) => {
    const text = shapes[shape]!;
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_ENVIRONMENT_FILE_BYTES * 0.98);
    const { problems } = validateEnvironmentFiles([{ file: 'prod.yaml', text }]);
    expect(problems.map(formatProblem).join('\n')).not.toMatch(/more than/); // under every limit
  });
});
