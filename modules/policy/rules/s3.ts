import type { PolicyRule, ResourceView, StackView } from '../types.js';
import { expectThat, get, isTrue, rule, statementsOf } from './helpers.js';

const bucketPart = (stack: StackView, type: string, bucket: ResourceView) => stack.referencing(type, 'bucket', bucket);

export const s3Rules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_19',
    title: 'S3 bucket has server-side encryption',
    severity: 'high',
    resourceTypes: ['aws_s3_bucket'],
    remediation: 'Add aws_s3_bucket_server_side_encryption_configuration (SecureBucket does: SSE-KMS with kmsKeyArn, else AES256).',
    check: (b, stack) => {
      const algos = bucketPart(stack, 'aws_s3_bucket_server_side_encryption_configuration', b).map((c) =>
        get(c.config, 'rule.apply_server_side_encryption_by_default.sse_algorithm'),
      );
      return expectThat(
        algos.some((a) => a === 'AES256' || a === 'aws:kms' || a === 'aws:kms:dsse'),
        'no server-side encryption configuration for the bucket',
      );
    },
  }),
  rule({
    id: 'CKV_AWS_21',
    title: 'S3 bucket has versioning enabled',
    severity: 'medium',
    resourceTypes: ['aws_s3_bucket'],
    remediation: 'Add aws_s3_bucket_versioning with status Enabled (SecureBucket versioned: true).',
    check: (b, stack) =>
      expectThat(
        bucketPart(stack, 'aws_s3_bucket_versioning', b).some((v) => get(v.config, 'versioning_configuration.status') === 'Enabled'),
        'versioning is not enabled',
      ),
  }),
  rule({
    id: 'CKV2_AWS_6',
    title: 'S3 bucket has a public access block with all four flags',
    severity: 'high',
    resourceTypes: ['aws_s3_bucket'],
    remediation:
      'Add aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true.',
    check: (b, stack) => {
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const blocks = bucketPart(stack, 'aws_s3_bucket_public_access_block', b);
      if (blocks.length === 0) return 'no public access block';
      const missing = flags.filter((f) => !blocks.some((pab) => isTrue(pab.config[f])));
      return expectThat(missing.length === 0, `public access block leaves ${missing.join(', ')} off`);
    },
  }),
  rule({
    id: 'GITOPS_S3_TLS_ONLY',
    title: 'S3 bucket policy denies requests without TLS',
    severity: 'high',
    resourceTypes: ['aws_s3_bucket'],
    remediation: 'Add a bucket policy statement Deny s3:* when aws:SecureTransport is false (SecureBucket always does).',
    check: (b, stack) => {
      const denies = bucketPart(stack, 'aws_s3_bucket_policy', b).flatMap((p) => statementsOf(p.config.policy));
      const tlsOnly = denies.some((s) => s.Effect === 'Deny' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false');
      return expectThat(tlsOnly, 'no bucket policy statement denies aws:SecureTransport = false');
    },
  }),
];
