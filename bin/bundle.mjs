// Builds (or reuses) two CommonJS bundles of a TypeScript entry with esbuild: the app (the entry and
// its sources, and the few ES-module-only packages; CommonJS packages external) and its vendor bundle
// (every CommonJS package the app imports, kept with the packages in node_modules/.cache/gitops).
// No loader hooks, no ESM-to-CJS lexing, no module resolution
// at run time; and the packages' files shed their inline source maps (three quarters of every provider
// file), which Node would otherwise read and scan on every run. Editing a source rebuilds only the app
// (~70 ms); the vendor bundle, and its code cache, change only with the packages or with the set of
// them the app imports.
// Each bundle is reused while none of its inputs changed (checked by size and mtime): a trust that
// holds only where nobody else writes the cache, so GITOPS_CACHE_DIR puts both bundles (and their code
// caches) in a directory of the caller's choosing; the controller gives each synth of pull request code
// its own, inside the job's output, never the shared node_modules.
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeCodeCaches } from './code-cache.mjs';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Directories never holding the app's sources (and dot-directories: .git, .gitops, .terraform). */
const NOT_SOURCES = /^(\..*|node_modules|cdktf\.out|coverage)$/;

/** The TypeScript files under `dir` that use `import.meta.url` (a few; scanning all takes milliseconds). */
function filesUsingImportMetaUrl(dir) {
  const found = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_SOURCES.test(e.name)) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) found.push(...filesUsingImportMetaUrl(path));
    else if (e.name.endsWith('.ts') && readFileSync(path, 'utf8').includes('import.meta.url')) found.push(path);
  }
  return found;
}

/**
 * Each bundled file keeps its own `import.meta.url` (the bundle is CommonJS). Only the files that use it
 * go through this plugin: a plugin callback per file would cost esbuild more than the whole build.
 */
function importMetaUrl(root) {
  const files = filesUsingImportMetaUrl(root);
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    name: 'import-meta-url',
    setup(b) {
      if (files.length === 0) return;
      b.onLoad({ filter: new RegExp(`^(${files.map(escape).join('|')})$`) }, async (args) => ({
        contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: 'ts',
      }));
    },
  };
}

/**
 * Whether Node loads `file` as an ES module: `.mjs`, or `.js` whose nearest package.json says
 * `"type": "module"` (looking no higher than the node_modules it is in, as Node does).
 */
function isEsModule(file) {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); basename(dir) !== 'node_modules' && dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = readManifest(join(dir, 'package.json'));
    if (manifest !== undefined) return manifest.type === 'module';
  }
  return false;
}

const PROBE = Symbol('probe');

/**
 * App bundle: a package stays outside (answered by the vendor bundle) when `require` finds CommonJS;
 * an ES-module-only package (p-queue) is bundled into the app. The sources are ES modules, so esbuild
 * reads an outside package's `default` as Node does a CommonJS one: its whole `module.exports`. Handed
 * an ES module by the vendor bundle, that `default` would be the module's namespace, not its default
 * export (`import_p_queue.default is not a constructor`); inside the app, esbuild links ES modules to
 * each other directly.
 */
