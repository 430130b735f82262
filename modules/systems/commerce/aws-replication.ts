// The seed's DR data for S3: the primary site's product-images and static-assets replicate into the DR
// copy's buckets. The DR stack owns the replication (configured on the primary's buckets through the
// resource-level `region`): it is applied after the primary (it looks up the primary's table replicas),
// so both ends exist when it configures replication; a primary-owned rule would need the DR buckets first.
// Every bucket name is derived from prefix, bucket, region and account, so neither stack reads the other's state.
import { Construct } from 'constructs';
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias/index.js';
import { BucketReplication } from '../../aws/data/bucket-replication.js';
import type { SecureBucket } from '../../aws/data/s3-bucket.js';
import type { CommerceBucket } from './aws-data.js';

/** The globally unique name of a commerce bucket at a site: `<prefix>-<bucket>-<region>-<account>`. */
export function commerceBucketName(prefix: string, bucket: CommerceBucket, region: string, accountId: string): string {
  const name = `${prefix}-${bucket}-${region}-${accountId}`;
  if (name.length > 63) {
    throw new Error(`commerce: bucket name ${name} is ${name.length} characters; S3 allows 63 (shorten the environment name)`);
  }
  return name;
}

export interface PrimaryBucketsReplicationProps {
  /** The primary site's prefix (`commerce-<env>`): its buckets' names and its key's alias. */
  readonly primaryPrefix: string;
  readonly primaryRegion: string;
  readonly accountId: string;
  readonly partition: string;
  /** The DR copy's buckets, the destinations. */
  readonly buckets: Readonly<Record<CommerceBucket, SecureBucket>>;
  /** The DR copy's key: replicas are encrypted with it. */
  readonly kmsKeyArn: string;
}

/** Replicates every object (and delete marker) of the primary's buckets into this DR copy's buckets. */
export class PrimaryBucketsReplication extends Construct {
  public readonly replications: Readonly<Record<CommerceBucket, BucketReplication>>;

  constructor(scope: Construct, id: string, props: PrimaryBucketsReplicationProps) {
    super(scope, id);
    // The primary's objects are encrypted with its system key; the role may decrypt with it only.
    const sourceKey = new DataAwsKmsAlias(this, 'primary-key', { name: `alias/${props.primaryPrefix}`, region: props.primaryRegion });
    const replications = {} as Record<CommerceBucket, BucketReplication>;
    for (const [bucket, destination] of Object.entries(props.buckets) as [CommerceBucket, SecureBucket][]) {
      const source = commerceBucketName(props.primaryPrefix, bucket, props.primaryRegion, props.accountId);
      const replication = new BucketReplication(this, bucket, {
        sourceBucketName: source,
        sourceBucketArn: `arn:${props.partition}:s3:::${source}`,
        sourceKmsKeyArn: sourceKey.targetKeyArn,
        destinationBucketArn: destination.arn,
        destinationKmsKeyArn: props.kmsKeyArn,
        dependsOn: [destination.versioning],
      });
      replication.configuration.region = props.primaryRegion;
      replications[bucket] = replication;
    }
    this.replications = replications;
  }
}
