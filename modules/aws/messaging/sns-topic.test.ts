import { AnnotationMetadataEntryType, Testing } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { AlarmTopic } from './sns-topic.js';
import { onlyResource, policyOf, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC = '${aws_sns_topic.t_topic_FD5ED4FB.arn}';
const ACCOUNT = '${data.aws_caller_identity.aws-context-messaging_caller_8A7296A9.account_id}';

describe('AlarmTopic', () => {
  test('GIVEN only a name WHEN synthesized THEN the topic is encrypted with alias/aws/sns and has no subscriptions', () => {
    const out = Testing.synthScope((scope) => new AlarmTopic(scope, 't', { name: 'alarms' }));
    expect(out).toHaveResourceWithProperties(SnsTopic, { name: 'alarms', kms_master_key_id: 'alias/aws/sns' });
    expect(resourcesOf(JSON.parse(out), 'aws_sns_topic_subscription')).toEqual({});
  });

  test('GIVEN the AWS-managed key WHEN constructed THEN a warning says CloudWatch cannot publish with it; GIVEN a CMK THEN none', () => {
    const withDefault = new AlarmTopic(stack(), 't', { name: 'alarms' });
    const warnings = (t: AlarmTopic) =>
      t.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
    expect(warnings(withDefault)).toEqual([
      expect.stringContaining('CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key'),
    ]);
    expect(warnings(new AlarmTopic(stack(), 't', { name: 'alarms', kmsKeyArn: KEY }))).toEqual([]);
  });

  test('GIVEN a topic WHEN synthesized THEN only CloudWatch in this account may publish', () => {
    const policy = onlyResource(
      synth((scope) => new AlarmTopic(scope, 't', { name: 'alarms', kmsKeyArn: KEY })),
      'aws_sns_topic_policy',
    );
    expect(policy.arn).toBe(TOPIC);
    expect(policyOf(policy).Statement).toEqual([
      {
        Sid: 'AllowServicePublishFromThisAccount',
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com'] },
        Action: ['sns:Publish'],
        Resource: [TOPIC],
        Condition: { StringEquals: { 'aws:SourceAccount': [ACCOUNT] } },
      },
    ]);
  });

  test('GIVEN a key, email subscribers and extra publishers WHEN synthesized THEN each address is subscribed and each service may publish', () => {
    const s = synth(
      (scope) =>
        new AlarmTopic(scope, 't', {
          name: 'alarms',
          kmsKeyArn: KEY,
          emailSubscribers: ['ops@example.com', 'oncall@example.com'],
          httpsSubscribers: ['https://events.example.com/alarms?source=sns'],
          publisherServices: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'],
        }),
    );
    expect(onlyResource(s, 'aws_sns_topic').kms_master_key_id).toBe(KEY);
    const subscriptions = Object.values(resourcesOf(s, 'aws_sns_topic_subscription'));
    expect(subscriptions.sort((a, b) => String(a.endpoint).localeCompare(String(b.endpoint)))).toEqual([
      { topic_arn: TOPIC, protocol: 'https', endpoint: 'https://events.example.com/alarms?source=sns' },
      { topic_arn: TOPIC, protocol: 'email', endpoint: 'oncall@example.com' },
      { topic_arn: TOPIC, protocol: 'email', endpoint: 'ops@example.com' },
    ]);
    expect(policyOf(onlyResource(s, 'aws_sns_topic_policy')).Statement[0]!.Principal).toEqual({
      Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'],
    });
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    expect(
      () =>
        new AlarmTopic(stack(), 't', {
          name: 'alarms.prod',
          kmsKeyArn: 'aws/sns',
          emailSubscribers: ['ops', 'a@example.com', 'a@example.com'],
          httpsSubscribers: ['http://events.example.com/alarms', 'https://x.example.com', 'https://x.example.com'],
          publisherServices: ['CloudWatch'],
        }),
    ).toThrow(
      [
        'AlarmTopic test/t: name must be 1-256 letters, digits, hyphens or underscores (got "alarms.prod")',
        'kmsKeyArn must be a KMS key ARN, alias ARN or alias/<name> (got "aws/sns")',
        'emailSubscribers must be an email address like ops@example.com (got "ops")',
        'emailSubscribers must not repeat an address (got ["a@example.com"] twice)',
        'httpsSubscribers must be an https:// URL (alarms must not travel in clear text) (got "http://events.example.com/alarms")',
        'httpsSubscribers must not repeat an endpoint (got ["https://x.example.com"] twice)',
        'publisherServices must be a service principal like cloudwatch.amazonaws.com (got "CloudWatch")',
      ].join('; '),
    );
    expect(() => new AlarmTopic(stack(), 't', { name: 'alarms', publisherServices: [] })).toThrow(
      'publisherServices must not be empty (got [])',
    );
  });
});
