// The terraform runner port: plan one synthesized stack into a saved plan, and apply exactly that
// plan. The local runner (controller/runner/runner.ts) implements it in per-job work directories.
import type { PlanSummary } from './plan-report.js';

/** A synthesized stack: `dir` holds its cdk.tf.json (a cdktf.out/stacks/<name> directory). */
export interface StackDir {
  readonly name: string;
  readonly dir: string;
}

export interface PlanResult {
  readonly stack: string;
  /** The saved plan: apply takes exactly this file. */
  readonly planFile: string;
  readonly workDir: string;
  readonly summary: PlanSummary;
  readonly planJson: unknown;
  readonly log: string;
  /** Made from pull request configuration in the sandbox: the runner refuses to apply it. @default false */
  readonly untrusted?: boolean;
}

export interface ApplyResult {
  readonly stack: string;
  readonly log: string;
  readonly outputs: Record<string, unknown>;
}

/**
 * The variables terraform runs with for one environment, beside PATH, HOME and its own settings:
 * `plan` (read-only) goes to init, plan and show; `apply` (write) to apply and output only.
 */
export interface TerraformCredentials {
  readonly plan: Readonly<Record<string, string>>;
  readonly apply: Readonly<Record<string, string>>;
}

export interface RunOptions {
  readonly jobId?: string;
  readonly signal?: AbortSignal;
  /** Per call, as runs of different environments share one runner. @default none: terraform gets no credential */
  readonly credentials?: TerraformCredentials;
  /**
   * The configuration comes from a pull request (not yet reviewed and merged): terraform runs in the runner's
   * sandbox, where it sees its own work directory and nothing of the controller. @default false
   */
  readonly untrusted?: boolean;
}

export interface StackRunner {
  plan(stack: StackDir, opts?: RunOptions): Promise<PlanResult>;
  /** Applies the saved plan of `plan`, nothing else. */
  apply(plan: PlanResult, opts?: RunOptions): Promise<ApplyResult>;
}
