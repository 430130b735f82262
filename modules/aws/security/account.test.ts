import { TerraformOutput, Testing } from 'cdktf';
import { awsAccountContext } from './account.js';

describe('awsAccountContext', () => {
  test('GIVEN two callers in one stack WHEN asked THEN they share one set of data sources', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const a = awsAccountContext(scope);
        const b = awsAccountContext(scope);
        expect(b).toBe(a);
      }),
    );
    expect(Object.keys(json.data.aws_caller_identity)).toHaveLength(1);
    expect(Object.keys(json.data.aws_partition)).toHaveLength(1);
    expect(Object.keys(json.data.aws_region)).toHaveLength(1);
  });

  test('GIVEN the context WHEN its fields are interpolated THEN they resolve to the account, partition and region attributes', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const ctx = awsAccountContext(scope);
        new TerraformOutput(scope, 'joined', { value: `${ctx.partition}|${ctx.accountId}|${ctx.region}` });
      }),
    );
    expect(json.output.joined.value).toMatch(
      /^\$\{data\.aws_partition\.[\w-]+\.partition\}\|\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}\|\$\{data\.aws_region\.[\w-]+\.region\}$/,
    );
  });
});
