import { Testing, TerraformStack } from 'cdktf';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { isTaggableType, learnTaggableTypes } from './taggable.js';

describe('isTaggableType', () => {
  test('GIVEN provider resource types WHEN asked THEN the bindings decide: a tags argument makes a type taggable', () => {
    expect(isTaggableType('aws_sqs_queue')).toBe(true);
    expect(isTaggableType('aws_sqs_queue_policy')).toBe(false);
    expect(isTaggableType('azurerm_resource_group')).toBe(true);
  });

  test('GIVEN a type no shipped provider defines WHEN asked THEN it is not taggable (the tag rule cannot judge it)', () => {
    expect(isTaggableType('aws_no_such_resource')).toBe(false);
    expect(isTaggableType('google_storage_bucket')).toBe(false);
    expect(isTaggableType('terraform_data')).toBe(false);
  });

  test('GIVEN live resources WHEN learned THEN their types answer from them, without loading provider files', () => {
    const stack = new TerraformStack(Testing.app(), 'learn');
    const queue = new SqsQueue(stack, 'queue', {});
    const policy = new SqsQueuePolicy(stack, 'policy', { queueUrl: 'u', policy: '{}' });
    // A made-up type proves the answer comes from the instance: no provider file is named like this.
    const fake = { terraformResourceType: 'aws_made_up_for_test', tagsInput: undefined };
    learnTaggableTypes([queue, policy, fake]);
    expect(isTaggableType('aws_made_up_for_test')).toBe(true);
    expect(isTaggableType(queue.terraformResourceType)).toBe(true);
    expect(isTaggableType(policy.terraformResourceType)).toBe(false);
  });

  test('GIVEN a type already known WHEN learned again differently THEN the first answer stands', () => {
    learnTaggableTypes([{ terraformResourceType: 'aws_learned_once' }]);
    learnTaggableTypes([{ terraformResourceType: 'aws_learned_once', tagsInput: undefined } as { terraformResourceType: string }]);
    expect(isTaggableType('aws_learned_once')).toBe(false);
  });
});
