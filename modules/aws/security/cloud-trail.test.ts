import { SecureBucket } from '../data/s3-bucket.js';
import { CloudTrail } from './cloud-trail.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TRAIL_ARN =
  /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:cloudtrail:\$\{data\.aws_region\.[\w-]+\.region\}:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:trail\/audit$/;

describe('CloudTrail', () => {
  test('GIVEN only a name WHEN synthesized THEN the trail is multi-region, validated, logging and KMS-encrypted with its own key', () => {
    const json = synth((s) => new CloudTrail(s, 'trail', { name: 'audit' }));
    const [trail] = resourcesOf(json, 'aws_cloudtrail');
    expect(trail).toMatchObject({
      name: 'audit',
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      s3_key_prefix: 'cloudtrail',
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
      s3_bucket_name: expect.stringMatching(/^\$\{aws_s3_bucket\..+\.id\}$/),
    });
    expect(trail.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\./)]);
    expect(trail.cloud_watch_logs_group_arn).toBeUndefined();
    const [key] = resourcesOf(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.parse(key.policy).Statement.map((st: { Sid: string }) => st.Sid)).toEqual([
      'AccountRootAdministers',
      'ServiceUseCloudtrailAmazonawsCom',
      'ServiceUseCloudtrailAmazonawsComDescribe',
    ]);
    expect(resourcesOf(json, 'aws_s3_bucket')[0].bucket_prefix).toBe('cloudtrail-');
    expect(
      resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default,
    ).toMatchObject({
      sse_algorithm: 'aws:kms',
      kms_master_key_id: trail.kms_key_id,
    });
  });

  test('GIVEN a trail WHEN synthesized THEN the bucket policy lets only this trail check the ACL and write under its prefix', () => {
    const json = synth((s) => new CloudTrail(s, 'trail', { name: 'audit' }));
    const statements = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[0].policy).Statement;
    const acl = statements.find((st: { Sid: string }) => st.Sid === 'CloudTrailAclCheckaudit');
    const write = statements.find((st: { Sid: string }) => st.Sid === 'CloudTrailWriteaudit');
    expect(acl).toMatchObject({ Effect: 'Allow', Principal: { Service: ['cloudtrail.amazonaws.com'] }, Action: ['s3:GetBucketAcl'] });
    expect(acl.Resource).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}$/)]);
    expect(acl.Condition.StringEquals['aws:SourceArn'][0]).toMatch(TRAIL_ARN);
    expect(write).toMatchObject({ Action: ['s3:PutObject'] });
    expect(write.Resource[0]).toMatch(
      /^\$\{aws_s3_bucket\..+\.arn\}\/cloudtrail\/AWSLogs\/\$\{data\.aws_caller_identity\..+\.account_id\}\/\*$/,
    );
    expect(write.Condition.StringEquals['s3:x-amz-acl']).toEqual(['bucket-owner-full-control']);
    expect(write.Condition.StringEquals['aws:SourceArn'][0]).toMatch(TRAIL_ARN);
    expect(statements.map((st: { Sid: string }) => st.Sid)).toContain('DenyInsecureTransport');
  });

  test('GIVEN a bucket, key and prefix WHEN synthesized THEN the trail uses them and creates neither key nor bucket', () => {
    const json = synth((s) => {
      const bucket = new SecureBucket(s, 'logs', { bucketPrefix: 'org-logs-' });
      const trail = new CloudTrail(s, 'trail', { name: 'audit', bucket, kmsKeyArn: KEY, s3KeyPrefix: 'trails/audit' });
      expect(trail.bucket).toBe(bucket);
      expect(trail.kmsKey).toBeUndefined();
    });
    expect(resourcesOf(json, 'aws_cloudtrail')[0]).toMatchObject({ kms_key_id: KEY, s3_key_prefix: 'trails/audit' });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(resourcesOf(json, 'aws_s3_bucket')).toHaveLength(1);
    const write = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[0].policy).Statement.find(
      (st: { Sid: string }) => st.Sid === 'CloudTrailWriteaudit',
    );
    expect(write.Resource[0]).toMatch(/\/trails\/audit\/AWSLogs\//);
  });

  test('GIVEN two trails on one bucket WHEN synthesized THEN each adds its own statements', () => {
    const json = synth((s) => {
      const bucket = new SecureBucket(s, 'logs', { bucketPrefix: 'org-logs-' });
      new CloudTrail(s, 'a', { name: 'audit-a', bucket, kmsKeyArn: KEY });
      new CloudTrail(s, 'b', { name: 'audit_b', bucket, kmsKeyArn: KEY });
    });
    const sids = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[0].policy).Statement.map((st: { Sid: string }) => st.Sid);
    expect(sids).toEqual([
      'DenyInsecureTransport',
      'CloudTrailAclCheckaudita',
      'CloudTrailWriteaudita',
      'CloudTrailAclCheckauditb',
      'CloudTrailWriteauditb',
    ]);
  });

  test('GIVEN CloudWatch Logs delivery WHEN synthesized THEN a retained log group and a role limited to its streams feed the trail', () => {
    const json = synth((s) => new CloudTrail(s, 'trail', { name: 'audit', cloudWatchLogs: { retentionInDays: 365, kmsKeyArn: KEY } }));
    const [group] = resourcesOf(json, 'aws_cloudwatch_log_group');
    expect(group).toEqual({ name: '/aws/cloudtrail/audit', retention_in_days: 365, kms_key_id: KEY });
    const [trail] = resourcesOf(json, 'aws_cloudtrail');
    expect(trail.cloud_watch_logs_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\..+\.arn\}:\*$/);
    expect(trail.cloud_watch_logs_role_arn).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    const [statement] = JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement;
    expect(statement).toMatchObject({ Sid: 'WriteLogs', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] });
    expect(statement.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..+\.arn\}:log-stream:\*$/),
    ]);
  });

  test('GIVEN a log group name WHEN synthesized THEN it is used', () => {
    const json = synth(
      (s) => new CloudTrail(s, 'trail', { name: 'audit', cloudWatchLogs: { retentionInDays: 90, logGroupName: 'trail/audit' } }),
    );
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: 'trail/audit', retention_in_days: 90 });
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with its value', () => {
    expect(() =>
      synth(
        (s) =>
          new CloudTrail(s, 'trail', {
            name: '-x',
            s3KeyPrefix: '/logs/',
            kmsKeyArn: 'alias/trail',
            cloudWatchLogs: { retentionInDays: 10, kmsKeyArn: 'key', logGroupName: 'bad name' },
          }),
      ),
    ).toThrow(
      'CloudTrail stack/trail: name must be 3-128 letters, digits, ._- starting with a letter or digit (got "-x"); ' +
        's3KeyPrefix must be S3 key segments without leading or trailing "/" (got "/logs/"); ' +
        'kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "alias/trail"); ' +
        'cloudWatchLogs.retentionInDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 10); ' +
        'cloudWatchLogs.kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "key"); ' +
        'cloudWatchLogs.logGroupName must be 1-512 characters of letters, digits and ._-/# (got "bad name")',
    );
  });
});
