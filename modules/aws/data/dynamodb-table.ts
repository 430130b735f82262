// A DynamoDB table: on-demand, KMS-encrypted, point-in-time recovery, protected from deletion.
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { PropProblems } from '../../core/validation.js';

export type AttributeType = 'S' | 'N' | 'B';
export interface TableKey {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalSecondaryIndex {
  /** Index name (3-255 letters, digits, '_', '-', '.'). */
  readonly name: string;
  readonly partitionKey: TableKey;
  /** @default none */
  readonly sortKey?: TableKey;
  /** 'ALL', 'KEYS_ONLY', or the non-key attributes to include. @default 'ALL' */
  readonly projection?: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

export type StreamView = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface TableProps {
  readonly name: string;
  readonly partitionKey: TableKey;
  /** @default none */
  readonly sortKey?: TableKey;
  /** @default the AWS-managed key (alias/aws/dynamodb); SSE is always on */
  readonly kmsKeyArn?: string;
  /** @default on-demand (PAY_PER_REQUEST); give both to provision */
  readonly provisioned?: { readonly readCapacity: number; readonly writeCapacity: number };
  /** @default no stream */
  readonly stream?: StreamView;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Days point-in-time recovery reaches back (1-35). @default 35 */
  readonly pointInTimeRecoveryDays?: number;
  /** Attribute holding an expiry time (epoch seconds). @default no TTL */
  readonly timeToLiveAttribute?: string;
  /** @default none */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndex[];
  /** @default 'STANDARD' */
  readonly tableClass?: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
}

const ATTRIBUTE_TYPES: readonly AttributeType[] = ['S', 'N', 'B'];
const STREAM_VIEWS: readonly StreamView[] = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export class Table extends Construct {
  public readonly table: DynamodbTable;
  public readonly name: string;
  public readonly arn: string;
  /** Set when `stream` is given. */
  public readonly streamArn?: string;

  constructor(scope: Construct, id: string, props: TableProps) {
    super(scope, id);
    const attributes = validate(this, props);
    const indexes = props.globalSecondaryIndexes ?? [];
    this.table = new DynamodbTable(this, 'table', {
      name: props.name,
      hashKey: props.partitionKey.name,
      rangeKey: props.sortKey?.name,
      attribute: attributes,
      billingMode: props.provisioned === undefined ? 'PAY_PER_REQUEST' : 'PROVISIONED',
      readCapacity: props.provisioned?.readCapacity,
      writeCapacity: props.provisioned?.writeCapacity,
      serverSideEncryption: { enabled: true, kmsKeyArn: props.kmsKeyArn },
      pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: props.pointInTimeRecoveryDays ?? 35 },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      streamEnabled: props.stream === undefined ? undefined : true,
      streamViewType: props.stream,
      ttl: props.timeToLiveAttribute === undefined ? undefined : { enabled: true, attributeName: props.timeToLiveAttribute },
      tableClass: props.tableClass,
      globalSecondaryIndex:
        indexes.length === 0
          ? undefined
          : indexes.map((index) => ({
              name: index.name,
              hashKey: index.partitionKey.name,
              rangeKey: index.sortKey?.name,
              projectionType: typeof index.projection === 'object' ? 'INCLUDE' : (index.projection ?? 'ALL'),
              nonKeyAttributes: typeof index.projection === 'object' ? [...index.projection] : undefined,
              readCapacity: props.provisioned?.readCapacity,
              writeCapacity: props.provisioned?.writeCapacity,
            })),
    });
    this.name = this.table.name;
    this.arn = this.table.arn;
    if (props.stream !== undefined) this.streamArn = this.table.streamArn;
  }
}

/** Validates props and returns the attribute definitions every key needs (each name once). */
function validate(scope: Construct, props: TableProps): Array<{ name: string; type: string }> {
  const p = new PropProblems(scope, 'Table')
    .matches('name', props.name, TABLE_NAME, "3-255 letters, digits, '_', '-' or '.'")
    .oneOf('stream', props.stream, STREAM_VIEWS)
    .range('pointInTimeRecoveryDays', props.pointInTimeRecoveryDays, 1, 35)
    .matches('kmsKeyArn', props.kmsKeyArn, /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/, 'a KMS key ARN')
    .oneOf('tableClass', props.tableClass, ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] as const)
    .range('provisioned.readCapacity', props.provisioned?.readCapacity, 1, 40_000)
    .range('provisioned.writeCapacity', props.provisioned?.writeCapacity, 1, 40_000);

  const types = new Map<string, AttributeType>();
  const key = (where: string, k: TableKey | undefined) => {
    if (k === undefined) return;
    p.oneOf(`${where}.type`, k.type, ATTRIBUTE_TYPES);
    p.matches(`${where}.name`, k.name, /^.{1,255}$/, '1-255 characters');
    const known = types.get(k.name);
    p.check(
      known === undefined || known === k.type,
      `${where}: attribute ${JSON.stringify(k.name)} is typed ${known} elsewhere (got ${k.type})`,
    );
    types.set(k.name, k.type);
  };
  key('partitionKey', props.partitionKey);
  key('sortKey', props.sortKey);
  const seen = new Set<string>();
  for (const index of props.globalSecondaryIndexes ?? []) {
    p.matches(`globalSecondaryIndexes[${index.name}].name`, index.name, TABLE_NAME, "3-255 letters, digits, '_', '-' or '.'");
    p.check(!seen.has(index.name), `globalSecondaryIndexes names must be unique (got ${JSON.stringify(index.name)} twice)`);
    seen.add(index.name);
    key(`globalSecondaryIndexes[${index.name}].partitionKey`, index.partitionKey);
    key(`globalSecondaryIndexes[${index.name}].sortKey`, index.sortKey);
    if (Array.isArray(index.projection)) {
      p.check(
        index.projection.length > 0,
        `globalSecondaryIndexes[${index.name}].projection must list at least one attribute, or be 'ALL' or 'KEYS_ONLY' (got [])`,
      );
    } else {
      p.oneOf(`globalSecondaryIndexes[${index.name}].projection`, index.projection, ['ALL', 'KEYS_ONLY'] as const);
    }
  }
  p.throwIfAny();
  return [...types].map(([name, type]) => ({ name, type }));
}