const appPackages = {
  name: 'app-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === PROBE || isBuiltin(args.path)) return undefined;
      const found = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: PROBE });
      if (found.errors.length === 0 && isEsModule(found.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Packages left out of the vendor bundle: a native addon, and tools that load only to rebuild. */
const EXTERNAL = /^(esbuild|better-sqlite3|tsx|typescript)(\/|$)/;
/** Loaded on first call instead of at startup: cdktf zips assets with archiver, and no stack here has one. */
const LAZY = /^archiver$/;

/** Vendor bundle: packages inside, but for the external ones and archiver's lazy stand-in. */
const vendorPackages = {
  name: 'vendor-packages',
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

function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function fresh(manifest) {
  try {
    return manifest.inputs.every(([file, size, mtimeMs]) => {
      const s = statSync(file);
      return s.size === size && s.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

/**
 * Builds `esbuild` options into `out` atomically and records in `manifestFile` its inputs (`inputPath`
 * maps esbuild's relative paths; `alsoInputs` are added) and what `extra` takes from esbuild's output.
 */
async function buildInto(root, { out, manifestFile, options, extra, inputPath = (file) => join(root, file), alsoInputs = [] }) {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const { build } = await import('esbuild'); // only when rebuilding: loading and starting esbuild costs ~50 ms
  const result = await build({
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: tmp,
    metafile: true,
    logLevel: 'error',
    ...options,
  });
  const sources = Object.keys(result.metafile.inputs).filter((file) => !/^[a-z]+:/.test(file)); // not lazy:, virtual:
  const inputs = [...sources.map(inputPath), ...alsoInputs].map((file) => {
    const s = statSync(file);
    return [file, s.size, s.mtimeMs];
  });
  renameSync(tmp, out); // atomic: a concurrent run sees the old bundle or the new one, never half
  removeCodeCaches(out); // named after the old bundle's mtime, so never used again
  const manifest = { inputs, ...extra(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]]) };
  writeFileSync(`${manifestFile}.${process.pid}.tmp`, JSON.stringify(manifest));
  renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
  return manifest;
}

/** The packages (bare specifiers, deep paths included) a bundle output imports. */
function packagesImported(output) {
  const specifiers = output.imports.filter((i) => i.external && !isBuiltin(i.path) && !EXTERNAL.test(i.path)).map((i) => i.path);
  return [...new Set(specifiers)].sort();
}

/**
 * The first of `candidates` this process can write to; else a private temporary directory, removed at
 * exit (a read-only checkout or node_modules still synthesizes, only without keeping its bundles).
 */
function writableDir(...candidates) {
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      // not here: try the next
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'gitops-bundle-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Vendor bundles kept in one node_modules (one per set of imported packages); older ones are removed. */
const VENDOR_BUNDLES_KEPT = 4;

function pruneVendorBundles(dir, keep) {
  const bundles = readdirSync(dir)
    .filter((f) => /^vendor-[0-9a-f]+\.cjs$/.test(f))
    .map((f) => ({ file: join(dir, f), mtimeMs: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { file } of bundles.slice(keep)) {
    removeCodeCaches(file);
    rmSync(file, { force: true });
    rmSync(file.replace(/\.cjs$/, '.json'), { force: true });
  }
}

/**
 * Returns the paths of up-to-date bundles of `entry` (relative to `root`, by default this repository's):
 * `app`, in `<root>/.gitops/cache/`, whose package imports `vendor` answers (its exports are keyed by
 * specifier, each loaded on first access), and `root`, where the packages left outside resolve from.
 * The vendor bundle lives with the packages it was built from, in `node_modules/.cache/gitops/`, named
 * after the packages imported and how it is built: work trees sharing a node_modules share it, as they
 * already share the packages. Where node_modules is read-only it lives with the app bundle; where that
 * is too, both live in a temporary directory for this run. `cacheDir` (GITOPS_CACHE_DIR) holds both
 * instead, and nothing is written to the checkout or to node_modules.
 */
export async function bundle(entry, root = repositoryRoot, cacheDir = process.env.GITOPS_CACHE_DIR || undefined) {
  const name = createHash('sha1').update(`${root}:${entry}`).digest('hex').slice(0, 12);
  const dir = writableDir(cacheDir === undefined ? join(root, '.gitops', 'cache') : resolve(cacheDir));
  const app = join(dir, `${name}.cjs`);
  const appManifestFile = join(dir, `${name}.json`);

  let appManifest = readManifest(appManifestFile);
  if (!fresh(appManifest)) {
    appManifest = await buildInto(root, {
      out: app,
      manifestFile: appManifestFile,
      options: {
        entryPoints: [join(root, entry)],
        // A CommonJS package import stays a `require`, answered from the vendor bundle at run time.
        plugins: [appPackages, importMetaUrl(root)],
        // import() of cdktf becomes a lazy require(): loaded only when needed, and as plain CommonJS.
        supported: { 'dynamic-import': false },
      },
      extra: (output) => ({ entry, packages: packagesImported(output) }),
      alsoInputs: [fileURLToPath(import.meta.url)], // how it is built
    });
  }

  const packages = appManifest.packages;
  const nodeModules = realpathSync(join(root, 'node_modules'));
  const vendorDir = cacheDir === undefined ? writableDir(join(nodeModules, '.cache', 'gitops'), dir) : dir;
  const key = createHash('sha1')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(packages.join('\n'))
    .digest('hex')
    .slice(0, 12);
  const vendor = join(vendorDir, `vendor-${key}.cjs`);
  const vendorManifestFile = join(vendorDir, `vendor-${key}.json`);
  const vendorManifest = readManifest(vendorManifestFile);
  if (!fresh(vendorManifest) || JSON.stringify(vendorManifest.packages) !== JSON.stringify(packages)) {
    const getters = packages.map((p) => `  get ${JSON.stringify(p)}() { return require(${JSON.stringify(p)}); },`);
    await buildInto(root, {
      out: vendor,
      manifestFile: vendorManifestFile,
      options: {
        stdin: { contents: `module.exports = {\n${getters.join('\n')}\n};\n`, resolveDir: root, sourcefile: 'virtual:vendor.js' },
        plugins: [vendorPackages],
      },
      extra: () => ({ packages }),
      // Through the real node_modules: a work tree linking to it may be gone by the next check. How it
      // is built is in the name (the key hashes this file), not an input: work trees have their own copy.
      inputPath: (file) => (file.startsWith('node_modules/') ? join(nodeModules, file.slice('node_modules/'.length)) : join(root, file)),
    });
    pruneVendorBundles(vendorDir, VENDOR_BUNDLES_KEPT);
  }
  return { app, vendor, root };
}
