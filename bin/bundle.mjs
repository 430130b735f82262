// Builds (or reuses) a CommonJS bundle of a TypeScript entry and the packages it uses, with esbuild:
// one file of plain CommonJS, no loader hooks, no ESM-to-CJS lexing, no module resolution at run time.
// The bundle is reused while none of its inputs changed (checked by size and mtime).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeCodeCaches } from './code-cache.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each bundled file keeps its own `import.meta.url` (the bundle is CommonJS). */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

/** Packages that stay external: a native addon, and tools that load only to rebuild. */
const EXTERNAL = /^(esbuild|better-sqlite3|tsx|typescript)(\/|$)/;
/** Loaded on first call instead of at startup: cdktf zips assets with archiver, and no stack here has one. */
const LAZY = /^archiver$/;

/**
 * Packages are bundled too: their files are mostly inline source map (three quarters of every provider
 * file), which Node would read and scan on every run, and one file spares resolving hundreds of paths.
 */
const packagePlugin = {
  name: 'packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.namespace === 'lazy' || EXTERNAL.test(args.path)) return { path: args.path, external: true };
      if (LAZY.test(args.path)) return { path: args.path, namespace: 'lazy' };
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      contents: `module.exports = (...args) => require(${JSON.stringify(args.path)})(...args);`,
      loader: 'js',
    }));
  },
};

function fresh(manifestFile) {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    return manifest.inputs.every(([file, size, mtimeMs]) => {
      const s = statSync(join(root, file));
      return s.size === size && s.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

/** Returns the path of an up-to-date bundle of `entry` (relative to the repository root). */
export async function bundle(entry) {
  const name = createHash('sha1').update(`${root}:${entry}`).digest('hex').slice(0, 12);
  const dir = join(root, '.gitops', 'cache');
  const out = join(dir, `${name}.cjs`);
  const manifestFile = join(dir, `${name}.json`);
  if (fresh(manifestFile)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const { build } = await import('esbuild'); // only when rebuilding: loading esbuild costs a tenth of a second
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: tmp,
    metafile: true,
    logLevel: 'error',
    plugins: [importMetaUrl, packagePlugin],
    // import() of cdktf becomes a lazy require(): loaded only when needed, and as plain CommonJS.
    supported: { 'dynamic-import': false },
  });
  // This file too: a change in how the bundle is built must rebuild it.
  const inputs = [...Object.keys(result.metafile.inputs), 'bin/bundle.mjs']
    .filter((file) => !file.startsWith('lazy:'))
    .map((file) => {
      const s = statSync(join(root, file));
      return [file, s.size, s.mtimeMs];
    });
  renameSync(tmp, out); // atomic: a concurrent run sees the old bundle or the new one, never half
  removeCodeCaches(out); // named after the old bundle's mtime, so never used again
  writeFileSync(`${manifestFile}.${process.pid}.tmp`, JSON.stringify({ entry, inputs }));
  renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
  return out;
}
