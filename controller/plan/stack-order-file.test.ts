import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackOrder, StackOrderFileError } from './stack-order-file.js';

const tmp = mkdtempSync(join(tmpdir(), 'gitops-order-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** An output directory whose manifest.json holds `content` (a string as is, anything else as JSON). */
function outDir(content: unknown): string {
  const dir = join(tmp, `out-${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
const manifest = (deps: Record<string, string[]>) => ({
  version: '0.21.0',
  stacks: Object.fromEntries(Object.entries(deps).map(([name, dependencies]) => [name, { name, annotations: [], dependencies }])),
});
const problemOf = async (promise: Promise<unknown>): Promise<string> => {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StackOrderFileError);
  return (e as StackOrderFileError).problem;
};

describe('readStackOrder on the synth output of this repository', () => {
  const out = join(tmp, 'prod');
  beforeAll(() => {
    const env = { ...process.env, GITOPS_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567', CHECKPOINT_DISABLE: '1' };
    delete (env as Record<string, string | undefined>).NODE_OPTIONS;
    execFileSync('node', ['bin/gitops.mjs', 'synth', '--env', 'prod', '--out', out, '--skip-policy'], { env, stdio: 'pipe' });
  }, 120_000);

  test('GIVEN prod synthesized WHEN every stack is read THEN the waves put accounts first, DR and primaries in their order, release last', async () => {
    const order = await readStackOrder(out);
    expect(order.waves).toEqual([
      ['account-prod', 'account-prod-eu-central-1'],
      ['agri-prod', 'commerce-prod', 'controller-prod', 'imaging-prod-eu-central-1', 'ingest-prod', 'payments-prod'],
      ['commerce-prod-eu-central-1', 'imaging-prod', 'payments-prod-eu-central-1'],
      ['release-prod'],
    ]);
  });

  test('GIVEN prod synthesized WHEN the affected payments DR copy and release are read THEN only they are ordered', async () => {
    const order = await readStackOrder(out, ['release-prod', 'payments-prod-eu-central-1']);
    expect(order).toEqual({
      waves: [['payments-prod-eu-central-1'], ['release-prod']],
      dependencies: { 'payments-prod-eu-central-1': [], 'release-prod': ['payments-prod-eu-central-1'] },
    });
  });
});

describe('readStackOrder', () => {
  test('GIVEN a → b → c WHEN a and c are read THEN c comes first', async () => {
    const dir = outDir(manifest({ a: ['b'], b: ['c'], c: [] }));
    expect((await readStackOrder(dir, ['a', 'c'])).waves).toEqual([['c'], ['a']]);
  });

  test('GIVEN a manifest without dependencies (synthesized before the order existed) WHEN read THEN every stack is in one wave', async () => {
    const dir = outDir(manifest({ b: [], a: [] }));
    expect((await readStackOrder(dir)).waves).toEqual([['a', 'b']]);
  });

  test('GIVEN no manifest WHEN read THEN the error says so and is marked missing', async () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    const error = await readStackOrder(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ problem: 'does not exist: the synth wrote no manifest', missing: true });
    expect(await readStackOrder(outDir('{')).catch((e: unknown) => e)).toMatchObject({ missing: false });
  });

  test('GIVEN a manifest that is a link to another file WHEN read THEN it is refused unread', async () => {
    const dir = join(tmp, 'linked');
    mkdirSync(dir);
    symlinkSync(join(outDir(manifest({ a: [] })), 'manifest.json'), join(dir, 'manifest.json'));
    expect(await problemOf(readStackOrder(dir))).toBe('is not a regular file (a link or a directory is refused)');
  });

  test('GIVEN a manifest over the size limit WHEN read THEN it is refused with its size', async () => {
    const dir = outDir(manifest({ a: [] }));
    expect(await problemOf(readStackOrder(dir, undefined, 10))).toMatch(/^is \d+ bytes, over the limit of 10$/);
  });

  test.each([
    ['not JSON', '{"stacks":', /^is not JSON: /],
    ['no stacks', { version: '1' }, /^is not a stack manifest: stacks: /],
    ['dependencies not a list', { stacks: { a: { dependencies: 'b' } } }, /^is not a stack manifest: stacks\.a\.dependencies: /],
    [
      'a stack name with a slash',
      { stacks: { '../x': { dependencies: [] } } },
      /^is not a stack manifest: stacks\.\.\.\/x: must be a stack name/,
    ],
    [
      'a dependency name with a space',
      { stacks: { a: { dependencies: ['b c'] } } },
      /^is not a stack manifest: stacks\.a\.dependencies\.0: must be a stack name/,
    ],
  ])('GIVEN %s WHEN read THEN the error names the field', async (_what, content, expected) => {
    expect(await problemOf(readStackOrder(outDir(content)))).toMatch(expected);
  });

  test('GIVEN a dependency on a stack the manifest does not list WHEN read THEN the error names both', async () => {
    const dir = outDir(manifest({ a: ['ghost'] }));
    expect(await problemOf(readStackOrder(dir))).toBe('stack a depends on ghost, which is not a stack of the set');
  });

  test('GIVEN a cycle outside the stacks asked for WHEN read THEN it is still an error naming the cycle', async () => {
    const dir = outDir(manifest({ a: [], b: ['c'], c: ['b'] }));
    expect(await problemOf(readStackOrder(dir, ['a']))).toBe(
      'stacks depend on each other in a cycle: b → c → b (each stack depends on the next)',
    );
  });

  test('GIVEN stacks the manifest does not list WHEN read THEN the error names them', async () => {
    const dir = outDir(manifest({ a: [] }));
    expect(await problemOf(readStackOrder(dir, ['a', 'x', 'y']))).toBe('does not list the stacks x, y');
  });
});
