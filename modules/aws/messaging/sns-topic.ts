// An encrypted SNS topic that CloudWatch alarms publish to, with optional e-mail and HTTPS subscribers.
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { PropProblems } from '../../core/validation.js';
import { AwsContext } from './aws-context.js';

export interface AlarmTopicProps {
  /** Topic name: letters, digits, hyphens and underscores, at most 256 characters. */
  readonly name: string;
  /**
   * @default 'alias/aws/sns' (the AWS-managed key). CloudWatch cannot use that key, so alarms are
   * only delivered with a customer-managed key whose policy lets cloudwatch.amazonaws.com use it
   * (a KmsKey with servicePrincipals ['cloudwatch.amazonaws.com', 'sns.amazonaws.com']).
   */
  readonly kmsKeyArn?: string;
  /** Each address receives a confirmation email and must accept it. @default none */
  readonly emailSubscribers?: readonly string[];
  /** HTTPS endpoints (an incident tool's webhook); each receives a confirmation request it must answer. @default none */
  readonly httpsSubscribers?: readonly string[];
  /** Service principals allowed to publish, from this account only. @default ['cloudwatch.amazonaws.com'] */
  readonly publisherServices?: readonly string[];
}

export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

export class AlarmTopic extends Construct {
  public readonly topic: SnsTopic;
  public readonly arn: string;
  public readonly name: string;
  public readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    validate(this, props);
    const kmsKeyArn = props.kmsKeyArn ?? AWS_MANAGED_SNS_KEY;
    if (kmsKeyArn === AWS_MANAGED_SNS_KEY) {
      Annotations.of(this).addWarning(
        'AlarmTopic uses alias/aws/sns: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key; pass a customer-managed kmsKeyArn that allows cloudwatch.amazonaws.com',
      );
    }

    this.topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: kmsKeyArn });
    this.arn = this.topic.arn;
    this.name = this.topic.name;

    const account = AwsContext.of(this).accountId;
    this.policy = new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowServicePublishFromThisAccount',
            Effect: 'Allow',
            Principal: { Service: props.publisherServices ?? ['cloudwatch.amazonaws.com'] },
            Action: ['sns:Publish'],
            Resource: [this.topic.arn],
            Condition: { StringEquals: { 'aws:SourceAccount': [account] } },
          },
        ],
      }),
    });

    for (const email of props.emailSubscribers ?? []) {
      new SnsTopicSubscription(this, `email-${email}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
    for (const url of props.httpsSubscribers ?? []) {
      new SnsTopicSubscription(this, `https-${url}`, { topicArn: this.topic.arn, protocol: 'https', endpoint: url });
    }
  }
}

function validate(scope: Construct, props: AlarmTopicProps): void {
  const p = new PropProblems(scope, 'AlarmTopic')
    .matches('name', props.name, /^[A-Za-z0-9_-]{1,256}$/, '1-256 letters, digits, hyphens or underscores')
    .matches(
      'kmsKeyArn',
      props.kmsKeyArn,
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/.+)$/,
      'a KMS key ARN, alias ARN or alias/<name>',
    );
  const emails = props.emailSubscribers ?? [];
  for (const email of emails) p.matches('emailSubscribers', email, EMAIL, 'an email address like ops@example.com');
  const duplicates = emails.filter((e, i) => emails.indexOf(e) !== i);
  p.check(duplicates.length === 0, `emailSubscribers must not repeat an address (got ${JSON.stringify(duplicates)} twice)`);
  const urls = props.httpsSubscribers ?? [];
  for (const url of urls) p.matches('httpsSubscribers', url, HTTPS_URL, 'an https:// URL (alarms must not travel in clear text)');
  const repeatedUrls = urls.filter((u, i) => urls.indexOf(u) !== i);
  p.check(repeatedUrls.length === 0, `httpsSubscribers must not repeat an endpoint (got ${JSON.stringify(repeatedUrls)} twice)`);
  for (const service of props.publisherServices ?? []) {
    p.matches('publisherServices', service, SERVICE_PRINCIPAL, 'a service principal like cloudwatch.amazonaws.com');
  }
  p.check(props.publisherServices === undefined || props.publisherServices.length > 0, 'publisherServices must not be empty (got [])');
  p.throwIfAny();
}
