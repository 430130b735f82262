// Runs a CommonJS bundle with a V8 code cache beside it (Node 20 has no module compile cache of its
// own): compiling the bundle's ~9 MB, and then each function as it first runs, costs more than
// reading the bytecode back. A cache is written by the first run of a command that lacks one, after
// the work (so it holds what that command compiled), and is named after the bundle's mtime and size,
// the command and the Node version: a rebuilt bundle never meets an old cache. GITOPS_CODE_CACHE=0
// turns it off.
import { readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

/** The cache file for `bundle` run as `tag` (a command name). */
export function codeCacheFile(bundle, tag) {
  const { mtimeMs, size } = statSync(bundle);
  return `${bundle}.${tag}.${Math.round(mtimeMs)}-${size}.${process.version}.v8cache`;
}

/** Removes the code caches of `bundle` (all commands, all builds): called when the bundle is rebuilt. */
export function removeCodeCaches(bundle) {
  const prefix = `${basename(bundle)}.`;
  for (const f of readdirSync(dirname(bundle))) {
    if (f.startsWith(prefix) && f.endsWith('.v8cache')) rmSync(join(dirname(bundle), f), { force: true });
  }
}

/**
 * Loads `file` as `require` would (its own `require` is `requireFn`) and returns its exports, what
 * happened to the cache (`used`, `missing`, `rejected` by V8, or `off`), and `save()`, which writes the
 * cache unless one was used.
 */
export function requireWithCodeCache(file, tag, requireFn = createRequire(file)) {
  const enabled = process.env.GITOPS_CODE_CACHE !== '0';
  const cacheFile = enabled ? codeCacheFile(file, tag) : undefined;
  let cachedData;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    cachedData = undefined; // no cache yet: compiled from source, written by save()
  }
  const source = readFileSync(file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireFn, module, file, dirname(file));
  const cache = !enabled ? 'off' : cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  return {
    exports: module.exports,
    cache,
    save() {
      if (cache !== 'missing' && cache !== 'rejected') return;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile); // atomic: a concurrent run reads no cache or a whole one
      } catch {
        // a read-only checkout still runs, only without the cache
      }
    },
  };
}

/**
 * Loads an app bundle whose package imports its vendor bundle answers (see bin/bundle.mjs), both with
 * code caches for `tag`, the other packages resolving from `root`; `save()` writes any missing cache.
 */
export function requireBundles({ app, vendor, root }, tag) {
  // Packages left outside the vendor bundle resolve from the checkout (the bundles may live elsewhere).
  const nodeRequire = createRequire(join(root, 'package.json'));
  const packages = requireWithCodeCache(vendor, tag, nodeRequire);
  const loaded = requireWithCodeCache(app, tag, (id) => (Object.hasOwn(packages.exports, id) ? packages.exports[id] : nodeRequire(id)));
  return {
    exports: loaded.exports,
    save() {
      loaded.save();
      packages.save();
    },
  };
}
