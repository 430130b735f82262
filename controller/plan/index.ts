export * from './types.js';
export * from './inputs.js';
export { affectedStacks, diffAttributes, diffStack, diffStacks } from './diff.js';
export {
  DependencyCache,
  DependencyInstallError,
  lockfileHash,
  NPM_CI,
  type DependencyCacheOptions,
  type Installer,
  type LinkedDependencies,
} from './deps.js';
export {
  DENIED_VARIABLES,
  INHERITED_VARIABLES,
  isDeniedVariable,
  runSandboxed,
  sandboxEnv,
  type SandboxEnvOptions,
  type SandboxResult,
  type SandboxRunOptions,
} from './sandbox.js';
export { readStacks, synthWorkTree, SynthError, type SynthRequest } from './synth.js';
export { cacheDirName, displayUrl, WorkTrees, type CheckoutRequest, type WorkTree, type WorkTreesOptions } from './worktrees.js';
export { PlanService, type PlanRequest, type PlanServiceOptions, type StackPlanner } from './service.js';
