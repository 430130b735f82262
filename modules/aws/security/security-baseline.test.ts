import { SecureBucket } from '../data/s3-bucket.js';
import { SecurityBaseline, type SecurityBaselineProps } from './security-baseline.js';
import { synth, resourcesOf, type TfJson } from '../../../test/modules/synth-json.js';

const count = (json: TfJson, type: string) => resourcesOf(json, type).length;
const baseline = (props?: SecurityBaselineProps) => synth((s) => new SecurityBaseline(s, 'baseline', props));
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('SecurityBaseline', () => {
  test('GIVEN no props WHEN synthesized THEN trail, GuardDuty and Config share one key and one bucket', () => {
    const json = baseline();
    expect(count(json, 'aws_cloudtrail')).toBe(1);
    expect(count(json, 'aws_guardduty_detector')).toBe(1);
    expect(count(json, 'aws_config_configuration_recorder')).toBe(1);
    expect(count(json, 'aws_kms_key')).toBe(1);
    expect(count(json, 'aws_s3_bucket')).toBe(1);
    const [key] = resourcesOf(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(resourcesOf(json, 'aws_kms_alias')[0].name).toBe('alias/security-baseline');
    const keyRef = resourcesOf(json, 'aws_cloudtrail')[0].kms_key_id;
    expect(keyRef).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(resourcesOf(json, 'aws_config_delivery_channel')[0].s3_kms_key_arn).toBe(keyRef);
    expect(resourcesOf(json, 'aws_cloudtrail')[0]).toMatchObject({
      name: 'account-trail',
      is_multi_region_trail: true,
      enable_log_file_validation: true,
    });
    expect(resourcesOf(json, 'aws_config_configuration_recorder')[0].recording_group.include_global_resource_types).toBe(true);
    expect(resourcesOf(json, 'aws_s3_bucket')[0].bucket_prefix).toBe('security-logs-');
    const sids = JSON.parse(resourcesOf(json, 'aws_s3_bucket_policy')[0].policy).Statement.map((st: { Sid: string }) => st.Sid);
    expect(sids).toEqual([
      'DenyInsecureTransport',
      'CloudTrailAclCheckaccounttrail',
      'CloudTrailWriteaccounttrail',
      'AWSConfigBucketCheck',
      'AWSConfigBucketDelivery',
    ]);
  });

  test('GIVEN a secondary region WHEN synthesized THEN no trail is made and Config skips global resource types', () => {
    const json = baseline({ primaryRegion: false });
    expect(json.resource.aws_cloudtrail).toBeUndefined();
    expect(resourcesOf(json, 'aws_config_configuration_recorder')[0].recording_group.include_global_resource_types).toBe(false);
    expect(count(json, 'aws_guardduty_detector')).toBe(1);
  });

  test('GIVEN a secondary region that asks for a trail WHEN synthesized THEN the trail is made', () => {
    expect(count(baseline({ primaryRegion: false, trail: true }), 'aws_cloudtrail')).toBe(1);
  });

  test('GIVEN each service turned off WHEN synthesized THEN only the others remain', () => {
    const noTrail = baseline({ trail: false });
    expect(noTrail.resource.aws_cloudtrail).toBeUndefined();
    expect(count(noTrail, 'aws_config_configuration_recorder')).toBe(1);
    const noGuardDuty = baseline({ guardDuty: false });
    expect(noGuardDuty.resource.aws_guardduty_detector).toBeUndefined();
    expect(count(noGuardDuty, 'aws_cloudtrail')).toBe(1);
    const noConfig = baseline({ config: false });
    expect(noConfig.resource.aws_config_configuration_recorder).toBeUndefined();
    expect(count(noConfig, 'aws_cloudtrail')).toBe(1);
  });

  test('GIVEN only GuardDuty WHEN synthesized THEN no key or bucket is created', () => {
    const json = baseline({ trail: false, config: false });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(json.resource.aws_s3_bucket).toBeUndefined();
    expect(count(json, 'aws_guardduty_detector')).toBe(1);
  });

  test('GIVEN a bucket, key, trail name, CloudWatch Logs and GuardDuty features WHEN synthesized THEN they are passed through', () => {
    const json = synth((s) => {
      const bucket = new SecureBucket(s, 'logs', { bucketPrefix: 'org-logs-', kmsKeyArn: KEY });
      const b = new SecurityBaseline(s, 'baseline', {
        bucket,
        kmsKeyArn: KEY,
        trailName: 'org-audit',
        trailCloudWatchLogs: { retentionInDays: 365 },
        guardDutyFeatures: { RUNTIME_MONITORING: true },
      });
      expect(b.bucket).toBe(bucket);
      expect(b.kmsKey).toBeUndefined();
    });
    expect(json.resource.aws_kms_key).toBeUndefined();
    expect(count(json, 'aws_s3_bucket')).toBe(1);
    expect(resourcesOf(json, 'aws_cloudtrail')[0]).toMatchObject({ name: 'org-audit', kms_key_id: KEY });
    expect(resourcesOf(json, 'aws_cloudwatch_log_group')[0]).toMatchObject({ name: '/aws/cloudtrail/org-audit', retention_in_days: 365 });
    const runtime = resourcesOf(json, 'aws_guardduty_detector_feature').find((f) => f.name === 'RUNTIME_MONITORING');
    expect(runtime.status).toBe('ENABLED');
  });

  test('GIVEN options for services that are off WHEN constructed THEN one error lists each contradiction', () => {
    expect(() =>
      synth((s) => {
        const bucket = new SecureBucket(s, 'logs', { bucketPrefix: 'org-logs-' });
        new SecurityBaseline(s, 'baseline', {
          primaryRegion: false,
          config: false,
          guardDuty: false,
          trailName: 'audit',
          trailCloudWatchLogs: { retentionInDays: 30 },
          bucket,
          guardDutyFeatures: { S3_DATA_EVENTS: false },
        });
      }),
    ).toThrow(
      'SecurityBaseline stack/baseline: trailName is set (got "audit") but the trail is off (trail: undefined, primaryRegion: false); ' +
        'trailCloudWatchLogs is set but the trail is off (trail: undefined, primaryRegion: false); ' +
        'bucket/kmsKeyArn are set but both trail and config are off (allowed: turn one on, or drop them); ' +
        'guardDutyFeatures is set but guardDuty is false',
    );
  });
});
