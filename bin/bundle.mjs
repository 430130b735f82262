// Builds (or reuses) a CommonJS bundle of a TypeScript entry with esbuild. Packages stay external, so
// cdktf and the providers load through plain `require`: no loader hooks, no ESM-to-CJS lexing.
// The bundle is reused while none of its inputs changed (checked by size and mtime).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  const result = await build({
    entryPoints: [join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    packages: 'external',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: tmp,
    metafile: true,
    logLevel: 'error',
    plugins: [importMetaUrl],
    // import() of cdktf becomes a lazy require(): loaded only when needed, and as plain CommonJS.
    supported: { 'dynamic-import': false },
  });
  const inputs = Object.keys(result.metafile.inputs).map((file) => {
    const s = statSync(join(root, file));
    return [file, s.size, s.mtimeMs];
  });
  renameSync(tmp, out); // atomic: a concurrent run sees the old bundle or the new one, never half
  writeFileSync(`${manifestFile}.${process.pid}.tmp`, JSON.stringify({ entry, inputs }));
  renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
  return out;
}
