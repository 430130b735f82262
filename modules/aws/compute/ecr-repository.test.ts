import { EcrRepository as AwsEcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { Testing } from 'cdktf';
import { EcrRepository } from './ecr-repository.js';
import { onlyResource, stack, synth } from '../../../test/modules/synth.js';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('EcrRepository', () => {
  test('GIVEN only a name WHEN synthesized THEN tags are immutable, images scanned on push and KMS-encrypted', () => {
    const out = Testing.synthScope((scope) => new EcrRepository(scope, 'repo', { name: 'payments/web' }));
    expect(out).toHaveResourceWithProperties(AwsEcrRepository, {
      name: 'payments/web',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS' }],
      force_delete: false,
    });
  });

  test('GIVEN no lifecycle props WHEN synthesized THEN untagged images expire after 7 days and 30 images are kept', () => {
    const s = synth((scope) => new EcrRepository(scope, 'repo', { name: 'web' }));
    const policy = JSON.parse(onlyResource(s, 'aws_ecr_lifecycle_policy').policy as string);
    expect(policy.rules).toEqual([
      expect.objectContaining({
        rulePriority: 1,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      }),
      expect.objectContaining({ rulePriority: 2, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 } }),
    ]);
  });

  test('GIVEN a key, keepImages, untaggedExpiryDays and forceDelete WHEN synthesized THEN each reaches the output', () => {
    const s = synth(
      (scope) => new EcrRepository(scope, 'repo', { name: 'web', kmsKeyArn: KEY, keepImages: 5, untaggedExpiryDays: 2, forceDelete: true }),
    );
    const repo = onlyResource(s, 'aws_ecr_repository');
    expect(repo.encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: KEY }]);
    expect(repo.force_delete).toBe(true);
    const rules = JSON.parse(onlyResource(s, 'aws_ecr_lifecycle_policy').policy as string).rules;
    expect(rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([2, 5]);
  });

  test('GIVEN the construct WHEN read THEN it exposes the repository url, arn and name for task definitions', () => {
    const repo = new EcrRepository(stack(), 'repo', { name: 'web' });
    expect(repo.repositoryUrl).toMatch(/\$\{TfToken/);
    expect(repo.arn).toMatch(/\$\{TfToken/);
    expect(repo.name).toMatch(/\$\{TfToken/);
  });

  test('GIVEN a bad name, key, keepImages and untaggedExpiryDays WHEN constructed THEN one error lists all four with values', () => {
    expect(
      () => new EcrRepository(stack(), 'repo', { name: 'Web', kmsKeyArn: 'alias/aws/ecr', keepImages: 0, untaggedExpiryDays: 9999 }),
    ).toThrow(
      'EcrRepository test/repo: name must be 2-256 lowercase letters, digits and "._/-" like "payments/web" (got "Web"); ' +
        'kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) (got "alias/aws/ecr"); ' +
        'keepImages must be an integer between 1 and 10000 (got 0); untaggedExpiryDays must be an integer between 1 and 3650 (got 9999)',
    );
  });
});
