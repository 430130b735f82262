import { Fn, TerraformOutput } from 'cdktf';
import { LOG_RETENTION_DAYS, LogGroup } from './log-group.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('LogGroup', () => {
  test('GIVEN a name and retention WHEN synthesized THEN the group keeps logs that long and uses no custom key', () => {
    const json = synth((s) => new LogGroup(s, 'logs', { name: '/aws/lambda/resize', retentionInDays: 30 }));
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/lambda/resize', retention_in_days: 30 }]);
  });

  test('GIVEN a key WHEN synthesized THEN the group is encrypted with it', () => {
    const json = synth((s) => new LogGroup(s, 'logs', { name: 'app', retentionInDays: 365, kmsKeyArn: KEY }));
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0].kms_key_id).toBe(KEY);
  });

  test('GIVEN a token key and token name WHEN synthesized THEN validation skips them', () => {
    const json = synth((s) => new LogGroup(s, 'logs', { name: Fn.lower('APP'), retentionInDays: 7, kmsKeyArn: Fn.lower('K') }));
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: '${lower("APP")}', kms_key_id: '${lower("K")}' });
  });

  test('GIVEN the group WHEN its fields are interpolated THEN name and arn reference it', () => {
    const json = synth((s) => {
      const group = new LogGroup(s, 'logs', { name: 'app', retentionInDays: 7 });
      new TerraformOutput(s, 'fields', { value: `${group.name}|${group.arn}` });
    });
    expect(json.output.fields.value).toMatch(
      /^\$\{aws_cloudwatch_log_group\.logs_log-group_\w+\.name\}\|\$\{aws_cloudwatch_log_group\.logs_log-group_\w+\.arn\}$/,
    );
  });

  test('GIVEN every retention CloudWatch accepts WHEN constructed THEN each is accepted', () => {
    synth((s) => LOG_RETENTION_DAYS.forEach((days) => new LogGroup(s, `d${days}`, { name: `g${days}`, retentionInDays: days })));
  });

  test('GIVEN a bad name, never-expiring retention and a non-key ARN WHEN constructed THEN one error lists each with the allowed values', () => {
    expect(() => synth((s) => new LogGroup(s, 'logs', { name: 'has space', retentionInDays: 0, kmsKeyArn: 'alias/logs' }))).toThrow(
      'LogGroup stack/logs: name must be 1-512 characters of letters, digits and ._-/# (got "has space"); ' +
        'retentionInDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 0); ' +
        'kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "alias/logs")',
    );
  });
});
