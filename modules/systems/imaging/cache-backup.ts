// Seed 001's "sync redis cache backup to DR region": every day a function exports the link cache's
// newest automatic snapshot (.rdb) into a backup bucket, which replicates to the DR copy's bucket.
// The DR cache can then be seeded from the latest copy (`snapshot_arns`) when the region fails over.
// ElastiCache writes the export with its own regional service principal, so the bucket policy names
// it; the function itself may only describe and copy this group's snapshots.
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import { SecureBucket } from '../../aws/data/s3-bucket.js';
import { functionEntry } from '../function-source.js';
import type { ReplicatedBucketSite } from './storage.js';

export interface CacheBackupProps extends ReplicatedBucketSite {
  /** Days a copied snapshot is kept (the DR side keeps the replicas as long). */
  readonly retentionDays: number;
  /** The primary's export function; absent in the DR copy, whose bucket only receives. */
  readonly exporter?: {
    readonly replicationGroupId: string;
    readonly prefix: string;
    readonly logRetentionDays: number;
    readonly deadLetterQueueArn: string;
    readonly vpc: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  };
}

/** After the snapshot window the imaging stack gives its cache (03:00-04:00 UTC). */
export const CACHE_BACKUP_SCHEDULE = 'cron(30 5 * * ? *)';

/** The backup bucket's name in a region: predictable, so the primary can replicate to the DR copy's. */
export function cacheBackupBucketName(environment: string, region: string, accountId: string): string {
  return `imaging-${environment}-cache-backups-${region}-${accountId}`;
}

export class CacheBackup extends Construct {
  public readonly bucket: SecureBucket;
  /** The primary's daily export. */
  public readonly exporter?: LambdaFunction;

  constructor(scope: Construct, id: string, props: CacheBackupProps) {
    super(scope, id);
    const arn = (region: string) => `arn:${props.partition}:s3:::${cacheBackupBucketName(props.environment, region, props.accountId)}`;
    this.bucket = new SecureBucket(this, 'bucket', {
      bucketPrefix: `imaging-${props.environment}-cache-backups-`,
      lifecycleRules: [{ id: 'expire-cache-backups', expirationDays: props.retentionDays }],
      noncurrentVersionExpirationDays: 1,
      forceDestroy: props.forceDestroy,
      replication: props.replicateToRegion === undefined ? undefined : { destinationBucketArn: arn(props.replicateToRegion) },
    });
    // SecureBucket generates names; both copies need the predictable one.
    this.bucket.bucket.bucket = cacheBackupBucketName(props.environment, props.region, props.accountId);
    this.bucket.bucket.resetBucketPrefix();
    this.bucket.addToResourcePolicy({
      sid: 'ElastiCacheSnapshotExportAndSeed',
      principals: { Service: `${props.region}.elasticache-snapshot.amazonaws.com` },
      // Export writes here (primary); seeding a cache reads from here (DR copy, or a rebuilt primary).
      actions: [
        's3:PutObject',
        's3:GetObject',
        's3:ListBucket',
        's3:GetBucketAcl',
        's3:ListMultipartUploadParts',
        's3:ListBucketMultipartUploads',
      ],
      resources: [this.bucket.arn, `${this.bucket.arn}/*`],
      conditions: { StringEquals: { 'aws:SourceAccount': props.accountId } },
    });
    if (props.exporter) this.exporter = this.exportDaily(props, props.exporter);
  }

  private exportDaily(props: CacheBackupProps, e: NonNullable<CacheBackupProps['exporter']>): LambdaFunction {
    const fn = new LambdaFunction(this, 'function', {
      name: `${e.prefix}-cache-backup`,
      description: "Exports the link cache's newest automatic snapshot to the backup bucket (replicated to DR)",
      runtime: 'nodejs22.x',
      handler: 'cache-backup.handler',
      entry: functionEntry('imaging', 'cache-backup'),
      timeoutSeconds: 60,
      reservedConcurrency: 1,
      deadLetterQueueArn: e.deadLetterQueueArn,
      logRetentionDays: e.logRetentionDays,
      vpc: e.vpc,
      environment: { REPLICATION_GROUP_ID: e.replicationGroupId, BACKUP_BUCKET: this.bucket.bucketName, MAX_SNAPSHOT_AGE_HOURS: '36' },
    });
    const elasticache = `arn:${props.partition}:elasticache:${props.region}:${props.accountId}`;
    fn.role.addStatements(
      {
        sid: 'DescribeAndCopyThisGroupsSnapshots',
        actions: ['elasticache:DescribeSnapshots', 'elasticache:CopySnapshot'],
        resources: [`${elasticache}:replicationgroup:${e.replicationGroupId}`, `${elasticache}:snapshot:*${e.replicationGroupId}*`],
      },
      // CopySnapshot to a bucket checks that the caller can see the bucket.
      { sid: 'LocateBackupBucket', actions: ['s3:GetBucketLocation'], resources: [this.bucket.arn] },
      { sid: 'ListBucketsForExport', actions: ['s3:ListAllMyBuckets'], resources: ['*'] },
    );
    const rule = new CloudwatchEventRule(this, 'schedule', {
      name: `${e.prefix}-cache-backup`,
      description: "Daily copy of the link cache's snapshot to the DR-replicated backup bucket",
      scheduleExpression: CACHE_BACKUP_SCHEDULE,
    });
    new CloudwatchEventTarget(this, 'schedule-target', { rule: rule.name, arn: fn.arn });
    fn.allowInvoke('schedule', 'events.amazonaws.com', rule.arn);
    return fn;
  }
}
