// Account, region and partition of the stack's default provider, read once per stack.
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region/index.js';

const CONTEXT_ID = 'aws-context-messaging';

export class AwsContext extends Construct {
  public readonly accountId: string;
  public readonly region: string;
  public readonly partition: string;

  /** The stack's single instance, created on first use. */
  static of(scope: Construct): AwsContext {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(CONTEXT_ID) as AwsContext | undefined) ?? new AwsContext(stack, CONTEXT_ID);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.region = new DataAwsRegion(this, 'region').region;
    this.partition = new DataAwsPartition(this, 'partition').partition;
  }
}
