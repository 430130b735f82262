// The shapes a pull request plan produces. Plain data (JSON-serializable) so the store can keep
// a report and the comment/check-run renderers can re-render it later.
import type { AttributeChange, ChangeAction, PlanSummary, ResourceChange } from '../runner/index.js';

export type { AttributeChange, ChangeAction, PlanSummary, ResourceChange };

/** A synthesized Terraform JSON document (`cdktf.out/stacks/<name>/cdk.tf.json`). */
export type TerraformJson = Readonly<Record<string, unknown>>;

/** Stacks by name, as read from one synth output directory. */
export type SynthStacks = Readonly<Record<string, TerraformJson>>;

export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** The difference of one stack between the base and the head synth (configuration, not state). */
export interface StackDiff {
  readonly stack: string;
  readonly status: StackStatus;
  /** Resources, data sources (`data.type.name`) and modules (`module.name`) that differ; action is create, update or delete. */
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly { readonly name: string; readonly action: ChangeAction }[];
  /** Differences in the `terraform`, `provider`, `variable` and `locals` blocks, as attribute paths. */
  readonly settings: readonly AttributeChange[];
}

export interface StackReport {
  readonly name: string;
  readonly status: StackStatus;
  /** `terraform`: a real plan against state; `synth`: only the configuration diff (see unavailableReason). */
  readonly source: 'terraform' | 'synth';
  readonly summary?: PlanSummary;
  readonly synthDiff?: StackDiff;
  /** Why there is no terraform plan (one line), when source is `synth`. */
  readonly unavailableReason?: string;
  /** The saved plan file of a terraform plan (the plan artifact). */
  readonly planFile?: string;
}

export interface PlanReport {
  readonly environment: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** Affected stacks of the environment, in name order with `release-<env>` last. */
  readonly stacks: readonly StackReport[];
  /** Things a reviewer should know that did not stop the plan (e.g. the base did not synthesize). */
  readonly warnings: readonly string[];
  /** ISO 8601. */
  readonly startedAt: string;
  readonly finishedAt: string;
}

/** Both synth outputs of a plan, for checks that read the configuration itself (the policy gate). Never stored: large. */
export interface SynthesizedSides {
  /** Every stack of the environment at the head. */
  readonly head: SynthStacks;
  /** Every stack of the environment at the base; undefined when the base did not synthesize (see the report's warnings). */
  readonly base?: SynthStacks;
}

/** A plan together with the synthesized configuration it was made from. */
export interface PlannedPullRequest {
  readonly report: PlanReport;
  readonly synthesized: SynthesizedSides;
}
