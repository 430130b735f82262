// The AWS data layer of commerce (seed 004): DynamoDB tables Products, Users and Inventory, and the
// S3 buckets product-images and static-assets. Every table streams its changes (new and old images)
// for the DynamoDB → Azure SQL change capture. With a DR region, the primary's tables become global
// tables with a replica there; the DR stack then uses those replicas instead of creating tables.
// A global table cannot mix customer-managed and AWS-managed keys, so the primary stack also creates
// the replicas' key in the DR region (provider 6's resource-level `region`), under a known alias.
// Buckets carry derived names (aws-replication.ts): a DR copy replicates the primary's into its own.
import { Construct } from 'constructs';
import { DataAwsDynamodbTable } from '@cdktf/provider-aws/lib/data-aws-dynamodb-table/index.js';
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { SecureBucket } from '../../aws/data/s3-bucket.js';
import { Table } from '../../aws/data/dynamodb-table.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { KmsKey } from '../../aws/security/kms-key.js';
import { commerceBucketName, PrimaryBucketsReplication } from './aws-replication.js';

/** The seed's tables and their keys. */
export const COMMERCE_TABLES = {
  Products: { partitionKey: 'productId' },
  Users: { partitionKey: 'userId' },
  Inventory: { partitionKey: 'productId' },
} as const;
export type CommerceTable = keyof typeof COMMERCE_TABLES;
export const COMMERCE_TABLE_NAMES = Object.keys(COMMERCE_TABLES) as CommerceTable[];

/** The seed's buckets. */
export const COMMERCE_BUCKETS = ['product-images', 'static-assets'] as const;
export type CommerceBucket = (typeof COMMERCE_BUCKETS)[number];

/** What the functions need of a table, wherever it lives. */
export interface TableRef {
  readonly name: string;
  readonly arn: string;
  readonly streamArn: string;
}

export type CommerceTables =
  /** Create the tables here; with `replicaRegion`, as global tables replicated to it (the DR region). */
  | { readonly mode: 'create'; readonly replicaRegion?: string }
  /** Use the replicas the primary site's global tables keep in this region (look them up by name). */
  | { readonly mode: 'replica' };

export interface CommerceDataProps {
  /** Prefix of bucket names, e.g. `commerce-prod-dr-`. */
  readonly prefix: string;
  /** Prefix of table names: the primary site's, so replicas share the names. */
  readonly tablePrefix: string;
  readonly kmsKeyArn: string;
  readonly tables: CommerceTables;
  readonly recoveryDays: number;
  readonly deletionProtection: boolean;
  readonly accountId: string;
  /** The region of this site (part of the bucket names). */
  readonly region: string;
  /** In a DR copy: the primary site's region, whose buckets replicate into this copy's. @default no replication */
  readonly replicateFromRegion?: string;
}

/** Alias of the key that encrypts the tables' replicas in the DR region. */
export function replicaKeyAlias(tablePrefix: string): string {
  return `alias/${tablePrefix}-tables-replica`;
}

export class CommerceData extends Construct {
  public readonly tables: Readonly<Record<CommerceTable, TableRef>>;
  /** The key the tables in this region are encrypted with (the replica key in a DR copy). */
  public readonly tablesKeyArn: string;
  /** Set in a primary stack with a DR region: the replicas' key, created in that region. */
  public readonly replicaKey?: KmsKey;
  public readonly buckets: Readonly<Record<CommerceBucket, SecureBucket>>;
  /** The tables this stack created (none in a DR copy). */
  public readonly createdTables: Readonly<Partial<Record<CommerceTable, Table>>>;
  /** Set in a DR copy: the primary's buckets replicating into this copy's. */
  public readonly replication?: PrimaryBucketsReplication;

  constructor(scope: Construct, id: string, props: CommerceDataProps) {
    super(scope, id);
    const tables = {} as Record<CommerceTable, TableRef>;
    const created: Partial<Record<CommerceTable, Table>> = {};
    const replicaRegion = props.tables.mode === 'create' ? props.tables.replicaRegion : undefined;
    if (props.tables.mode === 'replica') {
      this.tablesKeyArn = new DataAwsKmsAlias(this, 'replica-key', { name: replicaKeyAlias(props.tablePrefix) }).targetKeyArn;
    } else {
      this.tablesKeyArn = props.kmsKeyArn;
    }
    if (replicaRegion !== undefined) {
      this.replicaKey = new KmsKey(this, 'replica-key', { description: `${props.tablePrefix}: DynamoDB replicas in ${replicaRegion}` });
      this.replicaKey.key.region = replicaRegion;
      new KmsAlias(this, 'replica-key-alias', {
        name: replicaKeyAlias(props.tablePrefix),
        targetKeyId: this.replicaKey.keyId,
        region: replicaRegion,
      });
    }
    for (const name of COMMERCE_TABLE_NAMES) {
      const tableName = `${props.tablePrefix}-${name}`;
      if (props.tables.mode === 'replica') {
        const replica = new DataAwsDynamodbTable(this, `${name}-replica`, { name: tableName });
        tables[name] = { name: tableName, arn: replica.arn, streamArn: replica.streamArn };
        continue;
      }
      const table = new Table(this, name, {
        name: tableName,
        partitionKey: { name: COMMERCE_TABLES[name].partitionKey, type: 'S' },
        kmsKeyArn: props.kmsKeyArn,
        stream: 'NEW_AND_OLD_IMAGES',
        pointInTimeRecoveryDays: props.recoveryDays,
        deletionProtection: props.deletionProtection,
      });
      if (this.replicaKey !== undefined) {
        // Table has no replica prop yet (escape hatch).
        table.table.addOverride('replica', [
          { region_name: replicaRegion, kms_key_arn: this.replicaKey.arn, point_in_time_recovery: true, propagate_tags: true },
        ]);
      }
      created[name] = table;
      tables[name] = { name: table.name, arn: table.arn, streamArn: table.streamArn! };
    }
    this.tables = tables;
    this.createdTables = created;

    this.buckets = {
      // Product photos, uploaded by clients through pre-signed URLs the product service hands out.
      'product-images': new SecureBucket(this, 'product-images', {
        bucketPrefix: `${props.prefix}-product-images-`,
        kmsKeyArn: props.kmsKeyArn,
        forceDestroy: !props.deletionProtection,
      }),
      // The front end's build output, written by the release pipeline.
      'static-assets': new SecureBucket(this, 'static-assets', {
        bucketPrefix: `${props.prefix}-static-assets-`,
        kmsKeyArn: props.kmsKeyArn,
        noncurrentVersionExpirationDays: 30,
        forceDestroy: !props.deletionProtection,
      }),
    };
    for (const [name, bucket] of Object.entries(this.buckets) as [CommerceBucket, SecureBucket][]) {
      // SecureBucket generates names from a prefix; replication needs names the other site can derive.
      bucket.bucket.bucket = commerceBucketName(props.prefix, name, props.region, props.accountId);
      bucket.bucket.resetBucketPrefix();
    }
    if (props.replicateFromRegion !== undefined) {
      this.replication = new PrimaryBucketsReplication(this, 'replication-from-primary', {
        primaryPrefix: props.tablePrefix,
        primaryRegion: props.replicateFromRegion,
        accountId: props.accountId,
        partition: awsAccountContext(this).partition,
        buckets: this.buckets,
        kmsKeyArn: props.kmsKeyArn,
      });
    }
  }
}
