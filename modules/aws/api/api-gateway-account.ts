// The account-and-region setting that lets API Gateway (v1, REST) write to CloudWatch Logs: REST
// stages cannot enable access or execution logging without it. It is a singleton per account
// and region, so create it once (e.g. in a shared stack), not per API.
import { Construct } from 'constructs';
import { ApiGatewayAccount } from '@cdktf/provider-aws/lib/api-gateway-account/index.js';
import { awsAccountContext } from '../security/account.js';
import { ServiceRole } from '../security/iam.js';

export class ApiGatewayAccountLogging extends Construct {
  public readonly role: ServiceRole;
  public readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new ServiceRole(this, 'role', {
      service: 'apigateway.amazonaws.com',
      description: 'API Gateway writes REST API access and execution logs to CloudWatch Logs',
      managedPolicyArns: [`arn:${awsAccountContext(this).partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`],
    });
    this.account = new ApiGatewayAccount(this, 'account', { cloudwatchRoleArn: this.role.arn });
  }
}
