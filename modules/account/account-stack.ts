// Settings that exist once per AWS account and region, shared by every system deployed there.
// They live in their own stack (`account-<env>[-<region>]`) so no system owns, or overwrites, them.
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { ApiGatewayAccountLogging } from '../aws/api/api-gateway-account.js';

export interface AccountStackProps {
  /** The AWS region of the site. */
  readonly region: string;
  /** The environment's AWS account id; the provider refuses any other account. */
  readonly accountId: string;
}

/** Account/region singletons: today the CloudWatch Logs role REST API stages need before they can log. */
export class AccountStack extends TerraformStack {
  readonly apiGatewayLogging: ApiGatewayAccountLogging;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: props.region, allowedAccountIds: [props.accountId] });
    this.apiGatewayLogging = new ApiGatewayAccountLogging(this, 'api-gateway-logging');
  }
}
