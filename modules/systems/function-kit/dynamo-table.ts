// The Table port over the runtime's DynamoDB client.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { fromItem, toAttribute, toItem, type AttributeValue } from './dynamo.js';
import type { Table } from './table.js';

export function dynamoTable(client: SdkClient, tableName: string, keyName: string): Table {
  const key = (value: string): Record<string, AttributeValue> => ({ [keyName]: { S: value } });
  return {
    get: async (k) => {
      const found = await client.send(new GetItemCommand({ TableName: tableName, Key: key(k) }));
      return found.Item && fromItem(found.Item);
    },
    put: async (item) => {
      await client.send(new PutItemCommand({ TableName: tableName, Item: toItem(item) }));
    },
    remove: async (k) => {
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: key(k) }));
    },
    scan: async (limit, after) => {
      const start =
        after === undefined ? undefined : (JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Record<string, AttributeValue>);
      const page = await client.send(new ScanCommand({ TableName: tableName, Limit: limit, ExclusiveStartKey: start }));
      const next = page.LastEvaluatedKey && Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url');
      return { items: (page.Items ?? []).map(fromItem), next };
    },
    add: async (k, field, delta, min) => {
      const floor = min === undefined ? '' : ' AND #f >= :floor';
      try {
        const updated = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(k),
            UpdateExpression: 'SET #f = #f + :delta',
            ConditionExpression: `attribute_exists(#k)${floor}`,
            ExpressionAttributeNames: { '#f': field, '#k': keyName },
            ExpressionAttributeValues: {
              ':delta': toAttribute(delta),
              ...(min === undefined ? {} : { ':floor': toAttribute(min - delta) }),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return updated.Attributes && (fromItem(updated.Attributes)[field] as number);
      } catch (e) {
        if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return undefined;
        throw e;
      }
    },
  };
}
