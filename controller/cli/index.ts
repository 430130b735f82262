// Every `gitops` subcommand, in the order `gitops --help` lists them.
import type { Command } from './command.js';
import { validateCommand } from './validate.js';
import { synthCommand } from './synth.js';
import { stacksCommand } from './stacks.js';
import { planCommand, applyCommand } from './plan.js';
import { policyCommand } from './policy.js';
import { checkBranchCommand } from './check-branch.js';
import { serveCommand } from './serve.js';
import { syncCommand } from './sync.js';
import { locksCommand } from './locks.js';
import { runsCommand } from './runs.js';

export const commands: readonly Command[] = [
  validateCommand,
  synthCommand,
  stacksCommand,
  planCommand,
  applyCommand,
  policyCommand,
  checkBranchCommand,
  syncCommand,
  serveCommand,
  locksCommand,
  runsCommand,
];
