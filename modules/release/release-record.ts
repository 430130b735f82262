import { TerraformOutput, TerraformResource, anyToTerraform, hashMapper } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Terraform's builtin `terraform_data` resource (Terraform ≥ 1.4), with the same output as cdktf's
 * `DataResource` but without its synth-time validation, which spawns `terraform version` once per
 * resource: the release stacks are synthesized on every push, and the runner needs terraform anyway.
 */
export class TerraformDataRecord extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly input: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
  }

  get id(): string {
    return this.getStringAttribute('id');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: hashMapper(anyToTerraform)(this.input) };
  }
}

export interface ReleaseRecordProps {
  /** Environment being released (e.g. `prod`). */
  readonly environment: string;
  /** The commit SHA being deployed. */
  readonly commitSha: string;
  /** The version being deployed (package version, release branch or tag). */
  readonly version: string;
  /**
   * Stacks of the environment this release carries, recorded for the audit trail.
   * @default []
   */
  readonly stacks?: readonly string[];
}

/**
 * Records which commit and version is deployed to an environment, with the builtin
 * `terraform_data` resource only, so it plans and applies without any provider download.
 */
export class ReleaseRecord extends Construct {
  readonly record: TerraformDataRecord;

  constructor(scope: Construct, id: string, props: ReleaseRecordProps) {
    super(scope, id);
    const problems: string[] = [];
    if (!/^[0-9a-f]{7,64}$/.test(props.commitSha)) {
      problems.push(`commitSha must be 7-64 lowercase hex characters (got ${JSON.stringify(props.commitSha)})`);
    }
    if (props.version.trim() === '') problems.push('version must not be empty');
    if (problems.length > 0) throw new Error(`ReleaseRecord ${this.node.path}: ${problems.join('; ')}`);

    this.record = new TerraformDataRecord(this, 'release', {
      environment: props.environment,
      commit_sha: props.commitSha,
      version: props.version,
      stacks: [...(props.stacks ?? [])],
    });
    new TerraformOutput(this, 'commit_sha', { value: props.commitSha, description: 'Commit deployed to this environment' });
    new TerraformOutput(this, 'version', { value: props.version, description: 'Version deployed to this environment' });
    new TerraformOutput(this, 'record_id', { value: this.record.id, description: 'Id of the release record' });
  }
}
