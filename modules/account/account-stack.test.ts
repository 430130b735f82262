import { Testing } from 'cdktf';
import { AccountStack, type AccountStackProps } from './account-stack.js';

type Json = { resource: Record<string, Record<string, Record<string, unknown>>> };
const synth = (props: Partial<AccountStackProps> = {}): Json =>
  JSON.parse(
    Testing.synth(new AccountStack(Testing.app(), 'account-test', { region: 'eu-west-1', accountId: '333333333333', ...props })),
  ) as Json;
const count = (json: Json, type: string) => Object.keys(json.resource[type] ?? {}).length;
const SECURITY_TYPES = ['aws_guardduty_detector', 'aws_config_configuration_recorder', 'aws_cloudtrail', 'aws_kms_key'];

describe('AccountStack', () => {
  test('GIVEN no organisation services WHEN synthesized THEN it holds GuardDuty, Config and the trail, logged a year under one key that CloudWatch Logs may use', () => {
    const json = synth();
    expect(SECURITY_TYPES.map((t) => count(json, t))).toEqual([1, 1, 1, 1]);
    expect(count(json, 'aws_api_gateway_account')).toBe(1);
    expect(Object.values(json.resource.aws_cloudwatch_log_group)[0]).toMatchObject({ retention_in_days: 365 });
    const policy = JSON.parse(Object.values(json.resource.aws_kms_key)[0].policy as string) as {
      Statement: { Principal?: { Service?: unknown } }[];
    };
    const services = policy.Statement.flatMap((s) => [s.Principal?.Service ?? []].flat());
    expect(services).toEqual(expect.arrayContaining(['cloudtrail.amazonaws.com', 'logs.eu-west-1.amazonaws.com']));
  });

  test('GIVEN a region other than the primary WHEN synthesized THEN no trail, and Config leaves the global resource types to the primary', () => {
    const json = synth({ region: 'eu-central-1', primaryRegion: false });
    expect(SECURITY_TYPES.map((t) => count(json, t))).toEqual([1, 1, 0, 1]);
    expect(Object.values(json.resource.aws_config_configuration_recorder)[0].recording_group).toMatchObject({
      include_global_resource_types: false,
    });
  });

  test('GIVEN the organisation runs some or all of the services WHEN synthesized THEN the stack creates only the others', () => {
    expect(SECURITY_TYPES.map((t) => count(synth({ managedByOrganization: ['guardDuty'] }), t))).toEqual([0, 1, 1, 1]);
    expect(SECURITY_TYPES.map((t) => count(synth({ managedByOrganization: ['config', 'cloudTrail'] }), t))).toEqual([1, 0, 0, 0]);
    const none = synth({ managedByOrganization: ['guardDuty', 'config', 'cloudTrail'] });
    expect(SECURITY_TYPES.map((t) => count(none, t))).toEqual([0, 0, 0, 0]);
    expect(count(none, 'aws_api_gateway_account')).toBe(1);
  });

  test('GIVEN an unknown service and a retention CloudWatch Logs does not offer WHEN constructed THEN one error names both and the allowed values', () => {
    expect(() => synth({ managedByOrganization: ['securityHub' as never], trailLogRetentionDays: 100 })).toThrow(
      'AccountStack account-test: trailLogRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 100); ' +
        'managedByOrganization must be one of "guardDuty", "config", "cloudTrail" (got "securityHub")',
    );
  });
});
