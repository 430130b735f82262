#!/usr/bin/env node
// `gitops`. The infrastructure commands run from CommonJS bundles of controller/cli/fast.ts and of the
// packages it imports (bin/bundle.mjs), with a V8 code cache per command (bin/code-cache.mjs); the
// rest run the TypeScript sources through tsx. Neither type-checks: that is `npm test` / `npm run lint`.
// GITOPS_CACHE_DIR puts the bundles and code caches in that directory instead of the checkout and
// node_modules (the controller gives each synth of a pull request its own).

import { fileURLToPath, pathToFileURL } from 'node:url';

// `gitops stacks | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const FAST = new Set(['validate', 'synth', 'stacks', 'plan', 'apply', 'policy']);
const argv = process.argv.slice(2);
if (FAST.has(argv[0]) && process.env.GITOPS_NO_BUNDLE !== '1') {
  const [{ bundle }, { requireBundles }] = await Promise.all([import('./bundle.mjs'), import('./code-cache.mjs')]);
  const loaded = requireBundles(await bundle('controller/cli/fast.ts'), argv[0]);
  process.exitCode = await loaded.exports.main(argv);
  loaded.save();
} else {
  // `serve` runs the JavaScript build (dist/, bin/built.mjs) when it is up to date.
  const built = argv[0] === 'serve' ? (await import('./built.mjs')).builtCli(fileURLToPath(new URL('..', import.meta.url))) : undefined;
  if (!built) (await import('tsx/esm/api')).register();
  const { main } = await import(built ? pathToFileURL(built).href : '../controller/cli.ts');
  process.exitCode = await main(argv);
}
