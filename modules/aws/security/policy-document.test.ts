import { mergeStatements, policyDocument } from './policy-document.js';

describe('policyDocument', () => {
  test('GIVEN one action and one resource WHEN rendered THEN IAM JSON uses scalars and Allow by default', () => {
    const doc = JSON.parse(policyDocument([{ sid: 'A', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }]));
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
    });
  });

  test('GIVEN principals, conditions and no resources WHEN rendered THEN Principal and Condition appear and Resource is omitted', () => {
    const doc = JSON.parse(
      policyDocument([
        {
          sid: 'Trust',
          effect: 'Deny',
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: [],
          principals: { Service: 'lambda.amazonaws.com' },
          conditions: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ]),
    );
    expect(doc.Statement[0]).toEqual({
      Sid: 'Trust',
      Effect: 'Deny',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
  });
});

describe('mergeStatements', () => {
  test('GIVEN two statements with one sid and the same actions WHEN merged THEN resources are unioned without duplicates', () => {
    const merged = mergeStatements([
      { sid: 'R', actions: ['sns:Publish'], resources: ['arn:a', 'arn:b'] },
      { sid: 'R', actions: ['sns:Publish'], resources: ['arn:b', 'arn:c'] },
      { sid: 'S', actions: ['sqs:SendMessage'], resources: ['arn:q'] },
    ]);
    expect(merged).toEqual([
      { sid: 'R', actions: ['sns:Publish'], resources: ['arn:a', 'arn:b', 'arn:c'] },
      { sid: 'S', actions: ['sqs:SendMessage'], resources: ['arn:q'] },
    ]);
  });

  test('GIVEN one sid with different actions WHEN merged THEN it throws naming the sid', () => {
    expect(() =>
      mergeStatements([
        { sid: 'R', actions: ['sns:Publish'], resources: ['arn:a'] },
        { sid: 'R', actions: ['sqs:SendMessage'], resources: ['arn:b'] },
      ]),
    ).toThrow('policy statement sid "R" is used twice with different contents');
  });
});
