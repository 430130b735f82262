// Entry of the user service: USERS_TABLE.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoTable } from '../../../function-kit/dynamo-table.js';
import { userService } from './handler.js';

export const handler = userService({ users: dynamoTable(new DynamoDBClient({}), process.env.USERS_TABLE ?? '', 'userId') });
