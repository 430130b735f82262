// The infrastructure commands, without the Probot side: bin/gitops.mjs runs them from a CommonJS
// bundle (no loader hooks, no ESM-to-CJS interop for the provider packages), which halves synth time.
import type { Io } from './command.js';
import { consoleIo, runCli } from './run.js';
import { validateCommand } from './validate.js';
import { synthCommand } from './synth.js';
import { stacksCommand } from './stacks.js';
import { planCommand, applyCommand } from './plan.js';
import { policyCommand } from './policy.js';

export const fastCommands = [validateCommand, synthCommand, stacksCommand, planCommand, applyCommand, policyCommand];

export function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  return runCli(fastCommands, argv, io);
}
