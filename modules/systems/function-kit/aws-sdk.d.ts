// The part of AWS SDK v3 the functions use. Lambda's Node.js runtimes provide the SDK, so the bundles
// leave `@aws-sdk/*` out and the repository does not install it; these declarations let the entry
// files type-check. Every call goes through `client.send(new <Command>(input))`, as in the SDK.
interface SdkClient {
  send<Output>(command: SdkCommand<Output>): Promise<Output>;
}
interface SdkCommand<Output> {
  readonly input: unknown;
}
type SdkCommandClass<Input, Output> = new (input: Input) => SdkCommand<Output>;
type SdkClientClass = new (config: Record<string, unknown>) => SdkClient;

declare module '@aws-sdk/client-secrets-manager' {
  export const SecretsManagerClient: SdkClientClass;
  export const GetSecretValueCommand: SdkCommandClass<{ SecretId: string }, { SecretString?: string }>;
}

declare module '@aws-sdk/client-sqs' {
  export const SQSClient: SdkClientClass;
  export const SendMessageCommand: SdkCommandClass<
    {
      QueueUrl: string;
      MessageBody: string;
      MessageGroupId?: string;
      MessageAttributes?: Record<string, { DataType: 'String'; StringValue: string }>;
    },
    { MessageId?: string }
  >;
}

declare module '@aws-sdk/client-eventbridge' {
  export const EventBridgeClient: SdkClientClass;
  export const PutEventsCommand: SdkCommandClass<
    { Entries: { EventBusName: string; Source: string; DetailType: string; Detail: string }[] },
    { FailedEntryCount?: number; Entries?: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] }
  >;
}

declare module '@aws-sdk/client-s3' {
  export const S3Client: SdkClientClass;
  export const HeadObjectCommand: SdkCommandClass<{ Bucket: string; Key: string }, { ContentLength?: number }>;
  export const GetObjectCommand: SdkCommandClass<
    { Bucket: string; Key: string; Range?: string },
    { Body?: { transformToByteArray(): Promise<Uint8Array> } }
  >;
  export const PutObjectCommand: SdkCommandClass<{ Bucket: string; Key: string; Body: string; ContentType: string }, unknown>;
  export const ListObjectsV2Command: SdkCommandClass<
    { Bucket: string; Prefix?: string; MaxKeys?: number; ContinuationToken?: string },
    { Contents?: { Key?: string; Size?: number; LastModified?: Date }[]; NextContinuationToken?: string }
  >;
}

declare module '@aws-sdk/client-dynamodb' {
  export type AttributeValue = import('./dynamo.js').AttributeValue;
  export const DynamoDBClient: SdkClientClass;
  export const GetItemCommand: SdkCommandClass<
    { TableName: string; Key: Record<string, AttributeValue> },
    { Item?: Record<string, AttributeValue> }
  >;
  export const PutItemCommand: SdkCommandClass<
    { TableName: string; Item: Record<string, AttributeValue>; ConditionExpression?: string },
    unknown
  >;
  export const DeleteItemCommand: SdkCommandClass<{ TableName: string; Key: Record<string, AttributeValue> }, unknown>;
  export const ScanCommand: SdkCommandClass<
    { TableName: string; Limit?: number; ExclusiveStartKey?: Record<string, AttributeValue> },
    { Items?: Record<string, AttributeValue>[]; LastEvaluatedKey?: Record<string, AttributeValue> }
  >;
  export const UpdateItemCommand: SdkCommandClass<
    {
      TableName: string;
      Key: Record<string, AttributeValue>;
      UpdateExpression: string;
      ConditionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, AttributeValue>;
      ReturnValues?: 'ALL_NEW';
    },
    { Attributes?: Record<string, AttributeValue> }
  >;
}

declare module '@aws-sdk/client-elasticache' {
  export const ElastiCacheClient: SdkClientClass;
  export const DescribeSnapshotsCommand: SdkCommandClass<
    { ReplicationGroupId: string; SnapshotSource?: 'automated' | 'manual'; Marker?: string },
    {
      Marker?: string;
      Snapshots?: { SnapshotName?: string; SnapshotStatus?: string; NodeSnapshots?: { SnapshotCreateTime?: Date | string }[] }[];
    }
  >;
  export const CopySnapshotCommand: SdkCommandClass<
    { SourceSnapshotName: string; TargetSnapshotName: string; TargetBucket?: string },
    { Snapshot?: { SnapshotName?: string } }
  >;
}
