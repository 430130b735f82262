import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue/index.js';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy/index.js';
import { DefaultTags } from './tags.js';
import { evaluatePolicy } from './engine.js';

const tags = { environment: 'prod', system: 'ingest', owner: 'platform', 'cost-center': 'cc-1' };

function synth(withAspect: boolean) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 's');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const q = new SqsQueue(stack, 'q', { name: 'q', tags: { Name: 'work', owner: 'team-x' } });
  new SqsQueuePolicy(stack, 'p', { queueUrl: q.url, policy: '{}' });
  if (withAspect) Aspects.of(stack).add(new DefaultTags(tags));
  return JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

describe('DefaultTags', () => {
  test('GIVEN a taggable and an untaggable resource WHEN the aspect runs THEN only the taggable one gets the tags, keeping its own', () => {
    const json = synth(true);
    expect(json.resource.aws_sqs_queue.q.tags).toEqual({ ...tags, Name: 'work', owner: 'team-x' });
    expect(json.resource.aws_sqs_queue_policy.p.tags).toBeUndefined();
  });

  test('GIVEN the aspect WHEN the tag rule checks the stack THEN it passes, and fails without the aspect', () => {
    const verdicts = (withAspect: boolean) =>
      evaluatePolicy([{ name: 's', environment: 'prod', json: synth(withAspect) }], { prod: { level: 'error', waivers: [] } })
        .findings.filter((f) => f.rule === 'GITOPS_TAGS')
        .map((f) => [f.resource, f.verdict, f.detail]);
    expect(verdicts(true)).toEqual([['aws_sqs_queue.q', 'pass', undefined]]);
    expect(verdicts(false)).toEqual([['aws_sqs_queue.q', 'fail', 'missing tag(s) environment, system, cost-center']]);
  });

  test('GIVEN default tags without a required key WHEN the aspect is created THEN it says which are missing', () => {
    expect(() => new DefaultTags({ environment: 'prod', owner: 'x' })).toThrow(
      'DefaultTags: missing required tag(s) system, cost-center (got environment, owner)',
    );
  });
});
