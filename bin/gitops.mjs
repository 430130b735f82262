#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx transpiles without type checking, so start-up stays fast).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../controller/cli.ts');
process.exitCode = await main(process.argv.slice(2));
