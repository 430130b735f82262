// AWS Config for one region: recorder (all supported resource types), delivery channel to a
// private bucket, and the recorder switched on. Global resource types (IAM) are recorded in one
// region only, or every region would record — and bill — them again.
import { Construct } from 'constructs';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder/index.js';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status/index.js';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel/index.js';
import { SecureBucket } from '../data/s3-bucket.js';
import { PropProblems } from '../../core/validation.js';
import { awsAccountContext } from './account.js';
import { ServiceRole } from './iam.js';

export const SNAPSHOT_FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;
export const RECORDING_FREQUENCIES = ['CONTINUOUS', 'DAILY'] as const;

export interface ConfigRecorderProps {
  /**
   * Record global resource types (IAM users, roles, policies). Turn on in the primary region only.
   * @default true
   */
  readonly includeGlobalResourceTypes?: boolean;
  /** Bucket receiving snapshots and history; the recorder adds its statements to the bucket policy. @default a new SecureBucket (prefix `config-`) */
  readonly bucket?: SecureBucket;
  /** @default 'config' */
  readonly s3KeyPrefix?: string;
  /** Key encrypting delivered objects (the role is granted its use). @default the bucket's default encryption */
  readonly kmsKeyArn?: string;
  /** @default 'TwentyFour_Hours' */
  readonly snapshotFrequency?: (typeof SNAPSHOT_FREQUENCIES)[number];
  /** @default 'CONTINUOUS' */
  readonly recordingFrequency?: (typeof RECORDING_FREQUENCIES)[number];
  /** Recorder and delivery channel name (one of each per region and account). @default 'default' */
  readonly name?: string;
}

export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly status: ConfigConfigurationRecorderStatus;
  readonly role: ServiceRole;
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps = {}) {
    super(scope, id);
    new PropProblems(this, 'ConfigRecorder')
      .matches('name', props.name, /^[\w.-]{1,256}$/, '1-256 letters, digits and ._-')
      .matches('s3KeyPrefix', props.s3KeyPrefix, /^[\w!.*'()-]+(\/[\w!.*'()-]+)*$/, 'S3 key segments without leading or trailing "/"')
      .matches(
        'kmsKeyArn',
        props.kmsKeyArn,
        /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      )
      .oneOf('snapshotFrequency', props.snapshotFrequency, SNAPSHOT_FREQUENCIES)
      .oneOf('recordingFrequency', props.recordingFrequency, RECORDING_FREQUENCIES)
      .throwIfAny();

    const account = awsAccountContext(this);
    const name = props.name ?? 'default';
    const prefix = props.s3KeyPrefix ?? 'config';
    this.bucket = props.bucket ?? new SecureBucket(this, 'bucket', { bucketPrefix: 'config-', kmsKeyArn: props.kmsKeyArn });
    const deliveryPath = `${this.bucket.arn}/${prefix}/AWSLogs/${account.accountId}/Config/*`;

    this.role = new ServiceRole(this, 'role', {
      service: 'config.amazonaws.com',
      description: 'AWS Config records resource configuration',
      managedPolicyArns: [`arn:${account.partition}:iam::aws:policy/service-role/AWS_ConfigRole`],
      access: props.kmsKeyArn ? { encryptKeys: [props.kmsKeyArn], decryptKeys: [props.kmsKeyArn] } : undefined,
    });
    this.role.addStatements(
      { sid: 'ConfigBucketAcl', actions: ['s3:GetBucketAcl', 's3:ListBucket'], resources: [this.bucket.arn] },
      { sid: 'ConfigDelivery', actions: ['s3:PutObject'], resources: [deliveryPath] },
    );
    // Same grants on the bucket side, limited to this account, as AWS Config's bucket policy guide asks.
    const sameAccount = { StringEquals: { 'aws:SourceAccount': account.accountId } };
    this.bucket.addToResourcePolicy({
      sid: 'AWSConfigBucketCheck',
      principals: { Service: ['config.amazonaws.com'] },
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [this.bucket.arn],
      conditions: sameAccount,
    });
    this.bucket.addToResourcePolicy({
      sid: 'AWSConfigBucketDelivery',
      principals: { Service: ['config.amazonaws.com'] },
      actions: ['s3:PutObject'],
      resources: [deliveryPath],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': account.accountId } },
    });

    this.recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      name,
      roleArn: this.role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.includeGlobalResourceTypes ?? true },
      recordingMode: { recordingFrequency: props.recordingFrequency ?? 'CONTINUOUS' },
    });
    this.deliveryChannel = new ConfigDeliveryChannel(this, 'delivery-channel', {
      name,
      s3BucketName: this.bucket.bucketName,
      s3KeyPrefix: prefix,
      s3KmsKeyArn: props.kmsKeyArn,
      snapshotDeliveryProperties: { deliveryFrequency: props.snapshotFrequency ?? 'TwentyFour_Hours' },
      dependsOn: [this.recorder, this.bucket.policy],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, 'status', {
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [this.deliveryChannel],
    });
  }
}
