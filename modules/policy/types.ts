// A policy rule checks resources of the synthesized Terraform JSON (so raw overrides are checked too).

export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** One resource of a synthesized stack. */
export interface ResourceView {
  readonly type: string;
  readonly name: string;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A synthesized stack, with lookups rules need to follow references between resources. */
export interface StackView {
  readonly name: string;
  readonly resources: readonly ResourceView[];
  readonly providers: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  ofType(type: string): readonly ResourceView[];
  /** Resources of `type` whose `attribute` refers to `target` (e.g. `${aws_s3_bucket.b.id}`). */
  referencing(type: string, attribute: string, target: ResourceView): readonly ResourceView[];
}

/** `undefined` when the resource passes; otherwise why it fails, in one line. */
export type CheckOutcome = string | undefined;

export interface PolicyRule {
  /** Checkov id where one exists (e.g. `CKV_AWS_19`), else a `GITOPS_*` id. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Types the rule checks; `*` for every type (narrowed by `appliesTo`). */
  readonly resourceTypes: readonly string[];
  /** Further narrows which resources the rule checks (e.g. only taggable types). @default every resource of resourceTypes */
  appliesTo?(resource: ResourceView): boolean;
  readonly remediation: string;
  check(resource: ResourceView, stack: StackView): CheckOutcome;
}

/** The tags every taggable resource carries (from the environment file, plus `system`). */
export const REQUIRED_TAGS = ['environment', 'system', 'owner', 'cost-center'] as const;
