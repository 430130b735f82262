// A Secrets Manager secret encrypted with a customer-managed key (never the aws/secretsmanager
// default key, which cannot be shared across accounts or scoped by key policy). Values are set
// outside Terraform (or by rotation) so they never land in state or plans.
import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation/index.js';
import { PropProblems } from '../../core/validation.js';
import { KmsKey } from './kms-key.js';

export interface SecretRotation {
  /** ARN of the rotation Lambda function. */
  readonly lambdaArn: string;
  /** Days between rotations (1-1000). @default 30 */
  readonly afterDays?: number;
}

export interface SecretProps {
  /** Secret name, e.g. `payments/db-password`. */
  readonly name: string;
  /** @default none */
  readonly description?: string;
  /** Customer-managed key ARN. @default a dedicated KmsKey (alias `secret/<name>`) is created */
  readonly kmsKeyArn?: string;
  /** 0 (delete at once) or 7-30 days. @default 30 */
  readonly recoveryWindowInDays?: number;
  /** @default no rotation */
  readonly rotation?: SecretRotation;
}

export class Secret extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly arn: string;
  readonly name: string;
  /** The key that encrypts the secret (grant `decryptKeys` on it to readers). */
  readonly kmsKeyArn: string;
  /** The dedicated key, when `kmsKeyArn` was not given. */
  readonly kmsKey?: KmsKey;

  constructor(scope: Construct, id: string, props: SecretProps) {
    super(scope, id);
    const problems = new PropProblems(this, 'Secret')
      .matches('name', props.name, /^[\w/+=.@-]{1,512}$/, '1-512 characters of letters, digits and /_+=.@-')
      .matches(
        'kmsKeyArn',
        props.kmsKeyArn,
        /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; aliases are not customer-managed keys)',
      )
      .matches(
        'rotation.lambdaArn',
        props.rotation?.lambdaArn,
        /^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/,
        'a Lambda function ARN',
      )
      .range('rotation.afterDays', props.rotation?.afterDays, 1, 1000);
    const window = props.recoveryWindowInDays;
    problems.check(
      window === undefined || window === 0 || (Number.isInteger(window) && window >= 7 && window <= 30),
      `recoveryWindowInDays must be 0 or an integer between 7 and 30 (got ${window})`,
      window,
    );
    problems.throwIfAny();

    if (props.kmsKeyArn === undefined) {
      this.kmsKey = new KmsKey(this, 'key', {
        description: `Encrypts secret ${props.name}`,
        alias: `secret/${props.name.replace(/[^\w/-]/g, '-')}`,
      });
    }
    this.kmsKeyArn = props.kmsKeyArn ?? this.kmsKey!.arn;
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.name,
      description: props.description,
      kmsKeyId: this.kmsKeyArn,
      recoveryWindowInDays: window ?? 30,
    });
    this.arn = this.secret.arn;
    this.name = this.secret.name;
    if (props.rotation) {
      new SecretsmanagerSecretRotation(this, 'rotation', {
        secretId: this.secret.id,
        rotationLambdaArn: props.rotation.lambdaArn,
        rotationRules: { automaticallyAfterDays: props.rotation.afterDays ?? 30 },
      });
    }
  }
}
