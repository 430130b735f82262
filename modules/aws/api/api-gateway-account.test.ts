import { onlyResource, synth } from '../../../test/modules/synth.js';
import { ApiGatewayAccountLogging } from './api-gateway-account.js';

describe('ApiGatewayAccountLogging', () => {
  test('GIVEN the construct WHEN synthesized THEN API Gateway assumes a role with the push-to-CloudWatch policy and the account uses it', () => {
    const s = synth((scope) => new ApiGatewayAccountLogging(scope, 'logging'));
    const trust = JSON.parse(onlyResource(s, 'aws_iam_role').assume_role_policy as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
    expect(onlyResource(s, 'aws_iam_role_policy_attachment').policy_arn).toMatch(
      /^arn:\$\{data\.aws_partition\..*\}:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/,
    );
    expect(onlyResource(s, 'aws_api_gateway_account').cloudwatch_role_arn).toMatch(/aws_iam_role\..*\.arn/);
  });
});
