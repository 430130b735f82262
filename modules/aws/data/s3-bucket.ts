// A private S3 bucket: public access blocked, encrypted, versioned, TLS-only, lifecycle-managed.
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { PropProblems } from '../../core/validation.js';
import { type IamStatementJson, type PolicyStatement, statementProblems, toIamJson } from './policy-statement.js';
import { BucketReplication, type BucketReplicationProps, replicationProblems } from './bucket-replication.js';

export const STORAGE_CLASSES = ['STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export interface BucketLifecycleRule {
  /** Names the rule; must be unique and not one of the built-in rule ids. */
  readonly id: string;
  /** @default the whole bucket */
  readonly prefix?: string;
  /** Delete current objects this many days after creation. @default never */
  readonly expirationDays?: number;
  /** @default no transitions */
  readonly transitions?: ReadonlyArray<{ readonly days: number; readonly storageClass: StorageClass }>;
}

export interface SecureBucketProps {
  /** Prefix of the generated bucket name: lowercase letters, digits and hyphens, at most 37 characters. */
  readonly bucketPrefix: string;
  /** @default SSE-S3 (AES256); with a key, SSE-KMS with an S3 Bucket Key */
  readonly kmsKeyArn?: string;
  /** @default true */
  readonly versioned?: boolean;
  /** Extra lifecycle rules, added to the built-in ones. @default none */
  readonly lifecycleRules?: readonly BucketLifecycleRule[];
  /** Days before noncurrent versions are deleted (built-in rule `expire-noncurrent-versions`). @default 90 when versioned */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days before incomplete multipart uploads are aborted (built-in rule `abort-incomplete-multipart-uploads`). @default 7 */
  readonly abortIncompleteMultipartUploadDays?: number;
  /** @default false: a bucket with objects cannot be destroyed */
  readonly forceDestroy?: boolean;
  /** Bucket name that receives server access logs. @default no access logging */
  readonly accessLogsBucket?: string;
  /** @default `<bucketPrefix>/` */
  readonly accessLogsPrefix?: string;
  /** Replicate every object to another (usually cross-region) bucket. Needs versioning. @default no replication */
  readonly replication?: BucketReplicationProps;
  /** @default 'BucketOwnerEnforced' (ACLs disabled); CloudFront standard-log buckets need 'BucketOwnerPreferred' */
  readonly objectOwnership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred';
  /** Extra tags on the bucket (e.g. `Name`). @default none */
  readonly tags?: Record<string, string>;
}

const BUILT_IN_RULE_IDS = ['abort-incomplete-multipart-uploads', 'expire-noncurrent-versions'];
export const TLS_ONLY_SID = 'DenyInsecureTransport';

export class SecureBucket extends Construct {
  public readonly bucket: S3Bucket;
  /** The bucket's name (its Terraform id). */
  public readonly bucketName: string;
  public readonly arn: string;
  public readonly regionalDomainName: string;
  public readonly policy: S3BucketPolicy;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** Replication into this bucket needs versioning on first: a replication configured elsewhere depends on it. */
  public readonly versioning: S3BucketVersioningA;
  /** Set when `replication` is given. */
  public readonly replication?: BucketReplication;
  private readonly statements: PolicyStatement[] = [];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const versioned = props.versioned ?? true;
    validate(this, props, versioned);

