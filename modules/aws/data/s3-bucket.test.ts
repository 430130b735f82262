import { Testing } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { SecureBucket } from './s3-bucket.js';
import { onlyResource, policyOf, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const REPLICA_KEY = 'arn:aws:kms:eu-central-1:111111111111:key/9999abcd-12ab-34cd-56ef-1234567890ab';
const DEST = 'arn:aws:s3:::orders-replica';

describe('SecureBucket', () => {
  test('GIVEN only a prefix WHEN synthesized THEN public access is blocked four ways and ACLs are disabled', () => {
    const out = Testing.synthScope((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders' }));
    expect(out).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const s = JSON.parse(out);
    expect(onlyResource(s, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(onlyResource(s, 'aws_s3_bucket')).toEqual({ bucket_prefix: 'orders', force_destroy: false });
  });

  test('GIVEN no key WHEN synthesized THEN SSE-S3 encryption and versioning are on', () => {
    const s = synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders' }));
    expect(onlyResource(s, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
    ]);
    expect(onlyResource(s, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
  });

  test('GIVEN a KMS key WHEN synthesized THEN SSE-KMS with a bucket key is used', () => {
    const s = synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders', kmsKeyArn: KEY }));
    expect(onlyResource(s, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY }, bucket_key_enabled: true },
    ]);
  });

  test('GIVEN defaults WHEN synthesized THEN the policy denies every non-TLS request to the bucket and its objects', () => {
    const s = synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders' }));
    const policy = onlyResource(s, 'aws_s3_bucket_policy');
    const arn = '${aws_s3_bucket.b_bucket_3828F551.arn}';
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': ['false'] } },
      },
    ]);
    expect(policy.depends_on).toEqual(['aws_s3_bucket_public_access_block.b_public-access-block_80737D8F']);
  });

  test('GIVEN defaults WHEN synthesized THEN incomplete uploads abort after 7 days and noncurrent versions expire after 90', () => {
    const lifecycle = onlyResource(
      synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders' })),
      'aws_s3_bucket_lifecycle_configuration',
    );
    expect(lifecycle.rule).toEqual([
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{}],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      {
        id: 'expire-noncurrent-versions',
        status: 'Enabled',
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        expiration: [{ expired_object_delete_marker: true }],
      },
    ]);
    expect(lifecycle.depends_on).toEqual(['aws_s3_bucket_versioning.b_versioning_FF694DE5']);
  });

  test('GIVEN custom retention days and rules WHEN synthesized THEN they are added after the built-in rules', () => {
    const lifecycle = onlyResource(
      synth(
        (scope) =>
          new SecureBucket(scope, 'b', {
            bucketPrefix: 'orders',
            noncurrentVersionExpirationDays: 30,
            abortIncompleteMultipartUploadDays: 2,
            lifecycleRules: [
              { id: 'tmp', prefix: 'tmp/', expirationDays: 1 },
              {
                id: 'archive',
                transitions: [
                  { days: 30, storageClass: 'STANDARD_IA' },
                  { days: 180, storageClass: 'GLACIER' },
                ],
              },
            ],
          }),
      ),
      'aws_s3_bucket_lifecycle_configuration',
    );
    const rules = lifecycle.rule as Array<Record<string, unknown>>;
    expect(rules.map((r) => r.id)).toEqual(['abort-incomplete-multipart-uploads', 'expire-noncurrent-versions', 'tmp', 'archive']);
    expect(rules[0]!.abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 2 }]);
    expect(rules[1]!.noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    expect(rules[2]).toEqual({ id: 'tmp', status: 'Enabled', filter: [{ prefix: 'tmp/' }], expiration: [{ days: 1 }] });
    expect(rules[3]).toEqual({
      id: 'archive',
      status: 'Enabled',
      filter: [{}],
      transition: [
        { days: 30, storage_class: 'STANDARD_IA' },
        { days: 180, storage_class: 'GLACIER' },
      ],
    });
  });

  test('GIVEN versioned false WHEN synthesized THEN versioning is suspended and there is no noncurrent-version rule', () => {
    const s = synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'scratch', versioned: false }));
    expect(onlyResource(s, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Suspended' });
    const rules = onlyResource(s, 'aws_s3_bucket_lifecycle_configuration').rule as Array<{ id: string }>;
    expect(rules.map((r) => r.id)).toEqual(['abort-incomplete-multipart-uploads']);
  });

  test('GIVEN forceDestroy, tags and BucketOwnerPreferred WHEN synthesized THEN the bucket carries them', () => {
    const s = synth(
      (scope) =>
        new SecureBucket(scope, 'b', {
          bucketPrefix: 'cf-logs',
          forceDestroy: true,
          tags: { Name: 'cf-logs' },
          objectOwnership: 'BucketOwnerPreferred',
        }),
    );
    expect(onlyResource(s, 'aws_s3_bucket')).toEqual({ bucket_prefix: 'cf-logs', force_destroy: true, tags: { Name: 'cf-logs' } });
    expect(onlyResource(s, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerPreferred' });
  });

  test('GIVEN no access-log bucket WHEN synthesized THEN no logging resource exists; GIVEN one THEN logs go there under the prefix', () => {
    expect(
      resourcesOf(
        synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders' })),
        'aws_s3_bucket_logging',
      ),
    ).toEqual({});
    const s = synth((scope) => {
      new SecureBucket(scope, 'a', { bucketPrefix: 'orders', accessLogsBucket: 'central-logs' });
      new SecureBucket(scope, 'b', { bucketPrefix: 'media', accessLogsBucket: 'central-logs', accessLogsPrefix: 's3/media/' });
    });
    expect(Object.values(resourcesOf(s, 'aws_s3_bucket_logging')).map((l) => [l.target_bucket, l.target_prefix])).toEqual([
      ['central-logs', 'orders/'],
      ['central-logs', 's3/media/'],
    ]);
  });

  test('GIVEN replication without a role WHEN synthesized THEN a role limited to the two buckets replicates everything, delete markers included', () => {
    const s = synth((scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders', replication: { destinationBucketArn: DEST } }));
    const src = '${aws_s3_bucket.b_bucket_3828F551.arn}';
    const role = onlyResource(s, 'aws_iam_role');
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:SourceArn': src } },
      },
    ]);
    const statements = policyOf(onlyResource(s, 'aws_iam_role_policy')).Statement;
    expect(statements.map((st) => [st.Action, st.Resource])).toEqual([
      [['s3:GetReplicationConfiguration', 's3:ListBucket'], [src]],
      [['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], [`${src}/*`]],
      [['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'], [`${DEST}/*`]],
    ]);
    const config = onlyResource(s, 'aws_s3_bucket_replication_configuration');
    expect(config.role).toBe('${aws_iam_role.b_replication_role_5BDA140F.arn}');
    expect(config.rule).toEqual([
      {
        id: 'replicate-everything',
        status: 'Enabled',
        filter: {},
        delete_marker_replication: { status: 'Enabled' },
        destination: { bucket: DEST },
      },
    ]);
    expect(config.depends_on).toEqual(['aws_s3_bucket_versioning.b_versioning_FF694DE5']);
  });

  test('GIVEN a KMS bucket replicating with a destination key and storage class WHEN synthesized THEN KMS objects replicate re-encrypted', () => {
    const s = synth(
      (scope) =>
        new SecureBucket(scope, 'b', {
          bucketPrefix: 'orders',
          kmsKeyArn: KEY,
          replication: { destinationBucketArn: DEST, destinationKmsKeyArn: REPLICA_KEY, storageClass: 'STANDARD_IA' },
        }),
    );
    const [rule] = onlyResource(s, 'aws_s3_bucket_replication_configuration').rule as Array<Record<string, unknown>>;
    expect(rule!.source_selection_criteria).toEqual({ sse_kms_encrypted_objects: { status: 'Enabled' } });
    expect(rule!.destination).toEqual({
      bucket: DEST,
      storage_class: 'STANDARD_IA',
      encryption_configuration: { replica_kms_key_id: REPLICA_KEY },
    });
    const kms = policyOf(onlyResource(s, 'aws_iam_role_policy')).Statement.filter((st) => String(st.Sid).includes('crypt'));
    expect(kms).toEqual([
      { Sid: 'DecryptSource', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY] },
      { Sid: 'EncryptReplicas', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: [REPLICA_KEY] },
    ]);
  });

  test('GIVEN replication with an existing role WHEN synthesized THEN no role is created', () => {
    const roleArn = 'arn:aws:iam::111111111111:role/replication';
    const s = synth(
      (scope) => new SecureBucket(scope, 'b', { bucketPrefix: 'orders', replication: { destinationBucketArn: DEST, roleArn } }),
    );
    expect(resourcesOf(s, 'aws_iam_role')).toEqual({});
    expect(onlyResource(s, 'aws_s3_bucket_replication_configuration').role).toBe(roleArn);
  });

  test('GIVEN statements added after construction in both spellings WHEN synthesized THEN they follow the TLS deny in IAM JSON', () => {
    const s = synth((scope) => {
      const bucket = new SecureBucket(scope, 'b', { bucketPrefix: 'site' });
      bucket.addToResourcePolicy({
        sid: 'CloudFrontRead',
        principals: { Service: 'cloudfront.amazonaws.com' },
        actions: ['s3:GetObject'],
        resources: [`${bucket.arn}/*`],
        conditions: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::111111111111:distribution/E1' } },
      });
      bucket.addToResourcePolicy({
        sid: 'TrailWrite',
        principals: [{ type: 'Service', identifiers: ['cloudtrail.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        resources: [`${bucket.arn}/AWSLogs/*`],
        conditions: [{ test: 'StringEquals', variable: 's3:x-amz-acl', values: ['bucket-owner-full-control'] }],
      });
      bucket.addToResourcePolicy({
        sid: 'DenyOtherKeys',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:PutObject'],
        resources: [`${bucket.arn}/*`],
        conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'AES256' } },
      });
    });
    const statements = policyOf(onlyResource(s, 'aws_s3_bucket_policy')).Statement;
    expect(statements.map((st) => st.Sid)).toEqual(['DenyInsecureTransport', 'CloudFrontRead', 'TrailWrite', 'DenyOtherKeys']);
    expect(statements[1]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: ['cloudfront.amazonaws.com'] },
      Condition: { StringEquals: { 'AWS:SourceArn': ['arn:aws:cloudfront::111111111111:distribution/E1'] } },
    });
    expect(statements[2]).toMatchObject({
      Principal: { Service: ['cloudtrail.amazonaws.com'] },
      Condition: { StringEquals: { 's3:x-amz-acl': ['bucket-owner-full-control'] } },
    });
    expect(statements[3]).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': ['AES256'] } },
    });
  });

  test('GIVEN a taken sid, a bad sid and an Allow of s3:* WHEN added THEN one error names each problem', () => {
    const bucket = new SecureBucket(stack(), 'b', { bucketPrefix: 'site' });
    expect(() =>
      bucket.addToResourcePolicy({ sid: 'DenyInsecureTransport', principals: '*', actions: ['s3:*'], resources: [bucket.arn] }),
    ).toThrow(
      'SecureBucket test/b: addToResourcePolicy: statement DenyInsecureTransport: Allow statements must name specific actions (got ["s3:*"]); sid must be unique in the bucket policy (got "DenyInsecureTransport"; taken: DenyInsecureTransport)',
    );
    expect(() => bucket.addToResourcePolicy({ sid: 'bad-sid', principals: '*', actions: [], resources: [] })).toThrow(
      'sid must be letters and digits only (got "bad-sid"); statement bad-sid: actions must list at least one action (got []); statement bad-sid: resources must list at least one ARN (got [])',
    );
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new SecureBucket(stack(), 'b', {
          bucketPrefix: 'Orders_Bucket',
          kmsKeyArn: 'my-key',
          versioned: false,
          noncurrentVersionExpirationDays: 0,
          abortIncompleteMultipartUploadDays: 400,
          accessLogsBucket: 'arn:aws:s3:::logs',
          objectOwnership: 'ObjectWriter' as 'BucketOwnerPreferred',
          lifecycleRules: [
            { id: 'expire-noncurrent-versions', expirationDays: 0 },
            { id: 'cold', transitions: [{ days: 10, storageClass: 'COLD' as 'GLACIER' }] },
          ],
          replication: { destinationBucketArn: 'orders-replica' },
        }),
    ).toThrow(
      [
        'SecureBucket test/b: bucketPrefix must be 1-37 lowercase letters, digits or hyphens, starting with a letter or digit (got "Orders_Bucket")',
        'kmsKeyArn must be a KMS key or alias ARN (got "my-key")',
        'noncurrentVersionExpirationDays must be an integer between 1 and 36500 (got 0)',
        'abortIncompleteMultipartUploadDays must be an integer between 1 and 365 (got 400)',
        'accessLogsBucket must be an S3 bucket name (not an ARN) (got "arn:aws:s3:::logs")',
        'objectOwnership must be one of "BucketOwnerEnforced", "BucketOwnerPreferred" (got "ObjectWriter")',
        'noncurrentVersionExpirationDays needs versioned: true (got versioned: false, noncurrentVersionExpirationDays: 0)',
        'replication needs versioned: true (got versioned: false)',
        'lifecycleRules ids must be unique and not built-in (got "expire-noncurrent-versions"; taken: abort-incomplete-multipart-uploads, expire-noncurrent-versions)',
        'lifecycleRules[expire-noncurrent-versions].expirationDays must be an integer between 1 and 36500 (got 0)',
        'lifecycleRules[cold].transitions.storageClass must be one of "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE" (got "COLD")',
        'replication.destinationBucketArn must be an S3 bucket ARN like arn:aws:s3:::my-bucket (got "orders-replica")',
        'replication.destinationKmsKeyArn is required when kmsKeyArn is set (got undefined): KMS-encrypted objects replicate only with a destination key',
      ].join('; '),
    );
  });

  test('GIVEN a key ARN that is an unresolved token WHEN constructed THEN validation skips it and the reference is used', () => {
    const s = synth((scope) => {
      const key = new KmsKey(scope, 'key', { enableKeyRotation: true });
      new SecureBucket(scope, 'b', { bucketPrefix: 'orders', kmsKeyArn: key.arn });
    });
    const [rule] = onlyResource(s, 'aws_s3_bucket_server_side_encryption_configuration').rule as Array<
      Record<string, Record<string, unknown>>
    >;
    expect(rule!.apply_server_side_encryption_by_default!.kms_master_key_id).toBe('${aws_kms_key.key.arn}');
  });
});
