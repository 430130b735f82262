export * from './errors.js';
export * from './summary.js';
export { TerraformRunner, type StackDir, type RunnerOptions, type PlanResult, type ApplyResult, type RunOptions } from './runner.js';
