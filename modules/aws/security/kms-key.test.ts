import { TerraformOutput } from 'cdktf';
import { KmsKey, type KmsKeyProps } from './kms-key.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const keyOf = (props: KmsKeyProps) =>
  resourcesOf(
    synth((s) => new KmsKey(s, 'key', props)),
    'aws_kms_key',
  )[0];
const policyOf = (props: KmsKeyProps) => JSON.parse(keyOf(props).policy);

describe('KmsKey', () => {
  test('GIVEN only a description WHEN synthesized THEN rotation is on yearly, deletion waits 30 days and no alias exists', () => {
    const json = synth((s) => new KmsKey(s, 'key', { description: 'orders data' }));
    expect(resourcesOf(json, 'aws_kms_key')).toEqual([
      expect.objectContaining({
        description: 'orders data',
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: 30,
      }),
    ]);
    expect(json.resource.aws_kms_alias).toBeUndefined();
  });

  test('GIVEN no service principals WHEN synthesized THEN only the account root administers the key', () => {
    const policy = policyOf({ description: 'd' });
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({ Sid: 'AccountRootAdministers', Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    expect(policy.Statement[0].Principal.AWS).toMatch(
      /^arn:\$\{data\.aws_partition\..+\}:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/,
    );
  });

  test('GIVEN an alias, a deletion window and a rotation period WHEN synthesized THEN they are applied', () => {
    const json = synth((s) => {
      const key = new KmsKey(s, 'key', { description: 'd', alias: 'payments/data', deletionWindowInDays: 7, rotationPeriodInDays: 90 });
      expect(key.aliasName).toBe('alias/payments/data');
    });
    expect(resourcesOf(json, 'aws_kms_key')[0]).toMatchObject({ deletion_window_in_days: 7, rotation_period_in_days: 90 });
    expect(resourcesOf(json, 'aws_kms_alias')).toEqual([
      { name: 'alias/payments/data', target_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.key_id\}$/) },
    ]);
  });

  test('GIVEN the logs principal WHEN synthesized THEN it may use the key only for this account’s log groups in its region', () => {
    const statement = policyOf({ description: 'd', servicePrincipals: ['logs.eu-west-1.amazonaws.com'] }).Statement[1];
    expect(statement).toMatchObject({
      Sid: 'ServiceUseLogsEuWest1AmazonawsCom',
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    });
    expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toMatch(
      /:logs:eu-west-1:\$\{data\.aws_caller_identity\..+\}:log-group:\*$/,
    );
  });

  test('GIVEN the CloudTrail principal WHEN synthesized THEN it may generate data keys for this account’s trails and describe the key', () => {
    const [, generate, describeKey] = policyOf({ description: 'd', servicePrincipals: ['cloudtrail.amazonaws.com'] }).Statement;
    expect(generate).toMatchObject({ Action: 'kms:GenerateDataKey*', Principal: { Service: 'cloudtrail.amazonaws.com' } });
    expect(generate.Condition.StringLike['kms:EncryptionContext:aws:cloudtrail:arn']).toMatch(
      /:cloudtrail:\*:\$\{data\.aws_caller_identity\..+\}:trail\/\*$/,
    );
    expect(describeKey).toMatchObject({ Action: 'kms:DescribeKey', Principal: { Service: 'cloudtrail.amazonaws.com' } });
    expect(describeKey.Condition).toBeUndefined();
  });

  test('GIVEN another service listed twice WHEN synthesized THEN it gets one unconditioned use statement', () => {
    const statements = policyOf({ description: 'd', servicePrincipals: ['sns.amazonaws.com', 'sns.amazonaws.com'] }).Statement;
    expect(statements).toHaveLength(2);
    expect(statements[1]).toEqual({
      Sid: 'ServiceUseSnsAmazonawsCom',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    });
  });

  test('GIVEN the key WHEN its fields are read THEN arn and keyId reference the key resource', () => {
    const json = synth((s) => {
      const key = new KmsKey(s, 'key', { description: 'd' });
      new TerraformOutput(s, 'fields', { value: `${key.arn}|${key.keyId}` });
    });
    expect(json.output.fields.value).toMatch(/^\$\{aws_kms_key\.key_\w+\.arn\}\|\$\{aws_kms_key\.key_\w+\.key_id\}$/);
  });

  test('GIVEN every prop wrong WHEN constructed THEN one error lists each bad value with what is allowed', () => {
    expect(() =>
      synth(
        (s) =>
          new KmsKey(s, 'key', {
            description: '',
            alias: 'alias/x',
            deletionWindowInDays: 3,
            rotationPeriodInDays: 30,
            servicePrincipals: ['logs', 'arn:aws:iam::123456789012:root'],
          }),
      ),
    ).toThrow(
      'KmsKey stack/key: description must be 1-8192 characters (got ""); ' +
        'alias must be letters, digits, /_- without the "alias/" prefix and not starting "aws/" (got "alias/x"); ' +
        'deletionWindowInDays must be an integer between 7 and 30 (got 3); ' +
        'rotationPeriodInDays must be an integer between 90 and 2560 (got 30); ' +
        'servicePrincipals must be service principals like "logs.eu-west-1.amazonaws.com" (got "logs"); ' +
        'servicePrincipals must be service principals like "logs.eu-west-1.amazonaws.com" (got "arn:aws:iam::123456789012:root")',
    );
  });

  test('GIVEN an alias in the reserved aws/ namespace WHEN constructed THEN it is refused', () => {
    expect(() => synth((s) => new KmsKey(s, 'key', { description: 'd', alias: 'aws/s3' }))).toThrow(/alias must be .* \(got "aws\/s3"\)/);
  });
});
