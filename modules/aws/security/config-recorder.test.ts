import { SecureBucket } from '../data/s3-bucket.js';
import { ConfigRecorder } from './config-recorder.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('ConfigRecorder', () => {
  test('GIVEN no props WHEN synthesized THEN all supported types incl. global ones are recorded continuously and the recorder is on', () => {
    const json = synth((s) => new ConfigRecorder(s, 'config'));
    const [recorder] = resourcesOf(json, 'aws_config_configuration_recorder');
    expect(recorder).toMatchObject({
      name: 'default',
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\..+\.arn\}$/),
      recording_group: { all_supported: true, include_global_resource_types: true },
      recording_mode: { recording_frequency: 'CONTINUOUS' },
    });
    const [channel] = resourcesOf(json, 'aws_config_delivery_channel');
    expect(channel).toMatchObject({
      name: 'default',
      s3_bucket_name: expect.stringMatching(/^\$\{aws_s3_bucket\..+\.id\}$/),
      s3_key_prefix: 'config',
      snapshot_delivery_properties: { delivery_frequency: 'TwentyFour_Hours' },
    });
    expect(channel.s3_kms_key_arn).toBeUndefined();
    expect(channel.depends_on).toEqual([
      expect.stringMatching(/^aws_config_configuration_recorder\./),
      expect.stringMatching(/^aws_s3_bucket_policy\./),
    ]);
    const [status] = resourcesOf(json, 'aws_config_configuration_recorder_status');
    expect(status).toMatchObject({ is_enabled: true, depends_on: [expect.stringMatching(/^aws_config_delivery_channel\./)] });
    expect(resourcesOf(json, 'aws_s3_bucket')[0].bucket_prefix).toBe('config-');
  });

  test('GIVEN the role WHEN synthesized THEN it trusts Config, has AWS_ConfigRole and may write only under its delivery path', () => {
    const json = synth((s) => new ConfigRecorder(s, 'config'));
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'config.amazonaws.com' });
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')[0].policy_arn).toMatch(
      /^arn:\$\{data\.aws_partition\..+\}:iam::aws:policy\/service-role\/AWS_ConfigRole$/,
    );
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements).toEqual([
      {
        Sid: 'ConfigBucketAcl',
        Effect: 'Allow',
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}$/),
      },
      {
        Sid: 'ConfigDelivery',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: expect.stringMatching(
          /^\$\{aws_s3_bucket\..+\.arn\}\/config\/AWSLogs\/\$\{data\.aws_caller_identity\..+\.account_id\}\/Config\/\*$/,
        ),
      },
    ]);
  });

  test('GIVEN the bucket WHEN synthesized THEN its policy admits Config from this account only', () => {
    const json = synth((s) => new ConfigRecorder(s, 'config'));
    const statements = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[0].policy).Statement;
    const delivery = statements.find((st: { Sid: string }) => st.Sid === 'AWSConfigBucketDelivery');
    expect(delivery).toMatchObject({ Principal: { Service: ['config.amazonaws.com'] }, Action: ['s3:PutObject'] });
    expect(delivery.Condition.StringEquals).toEqual({
      's3:x-amz-acl': ['bucket-owner-full-control'],
      'aws:SourceAccount': [expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/)],
    });
    const check = statements.find((st: { Sid: string }) => st.Sid === 'AWSConfigBucketCheck');
    expect(check).toMatchObject({ Action: ['s3:GetBucketAcl', 's3:ListBucket'] });
    expect(Object.keys(check.Condition.StringEquals)).toEqual(['aws:SourceAccount']);
  });

  test('GIVEN a secondary region WHEN synthesized THEN global resource types are not recorded', () => {
    const json = synth((s) => new ConfigRecorder(s, 'config', { includeGlobalResourceTypes: false }));
    expect(resourcesOf(json, 'aws_config_configuration_recorder')[0].recording_group.include_global_resource_types).toBe(false);
  });

  test('GIVEN a key, bucket, prefix, frequencies and name WHEN synthesized THEN they are used and the role may use the key', () => {
    const json = synth((s) => {
      const bucket = new SecureBucket(s, 'logs', { bucketPrefix: 'org-logs-', kmsKeyArn: KEY });
      new ConfigRecorder(s, 'config', {
        bucket,
        kmsKeyArn: KEY,
        s3KeyPrefix: 'aws-config',
        snapshotFrequency: 'Six_Hours',
        recordingFrequency: 'DAILY',
        name: 'main',
      });
    });
    expect(resourcesOf(json, 'aws_s3_bucket')).toHaveLength(1);
    expect(resourcesOf(json, 'aws_config_configuration_recorder')[0]).toMatchObject({
      name: 'main',
      recording_mode: { recording_frequency: 'DAILY' },
    });
    expect(resourcesOf(json, 'aws_config_delivery_channel')[0]).toMatchObject({
      name: 'main',
      s3_kms_key_arn: KEY,
      s3_key_prefix: 'aws-config',
      snapshot_delivery_properties: { delivery_frequency: 'Six_Hours' },
    });
    const statements = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statements.map((st: { Sid: string }) => st.Sid)).toEqual([
      'DecryptWithKeys',
      'EncryptWithKeys',
      'ConfigBucketAcl',
      'ConfigDelivery',
    ]);
    expect(statements[3].Resource).toMatch(/\/aws-config\/AWSLogs\//);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with the allowed values', () => {
    expect(() =>
      synth(
        (s) =>
          new ConfigRecorder(s, 'config', {
            name: 'has space',
            s3KeyPrefix: 'config/',
            kmsKeyArn: 'key',
            snapshotFrequency: 'Daily' as never,
            recordingFrequency: 'HOURLY' as never,
          }),
      ),
    ).toThrow(
      'ConfigRecorder stack/config: name must be 1-256 letters, digits and ._- (got "has space"); ' +
        's3KeyPrefix must be S3 key segments without leading or trailing "/" (got "config/"); ' +
        'kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "key"); ' +
        'snapshotFrequency must be one of "One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours" (got "Daily"); ' +
        'recordingFrequency must be one of "CONTINUOUS", "DAILY" (got "HOURLY")',
    );
  });
});
