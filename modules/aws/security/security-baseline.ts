// The account-and-region security services a platform turns on once: CloudTrail, GuardDuty and
// AWS Config. GuardDuty detectors and Config recorders are singletons per account and region, so
// exactly one SecurityBaseline belongs in each account/region (in its system stack).
import { Construct } from 'constructs';
import { SecureBucket } from '../data/s3-bucket.js';
import { PropProblems } from '../../core/validation.js';
import { CloudTrail, type TrailCloudWatchLogs } from './cloud-trail.js';
import { ConfigRecorder } from './config-recorder.js';
import { GuardDuty, type GuardDutyFeature } from './guard-duty.js';
import { KmsKey } from './kms-key.js';

export interface SecurityBaselineProps {
  /**
   * The account's primary region: it hosts the multi-region trail and records global resource types.
   * @default true
   */
  readonly primaryRegion?: boolean;
  /** @default true in the primary region, false elsewhere (the multi-region trail covers them) */
  readonly trail?: boolean;
  /** @default true */
  readonly guardDuty?: boolean;
  /** @default true */
  readonly config?: boolean;
  /** @default 'account-trail' */
  readonly trailName?: string;
  /** @default S3 delivery only */
  readonly trailCloudWatchLogs?: TrailCloudWatchLogs;
  /** @default GuardDuty's defaults (all protection plans but runtime monitoring) */
  readonly guardDutyFeatures?: Partial<Record<GuardDutyFeature, boolean>>;
  /** Bucket for trail and Config deliveries. @default a new SecureBucket encrypted with `kmsKeyArn` */
  readonly bucket?: SecureBucket;
  /** Key for trail logs and Config deliveries; must allow `cloudtrail.amazonaws.com`. @default a new KmsKey alias `security-baseline` */
  readonly kmsKeyArn?: string;
}

export class SecurityBaseline extends Construct {
  readonly trail?: CloudTrail;
  readonly guardDuty?: GuardDuty;
  readonly config?: ConfigRecorder;
  /** The delivery bucket, when the trail or Config is on. */
  readonly bucket?: SecureBucket;
  /** The key created when `kmsKeyArn` was not given and the trail or Config is on. */
  readonly kmsKey?: KmsKey;

  constructor(scope: Construct, id: string, props: SecurityBaselineProps = {}) {
    super(scope, id);
    const primary = props.primaryRegion ?? true;
    const trailOn = props.trail ?? primary;
    const configOn = props.config ?? true;
    new PropProblems(this, 'SecurityBaseline')
      .check(
        props.trailName === undefined || trailOn,
        `trailName is set (got ${JSON.stringify(props.trailName)}) but the trail is off (trail: ${props.trail}, primaryRegion: ${primary})`,
      )
      .check(
        props.trailCloudWatchLogs === undefined || trailOn,
        `trailCloudWatchLogs is set but the trail is off (trail: ${props.trail}, primaryRegion: ${primary})`,
      )
      .check(
        (props.bucket === undefined && props.kmsKeyArn === undefined) || trailOn || configOn,
        'bucket/kmsKeyArn are set but both trail and config are off (allowed: turn one on, or drop them)',
      )
      .check(props.guardDutyFeatures === undefined || props.guardDuty !== false, 'guardDutyFeatures is set but guardDuty is false')
      .throwIfAny();

    if (trailOn || configOn) {
      if (props.kmsKeyArn === undefined) {
        this.kmsKey = new KmsKey(this, 'key', {
          description: 'Encrypts CloudTrail logs and AWS Config deliveries',
          alias: 'security-baseline',
          servicePrincipals: ['cloudtrail.amazonaws.com'],
        });
      }
      const kmsKeyArn = props.kmsKeyArn ?? this.kmsKey!.arn;
      this.bucket = props.bucket ?? new SecureBucket(this, 'bucket', { bucketPrefix: 'security-logs-', kmsKeyArn });
      if (trailOn) {
        this.trail = new CloudTrail(this, 'trail', {
          name: props.trailName ?? 'account-trail',
          bucket: this.bucket,
          kmsKeyArn,
          cloudWatchLogs: props.trailCloudWatchLogs,
        });
      }
      if (configOn) {
        this.config = new ConfigRecorder(this, 'config', { bucket: this.bucket, kmsKeyArn, includeGlobalResourceTypes: primary });
      }
    }
    if (props.guardDuty ?? true) this.guardDuty = new GuardDuty(this, 'guard-duty', { features: props.guardDutyFeatures });
  }
}
