import { TerraformOutput, Testing } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { Table } from './dynamodb-table.js';
import { onlyResource, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const table = (s: ReturnType<typeof synth>) => onlyResource(s, 'aws_dynamodb_table');

describe('Table', () => {
  test('GIVEN a name and a partition key WHEN synthesized THEN the table is on-demand, encrypted, recoverable and protected', () => {
    const out = Testing.synthScope((scope) => new Table(scope, 't', { name: 'orders', partitionKey: { name: 'pk', type: 'S' } }));
    expect(out).toHaveResourceWithProperties(DynamodbTable, {
      name: 'orders',
      hash_key: 'pk',
      attribute: [{ name: 'pk', type: 'S' }],
      billing_mode: 'PAY_PER_REQUEST',
      server_side_encryption: { enabled: true },
      point_in_time_recovery: { enabled: true, recovery_period_in_days: 35 },
      deletion_protection_enabled: true,
    });
    const t = onlyResource(JSON.parse(out), 'aws_dynamodb_table');
    for (const absent of ['stream_enabled', 'ttl', 'global_secondary_index', 'read_capacity', 'range_key'])
      expect(t[absent]).toBeUndefined();
  });

  test('GIVEN a key, a stream, TTL, a sort key and other props WHEN synthesized THEN each one shows on the table', () => {
    const t = table(
      synth(
        (scope) =>
          new Table(scope, 't', {
            name: 'orders',
            partitionKey: { name: 'pk', type: 'S' },
            sortKey: { name: 'sk', type: 'N' },
            kmsKeyArn: KEY,
            stream: 'NEW_AND_OLD_IMAGES',
            timeToLiveAttribute: 'expiresAt',
            deletionProtection: false,
            pointInTimeRecoveryDays: 7,
            tableClass: 'STANDARD_INFREQUENT_ACCESS',
          }),
      ),
    );
    expect(t).toMatchObject({
      range_key: 'sk',
      attribute: [
        { name: 'pk', type: 'S' },
        { name: 'sk', type: 'N' },
      ],
      server_side_encryption: { enabled: true, kms_key_arn: KEY },
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      ttl: { enabled: true, attribute_name: 'expiresAt' },
      deletion_protection_enabled: false,
      point_in_time_recovery: { enabled: true, recovery_period_in_days: 7 },
      table_class: 'STANDARD_INFREQUENT_ACCESS',
    });
  });

  test('GIVEN provisioned capacity and indexes WHEN synthesized THEN each index key is defined once and capacity applies to the indexes', () => {
    const t = table(
      synth(
        (scope) =>
          new Table(scope, 't', {
            name: 'orders',
            partitionKey: { name: 'pk', type: 'S' },
            provisioned: { readCapacity: 5, writeCapacity: 2 },
            globalSecondaryIndexes: [
              { name: 'by-customer', partitionKey: { name: 'customerId', type: 'S' }, sortKey: { name: 'createdAt', type: 'N' } },
              {
                name: 'by-status',
                partitionKey: { name: 'status', type: 'S' },
                sortKey: { name: 'createdAt', type: 'N' },
                projection: ['total'],
              },
              { name: 'keys', partitionKey: { name: 'customerId', type: 'S' }, projection: 'KEYS_ONLY' },
            ],
          }),
      ),
    );
    expect(t).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 5, write_capacity: 2 });
    expect(t.attribute).toEqual([
      { name: 'pk', type: 'S' },
      { name: 'customerId', type: 'S' },
      { name: 'createdAt', type: 'N' },
      { name: 'status', type: 'S' },
    ]);
    expect(
      (t.global_secondary_index as Array<Record<string, unknown>>).map((i) => [
        i.name,
        i.projection_type,
        i.non_key_attributes,
        i.read_capacity,
      ]),
    ).toEqual([
      ['by-customer', 'ALL', undefined, 5],
      ['by-status', 'INCLUDE', ['total'], 5],
      ['keys', 'KEYS_ONLY', undefined, 5],
    ]);
  });

  test('GIVEN a table with a stream WHEN constructed THEN name, ARN and stream ARN are exposed; without one THEN streamArn is undefined', () => {
    const scope = stack();
    const t = new Table(scope, 't', { name: 'orders', partitionKey: { name: 'pk', type: 'S' }, stream: 'NEW_IMAGE' });
    new TerraformOutput(scope, 'fields', { value: [t.name, t.arn, t.streamArn] });
    expect(JSON.parse(Testing.synth(scope)).output.fields.value).toEqual([
      expect.stringMatching(/\.name\}$/),
      expect.stringMatching(/\.arn\}$/),
      expect.stringMatching(/\.stream_arn\}$/),
    ]);
    expect(new Table(stack(), 't', { name: 'orders', partitionKey: { name: 'pk', type: 'S' } }).streamArn).toBeUndefined();
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new Table(stack(), 't', {
          name: 'or',
          partitionKey: { name: 'pk', type: 'X' as 'S' },
          sortKey: { name: 'pk', type: 'N' },
          stream: 'ALL' as 'NEW_IMAGE',
          pointInTimeRecoveryDays: 36,
          kmsKeyArn: 'alias/aws/dynamodb',
          provisioned: { readCapacity: 0, writeCapacity: 1 },
          globalSecondaryIndexes: [
            { name: 'by-x', partitionKey: { name: 'x', type: 'S' }, projection: [] },
            { name: 'by-x', partitionKey: { name: 'x', type: 'N' }, projection: 'SOME' as 'ALL' },
          ],
        }),
    ).toThrow(
      [
        `Table test/t: name must be 3-255 letters, digits, '_', '-' or '.' (got "or")`,
        'stream must be one of "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY" (got "ALL")',
        'pointInTimeRecoveryDays must be an integer between 1 and 35 (got 36)',
        'kmsKeyArn must be a KMS key ARN (got "alias/aws/dynamodb")',
        'provisioned.readCapacity must be an integer between 1 and 40000 (got 0)',
        'partitionKey.type must be one of "S", "N", "B" (got "X")',
        'sortKey: attribute "pk" is typed X elsewhere (got N)',
        "globalSecondaryIndexes[by-x].projection must list at least one attribute, or be 'ALL' or 'KEYS_ONLY' (got [])",
        'globalSecondaryIndexes names must be unique (got "by-x" twice)',
        'globalSecondaryIndexes[by-x].partitionKey: attribute "x" is typed S elsewhere (got N)',
        'globalSecondaryIndexes[by-x].projection must be one of "ALL", "KEYS_ONLY" (got "SOME")',
      ].join('; '),
    );
  });
});
