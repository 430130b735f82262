import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region/index.js';
import { CrossStackReferenceError, danglingReferences, skipCrossStackPreparation } from './stack-references.js';

const outdir = mkdtempSync(join(tmpdir(), 'gitops-xstack-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function twoStacks(crossReference: boolean) {
  const app = new App({ outdir });
  const a = new TerraformStack(app, 'a');
  new AwsProvider(a, 'aws', { region: 'eu-west-1' });
  const bucket = new S3Bucket(a, 'bucket', { bucketPrefix: 'a-' });
  const b = new TerraformStack(app, 'b');
  new AwsProvider(b, 'aws', { region: 'eu-west-1' });
  const region = new DataAwsRegion(b, 'region');
  const own = new S3Bucket(b, 'own', { bucketPrefix: 'b-', tags: { region: region.name } });
  new TerraformOutput(b, 'arn', { value: crossReference ? bucket.arn : own.arn });
  return { app, stacks: [a, b] };
}

const json = (stack: string) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as unknown;

describe('cross-stack references', () => {
  test('GIVEN stacks that only use their own resources and data sources WHEN synthesized without preparation THEN nothing dangles', () => {
    const { app, stacks } = twoStacks(false);
    skipCrossStackPreparation(stacks);
    app.synth();
    expect(danglingReferences(json('a'))).toEqual([]);
    expect(danglingReferences(json('b'))).toEqual([]);
  });

  test("GIVEN a stack that uses another stack's token WHEN synthesized without preparation THEN the reference dangles and the error names it", () => {
    const { app, stacks } = twoStacks(true);
    skipCrossStackPreparation(stacks);
    app.synth();
    expect(danglingReferences(json('b'))).toEqual(['aws_s3_bucket.bucket']);
    expect(new CrossStackReferenceError([{ stack: 'b', addresses: ['aws_s3_bucket.bucket'] }]).message).toMatch(
      /^stack b refers to aws_s3_bucket\.bucket, which it does not define \(stacks must not share cdktf tokens: .*GITOPS_PREPARE_STACKS=1/,
    );
  });

  test('GIVEN Terraform expressions that are not resource addresses WHEN checked THEN they are not reported', () => {
    const tf = {
      resource: {
        aws_s3_bucket: {
          x: { bucket: '${var.name_prefix}-${each.value}-${count.index}', tags: { a: '${local.some_tag}', b: '${path.module}' } },
        },
      },
    };
    expect(danglingReferences(tf)).toEqual([]);
    expect(
      danglingReferences({ resource: { aws_s3_bucket: { x: { policy: '${jsonencode(data.aws_iam_policy_document.p.json)}' } } } }),
    ).toEqual(['data.aws_iam_policy_document.p']);
  });
});
