// bin/code-cache.mjs: the V8 code cache `gitops` keeps beside its bundle. Each case runs real Node
// processes, as the CLI does: one writes the cache, the next one must use it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const codeCache = fileURLToPath(new URL('../bin/code-cache.mjs', import.meta.url));

interface LoadResult {
  cache: string;
  answer: number;
  dirname: string;
}

/** Loads `bundle` in a fresh Node process as `tag`, calls its `answer()`, saves the cache. */
function load(bundle: string, tag = 'synth', env: Record<string, string> = {}): LoadResult {
  const script = `
    const { requireWithCodeCache } = await import(${JSON.stringify(codeCache)});
    const loaded = requireWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(tag)});
    const answer = loaded.exports.answer();
    loaded.save();
    console.log(JSON.stringify({ cache: loaded.cache, answer, dirname: loaded.exports.dirname }));`;
  const childEnv: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', ...env };
  if (!('GITOPS_CODE_CACHE' in env)) delete childEnv.GITOPS_CODE_CACHE;
  return JSON.parse(execFileSync('node', ['--input-type=module', '-e', script], { env: childEnv, encoding: 'utf8' })) as LoadResult;
}

function caches(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.v8cache'))
    .sort();
}

describe('requireWithCodeCache', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-code-cache-'));
    bundle = join(dir, 'app.cjs');
    writeFileSync(join(dir, 'dep.cjs'), 'module.exports = 40;');
    writeFileSync(bundle, 'const dep = require("./dep.cjs");\nexports.answer = () => dep + 2;\nexports.dirname = __dirname;');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN no cache WHEN the bundle runs twice THEN the first run writes the cache and the second uses it', () => {
    const first = load(bundle);
    expect(first).toEqual({ cache: 'missing', answer: 42, dirname: dir });
    expect(caches(dir)).toEqual([expect.stringMatching(new RegExp(`^app\\.cjs\\.synth\\.\\d+-\\d+\\.${process.version}\\.v8cache$`))]);
    expect(load(bundle)).toEqual({ cache: 'used', answer: 42, dirname: dir });
  });

  test('GIVEN caches of two commands WHEN each runs THEN each uses its own', () => {
    load(bundle, 'synth');
    load(bundle, 'validate');
    expect(caches(dir)).toHaveLength(2);
    expect(load(bundle, 'validate').cache).toBe('used');
    expect(load(bundle, 'synth').cache).toBe('used');
  });

  test('GIVEN a cache WHEN the bundle is rebuilt THEN the old cache is not used, and removeCodeCaches clears every cache of that bundle only', async () => {
    load(bundle);
    writeFileSync(bundle, 'exports.answer = () => 7;\nexports.dirname = "rebuilt";');
    utimesSync(bundle, new Date(), new Date(Date.now() + 5000)); // a rebuild always moves the mtime
    expect(load(bundle)).toEqual({ cache: 'missing', answer: 7, dirname: 'rebuilt' });
    writeFileSync(join(dir, 'other.cjs.synth.1-1.v20.v8cache'), 'x');
    const { removeCodeCaches } = (await import(codeCache)) as { removeCodeCaches: (b: string) => void };
    removeCodeCaches(bundle);
    expect(caches(dir)).toEqual(['other.cjs.synth.1-1.v20.v8cache']);
  });

  test('GIVEN a corrupt cache WHEN the bundle runs THEN V8 rejects it, the run still works and rewrites it', async () => {
    const { codeCacheFile } = (await import(codeCache)) as { codeCacheFile: (b: string, t: string) => string };
    writeFileSync(codeCacheFile(bundle, 'synth'), 'not bytecode');
    expect(load(bundle)).toEqual({ cache: 'rejected', answer: 42, dirname: dir });
    expect(load(bundle).cache).toBe('used');
  });

  test('GIVEN GITOPS_CODE_CACHE=0 WHEN the bundle runs THEN no cache is read or written', () => {
    expect(load(bundle, 'synth', { GITOPS_CODE_CACHE: '0' })).toEqual({ cache: 'off', answer: 42, dirname: dir });
    expect(caches(dir)).toEqual([]);
  });
});
