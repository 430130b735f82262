#!/usr/bin/env node
// `gitops`. The infrastructure commands run from a CommonJS bundle of controller/cli/fast.ts (fast
// start, plain `require` of the providers); the rest run the TypeScript sources through tsx.
// Neither type-checks: that is `npm test` / `npm run lint`.
import { createRequire } from 'node:module';

// `gitops stacks | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const FAST = new Set(['validate', 'synth', 'stacks', 'plan', 'apply', 'policy']);
const argv = process.argv.slice(2);
let main;
if (FAST.has(argv[0]) && process.env.GITOPS_NO_BUNDLE !== '1') {
  const { bundle } = await import('./bundle.mjs');
  ({ main } = createRequire(import.meta.url)(await bundle('controller/cli/fast.ts')));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../controller/cli.ts'));
}
process.exitCode = await main(argv);
