#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx transpiles without type checking, so start-up stays fast).
import { register } from 'tsx/esm/api';

register();
// `gitops stacks | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const { main } = await import('../controller/cli.ts');
process.exitCode = await main(process.argv.slice(2));
