// A private container registry repository: immutable tags, scan on push, KMS encryption, and a
// lifecycle policy so old and untagged images do not pile up (and cost) forever.
import { Construct } from 'constructs';
import { EcrRepository as AwsEcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js';
import { PropProblems } from '../../core/validation.js';
import { KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from './checks.js';

export interface EcrRepositoryProps {
  /** Repository name, e.g. `payments/web`: 2-256 lowercase letters, digits and `._/-`. */
  readonly name: string;
  /** Customer managed key for image encryption. @default the AWS managed key `aws/ecr` (still KMS) */
  readonly kmsKeyArn?: string;
  /** How many images to keep; older ones expire. @default 30 */
  readonly keepImages?: number;
  /** Days after push before an untagged image expires. @default 7 */
  readonly untaggedExpiryDays?: number;
  /** Delete the repository even when it holds images. @default false */
  readonly forceDelete?: boolean;
}

export class EcrRepository extends Construct {
  public readonly repository: AwsEcrRepository;
  public readonly arn: string;
  public readonly name: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: append `:<tag>` or `@<digest>` for an image. */
  public readonly repositoryUrl: string;
  public readonly lifecyclePolicy: EcrLifecyclePolicy;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const keepImages = props.keepImages ?? 30;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 7;
    new PropProblems(this, 'EcrRepository')
      .matches(
        'name',
        props.name,
        /^(?=.{2,256}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
        '2-256 lowercase letters, digits and "._/-" like "payments/web"',
      )
      .matches('kmsKeyArn', props.kmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
      .range('keepImages', keepImages, 1, 10000)
      .range('untaggedExpiryDays', untaggedExpiryDays, 1, 3650)
      .throwIfAny();

    this.repository = new AwsEcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: props.forceDelete ?? false,
    });
    this.arn = this.repository.arn;
    this.name = this.repository.name;
    this.repositoryUrl = this.repository.repositoryUrl;

    this.lifecyclePolicy = new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images ${untaggedExpiryDays} days after push`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
            action: { type: 'expire' },
          },
          {
            // ECR requires the tagStatus "any" rule to have the highest priority number.
            rulePriority: 2,
            description: `Keep the newest ${keepImages} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }
}
