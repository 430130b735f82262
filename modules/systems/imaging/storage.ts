// The image bucket (seed 001 "Storage"): private, SSE-S3, versioned, old versions and unused
// processed images expire, and the application may reach it only through the VPC's S3 gateway
// endpoint. The primary replicates to the DR copy, whose bucket name is deterministic so that
// the primary can name it without reading the DR stack's state.
import { Construct } from 'constructs';
import { SecureBucket } from '../../aws/data/s3-bucket.js';

/** Where one copy of a bucket the primary replicates to the DR copy lives, and whether it may be emptied on destroy. */
export interface ReplicatedBucketSite {
  readonly environment: string;
  readonly accountId: string;
  readonly partition: string;
  readonly role: 'primary' | 'dr';
  /** The region of this copy. */
  readonly region: string;
  /** The DR region, when the primary replicates to one. */
  readonly replicateToRegion?: string;
  readonly forceDestroy: boolean;
}

export interface ImageStorageProps extends ReplicatedBucketSite {
  readonly imageVersionExpiryDays: number;
  readonly processedImageExpiryDays: number;
}

/** Key prefix of rendered images; they can be rendered again, so they expire when unused. */
export const PROCESSED_PREFIX = 'processed/';

/** The DR copy's bucket name: environment, region and account make it globally unique and predictable. */
export function replicaBucketName(environment: string, region: string, accountId: string): string {
  return `imaging-${environment}-images-${region}-${accountId}`;
}

export class ImageStorage extends Construct {
  public readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: ImageStorageProps) {
    super(scope, id);
    const replica = props.replicateToRegion;
    this.bucket = new SecureBucket(this, 'images', {
      bucketPrefix: `imaging-${props.environment}-images-`,
      noncurrentVersionExpirationDays: props.imageVersionExpiryDays,
      lifecycleRules: [{ id: 'expire-processed-images', prefix: PROCESSED_PREFIX, expirationDays: props.processedImageExpiryDays }],
      forceDestroy: props.forceDestroy,
      replication:
        replica === undefined
          ? undefined
          : { destinationBucketArn: `arn:${props.partition}:s3:::${replicaBucketName(props.environment, replica, props.accountId)}` },
    });
    if (props.role === 'dr') {
      // SecureBucket only generates names; the replica's must be the one the primary replicates to.
      this.bucket.bucket.bucket = replicaBucketName(props.environment, props.region, props.accountId);
      this.bucket.bucket.resetBucketPrefix();
    }
  }

  /**
   * Denies object reads and writes to the application's roles unless the request comes through
   * `s3EndpointId` (seed: "accessible via VPC endpoint for application processing"). CloudFront
   * (origin access control) and replication are other principals and are unaffected.
   */
  restrictToVpcEndpoint(s3EndpointId: string, applicationRoleArns: string[]): void {
    this.bucket.addToResourcePolicy({
      sid: 'ApplicationOnlyThroughVpcEndpoint',
      effect: 'Deny',
      principals: '*',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${this.bucket.arn}/*`],
      conditions: {
        StringNotEquals: { 'aws:SourceVpce': s3EndpointId },
        ArnEquals: { 'aws:PrincipalArn': applicationRoleArns },
      },
    });
  }
}
