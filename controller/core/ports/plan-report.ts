// What a pull request plan produces, in the core's terms. Plain data (JSON-serializable) so the store
// can keep a report and the comment and check-run renderers can re-render it later. The plan service
// (controller/plan/) and the terraform runner (controller/runner/) produce it; the core and the
// renderers read it.

export type ChangeAction = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read';

export interface AttributeChange {
  /** Dotted path, list items as `[i]` (e.g. `ingress[0].from_port`). */
  readonly path: string;
  /** `(sensitive)` when the value is sensitive; undefined when the attribute is new. */
  readonly before?: unknown;
  /** `(sensitive)` when sensitive; undefined when removed or not known until apply. */
  readonly after?: unknown;
  readonly sensitive: boolean;
  /** The value will be known only after apply. */
  readonly unknownAfter: boolean;
}

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly action: ChangeAction;
  readonly attributes: readonly AttributeChange[];
}

export interface PlanCounts {
  add: number;
  change: number;
  replace: number;
  destroy: number;
  noop: number;
  read: number;
}

export interface PlanSummary {
  readonly stack: string;
  readonly counts: PlanCounts;
  readonly hasChanges: boolean;
  /** Every resource change except no-ops. */
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly { name: string; action: ChangeAction }[];
}

export const SENSITIVE = '(sensitive)';

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
  /**
   * The affected stacks that exist at the head, in waves: a stack comes after the stacks it depends on (also
   * through stacks that are not affected); the stacks of one wave do not depend on each other. Read from the
   * head's synth output; absent when it has no order (see the warnings when it could not be read).
   */
  readonly order?: readonly (readonly string[])[];
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
  /** Present when the planner synthesizes (Planner.synthesizes). */
  readonly synthesized?: SynthesizedSides;
}
