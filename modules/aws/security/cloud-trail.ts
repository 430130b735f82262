// A multi-region CloudTrail trail with log file validation, KMS-encrypted, delivering to a private
// bucket whose policy lets only this trail (by aws:SourceArn) write under its prefix.
import { Construct } from 'constructs';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail/index.js';
import { SecureBucket } from '../data/s3-bucket.js';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { awsAccountContext } from './account.js';
import { ServiceRole } from './iam.js';
import { KmsKey } from './kms-key.js';

export interface TrailCloudWatchLogs {
  /** One of LOG_RETENTION_DAYS. */
  readonly retentionInDays: number;
  /** Key for the log group (its policy must allow `logs.<region>.amazonaws.com`). @default CloudWatch Logs-owned key */
  readonly kmsKeyArn?: string;
  /** @default `/aws/cloudtrail/<name>` */
  readonly logGroupName?: string;
}

export interface CloudTrailProps {
  /** Trail name, 3-128 letters, digits, `._-`, starting with a letter or digit. */
  readonly name: string;
  /**
   * Bucket receiving the log files; the trail adds its statements to the bucket policy.
   * @default a new SecureBucket (prefix `cloudtrail-`) encrypted with the trail's key
   */
  readonly bucket?: SecureBucket;
  /** Key prefix of the log files in the bucket. @default 'cloudtrail' */
  readonly s3KeyPrefix?: string;
  /**
   * Key encrypting the log files; its policy must allow `cloudtrail.amazonaws.com` (KmsKey's
   * `servicePrincipals`). @default a dedicated KmsKey allowing CloudTrail
   */
  readonly kmsKeyArn?: string;
  /** Also deliver events to a CloudWatch Logs group (for metric filters and alarms). @default S3 only */
  readonly cloudWatchLogs?: TrailCloudWatchLogs;
}

export class CloudTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly arn: string;
  readonly bucket: SecureBucket;
  readonly kmsKeyArn: string;
  /** The dedicated key, when `kmsKeyArn` was not given. */
  readonly kmsKey?: KmsKey;
  /** Set when `cloudWatchLogs` is given. */
  readonly logGroup?: LogGroup;

  constructor(scope: Construct, id: string, props: CloudTrailProps) {
    super(scope, id);
    new PropProblems(this, 'CloudTrail')
      .matches('name', props.name, /^[A-Za-z0-9][\w.-]{2,127}$/, '3-128 letters, digits, ._- starting with a letter or digit')
      .matches('s3KeyPrefix', props.s3KeyPrefix, /^[\w!.*'()-]+(\/[\w!.*'()-]+)*$/, 'S3 key segments without leading or trailing "/"')
      .matches(
        'kmsKeyArn',
        props.kmsKeyArn,
        /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      )
      .oneOf('cloudWatchLogs.retentionInDays', props.cloudWatchLogs?.retentionInDays, LOG_RETENTION_DAYS as readonly number[])
      .matches(
        'cloudWatchLogs.kmsKeyArn',
        props.cloudWatchLogs?.kmsKeyArn,
        /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      )
      .matches(
        'cloudWatchLogs.logGroupName',
        props.cloudWatchLogs?.logGroupName,
        /^[\w./#-]{1,512}$/,
        '1-512 characters of letters, digits and ._-/#',
      )
      .throwIfAny();

    const account = awsAccountContext(this);
    const prefix = props.s3KeyPrefix ?? 'cloudtrail';
    if (props.kmsKeyArn === undefined) {
      this.kmsKey = new KmsKey(this, 'key', {
        description: `Encrypts CloudTrail trail ${props.name}`,
        servicePrincipals: ['cloudtrail.amazonaws.com'],
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? this.kmsKey!.arn;
    this.bucket = props.bucket ?? new SecureBucket(this, 'bucket', { bucketPrefix: 'cloudtrail-', kmsKeyArn: this.kmsKeyArn });

    // Built from parts rather than read from the trail: the bucket policy must exist before the trail.
    const trailArn = `arn:${account.partition}:cloudtrail:${account.region}:${account.accountId}:trail/${props.name}`;
    const sidSuffix = props.name.replace(/[^A-Za-z0-9]/g, '');
    this.bucket.addToResourcePolicy({
      sid: `CloudTrailAclCheck${sidSuffix}`,
      principals: { Service: ['cloudtrail.amazonaws.com'] },
      actions: ['s3:GetBucketAcl'],
      resources: [this.bucket.arn],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    });
    this.bucket.addToResourcePolicy({
      sid: `CloudTrailWrite${sidSuffix}`,
      principals: { Service: ['cloudtrail.amazonaws.com'] },
      actions: ['s3:PutObject'],
      resources: [`${this.bucket.arn}/${prefix}/AWSLogs/${account.accountId}/*`],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    });

    let cloudWatch: { cloudWatchLogsGroupArn: string; cloudWatchLogsRoleArn: string } | undefined;
    if (props.cloudWatchLogs) {
      this.logGroup = new LogGroup(this, 'log-group', {
        name: props.cloudWatchLogs.logGroupName ?? `/aws/cloudtrail/${props.name}`,
        retentionInDays: props.cloudWatchLogs.retentionInDays,
        kmsKeyArn: props.cloudWatchLogs.kmsKeyArn,
      });
      const role = new ServiceRole(this, 'logs-role', {
        service: 'cloudtrail.amazonaws.com',
        description: `CloudTrail trail ${props.name} delivers to CloudWatch Logs`,
        access: { logGroups: [this.logGroup.arn] },
      });
      // CloudTrail wants the log-stream wildcard form of the group ARN.
      cloudWatch = { cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`, cloudWatchLogsRoleArn: role.arn };
    }

    this.trail = new Cloudtrail(this, 'trail', {
      name: props.name,
      s3BucketName: this.bucket.bucketName,
      s3KeyPrefix: prefix,
      kmsKeyId: this.kmsKeyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      ...cloudWatch,
      dependsOn: [this.bucket.policy],
    });
    this.arn = this.trail.arn;
  }
}
