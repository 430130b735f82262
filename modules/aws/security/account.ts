// One set of caller-identity / partition / region data sources per stack, shared by every
// construct that builds ARNs or policies, so a stack with ten keys reads its account once.
import { TerraformStack } from 'cdktf';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region/index.js';
import { Construct } from 'constructs';

export interface AwsAccountContext {
  /** The account id of the credentials the stack is applied with. */
  readonly accountId: string;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** The provider's region, e.g. `eu-west-1`. */
  readonly region: string;
}

const CONTEXT_ID = 'AwsAccountContext';

/** The stack-wide account context, created on first use. */
export function awsAccountContext(scope: Construct): AwsAccountContext {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CONTEXT_ID) as AccountContextConstruct | undefined;
  return existing ?? new AccountContextConstruct(stack, CONTEXT_ID);
}

class AccountContextConstruct extends Construct implements AwsAccountContext {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    this.region = new DataAwsRegion(this, 'region').region;
  }
}