    this.bucket = new S3Bucket(this, 'bucket', {
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? false,
      tags: props.tags,
    });
    this.bucketName = this.bucket.id;
    this.arn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;

    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: props.objectOwnership ?? 'BucketOwnerEnforced' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true },
      ],
    });
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: versioned ? 'Enabled' : 'Suspended' },
    });
    this.versioning = versioning;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: lifecycleRules(props, versioned),
      dependsOn: [versioning],
    });
    if (props.accessLogsBucket !== undefined) {
      new S3BucketLoggingA(this, 'access-logs', {
        bucket: this.bucket.id,
        targetBucket: props.accessLogsBucket,
        targetPrefix: props.accessLogsPrefix ?? `${props.bucketPrefix}/`,
      });
    }
    if (props.replication !== undefined) {
      this.replication = new BucketReplication(this, 'replication', {
        ...props.replication,
        sourceBucketName: this.bucket.id,
        sourceBucketArn: this.bucket.arn,
        sourceKmsKeyArn: props.kmsKeyArn,
        dependsOn: [versioning],
      });
    }

    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => JSON.stringify(this.policyDocument()) }),
      // A policy written before the public access block exists could be judged public and rejected.
      dependsOn: [this.publicAccessBlock],
    });
  }

  /**
   * Adds a statement to the bucket policy. Statements may be added after construction (e.g. by a
   * CloudFront distribution or a CloudTrail trail): the policy is rendered at synth time.
   */
  public addToResourcePolicy(statement: PolicyStatement): void {
    const problems = statementProblems(statement);
    const taken = [TLS_ONLY_SID, ...this.statements.map((s) => s.sid)];
    if (taken.includes(statement.sid)) {
      problems.push(`sid must be unique in the bucket policy (got ${JSON.stringify(statement.sid)}; taken: ${taken.join(', ')})`);
    }
    if (problems.length > 0) throw new Error(`SecureBucket ${this.node.path}: addToResourcePolicy: ${problems.join('; ')}`);
    this.statements.push(statement);
  }

  private policyDocument(): { Version: string; Statement: IamStatementJson[] } {
    const tlsOnly: IamStatementJson = {
      Sid: TLS_ONLY_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:*'],
      Resource: [this.arn, `${this.arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
    };
    return { Version: '2012-10-17', Statement: [tlsOnly, ...this.statements.map(toIamJson)] };
  }
}

function lifecycleRules(props: SecureBucketProps, versioned: boolean): S3BucketLifecycleConfigurationRule[] {
  const wholeBucket = [{}];
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: 'abort-incomplete-multipart-uploads',
      status: 'Enabled',
      filter: wholeBucket,
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartUploadDays ?? 7 }],
    },
  ];
  if (versioned) {
    rules.push({
      id: 'expire-noncurrent-versions',
      status: 'Enabled',
      filter: wholeBucket,
      noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
      expiration: [{ expiredObjectDeleteMarker: true }],
    });
  }
  for (const rule of props.lifecycleRules ?? []) {
    rules.push({
      id: rule.id,
      status: 'Enabled',
      filter: rule.prefix === undefined ? wholeBucket : [{ prefix: rule.prefix }],
      expiration: rule.expirationDays === undefined ? undefined : [{ days: rule.expirationDays }],
      transition: rule.transitions?.map((t) => ({ days: t.days, storageClass: t.storageClass })),
    });
  }
  return rules;
}

function validate(scope: Construct, props: SecureBucketProps, versioned: boolean): void {
  const p = new PropProblems(scope, 'SecureBucket')
    .matches(
      'bucketPrefix',
      props.bucketPrefix,
      /^[a-z0-9][a-z0-9-]{0,36}$/,
      '1-37 lowercase letters, digits or hyphens, starting with a letter or digit',
    )
    .matches('kmsKeyArn', props.kmsKeyArn, /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, 'a KMS key or alias ARN')
    .range('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays, 1, 36500)
    .range('abortIncompleteMultipartUploadDays', props.abortIncompleteMultipartUploadDays, 1, 365)
    .matches('accessLogsBucket', props.accessLogsBucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (not an ARN)')
    .oneOf('objectOwnership', props.objectOwnership, ['BucketOwnerEnforced', 'BucketOwnerPreferred'] as const);
  p.check(
    versioned || props.noncurrentVersionExpirationDays === undefined,
    `noncurrentVersionExpirationDays needs versioned: true (got versioned: false, noncurrentVersionExpirationDays: ${props.noncurrentVersionExpirationDays})`,
  );
  p.check(versioned || props.replication === undefined, 'replication needs versioned: true (got versioned: false)');
  const seen = new Set(BUILT_IN_RULE_IDS);
  for (const rule of props.lifecycleRules ?? []) {
    p.check(
      !seen.has(rule.id),
      `lifecycleRules ids must be unique and not built-in (got ${JSON.stringify(rule.id)}; taken: ${[...seen].join(', ')})`,
    );
    seen.add(rule.id);
    p.matches(`lifecycleRules[${rule.id}].id`, rule.id, /^[A-Za-z0-9._-]{1,255}$/, '1-255 letters, digits, dots, underscores or hyphens');
    p.range(`lifecycleRules[${rule.id}].expirationDays`, rule.expirationDays, 1, 36500);
    for (const t of rule.transitions ?? []) {
      p.oneOf(`lifecycleRules[${rule.id}].transitions.storageClass`, t.storageClass, STORAGE_CLASSES);
      p.range(`lifecycleRules[${rule.id}].transitions.days`, t.days, 0, 36500);
    }
  }
  if (props.replication !== undefined) {
    for (const problem of replicationProblems(props.replication, props.kmsKeyArn)) p.check(false, problem);
  }
  p.throwIfAny();
}
