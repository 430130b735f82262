import { Secret } from './secret.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROTATOR = 'arn:aws:lambda:eu-west-1:123456789012:function:rotate-db';

describe('Secret', () => {
  test('GIVEN only a name WHEN synthesized THEN a dedicated rotating CMK encrypts it and deletion waits 30 days', () => {
    const json = synth((s) => {
      const secret = new Secret(s, 'db', { name: 'payments/db-password' });
      expect(secret.kmsKey).toBeDefined();
    });
    const [secret] = resourcesOf(json, 'aws_secretsmanager_secret');
    expect(secret).toMatchObject({ name: 'payments/db-password', recovery_window_in_days: 30 });
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(resourcesOf(json, 'aws_kms_key')).toEqual([
      expect.objectContaining({ enable_key_rotation: true, description: 'Encrypts secret payments/db-password' }),
    ]);
    expect(resourcesOf(json, 'aws_kms_alias')).toEqual([expect.objectContaining({ name: 'alias/secret/payments/db-password' })]);
    expect(json.resource.aws_secretsmanager_secret_rotation).toBeUndefined();
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });

  test('GIVEN a key, description and recovery window WHEN synthesized THEN the given key is used and no key is created', () => {
    const json = synth((s) => {
      const secret = new Secret(s, 'db', { name: 'db', description: 'DB password', kmsKeyArn: KEY, recoveryWindowInDays: 7 });
      expect(secret.kmsKey).toBeUndefined();
      expect(secret.kmsKeyArn).toBe(KEY);
    });
    expect(resourcesOf(json, 'aws_secretsmanager_secret')[0]).toMatchObject({
      kms_key_id: KEY,
      description: 'DB password',
      recovery_window_in_days: 7,
    });
    expect(json.resource.aws_kms_key).toBeUndefined();
  });

  test('GIVEN a zero recovery window WHEN synthesized THEN deletion is immediate', () => {
    const json = synth((s) => new Secret(s, 'db', { name: 'db', kmsKeyArn: KEY, recoveryWindowInDays: 0 }));
    expect(resourcesOf(json, 'aws_secretsmanager_secret')[0].recovery_window_in_days).toBe(0);
  });

  test('GIVEN rotation WHEN synthesized THEN the secret rotates with the Lambda every 30 days unless told otherwise', () => {
    const json = synth((s) => {
      new Secret(s, 'a', { name: 'a', kmsKeyArn: KEY, rotation: { lambdaArn: ROTATOR } });
      new Secret(s, 'b', { name: 'b', kmsKeyArn: KEY, rotation: { lambdaArn: ROTATOR, afterDays: 7 } });
    });
    const rotations = resourcesOf(json, 'aws_secretsmanager_secret_rotation');
    expect(rotations).toEqual([
      {
        secret_id: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.a_secret_\w+\.id\}$/),
        rotation_lambda_arn: ROTATOR,
        rotation_rules: { automatically_after_days: 30 },
      },
      {
        secret_id: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.b_secret_\w+\.id\}$/),
        rotation_lambda_arn: ROTATOR,
        rotation_rules: { automatically_after_days: 7 },
      },
    ]);
  });

  test('GIVEN every prop wrong WHEN constructed THEN one error lists each bad value with what is allowed', () => {
    expect(() =>
      synth(
        (s) =>
          new Secret(s, 'db', {
            name: 'has space',
            kmsKeyArn: 'alias/aws/secretsmanager',
            recoveryWindowInDays: 3,
            rotation: { lambdaArn: 'rotate-db', afterDays: 0 },
          }),
      ),
    ).toThrow(
      'Secret stack/db: name must be 1-512 characters of letters, digits and /_+=.@- (got "has space"); ' +
        'kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>; aliases are not customer-managed keys) (got "alias/aws/secretsmanager"); ' +
        'rotation.lambdaArn must be a Lambda function ARN (got "rotate-db"); ' +
        'rotation.afterDays must be an integer between 1 and 1000 (got 0); ' +
        'recoveryWindowInDays must be 0 or an integer between 7 and 30 (got 3)',
    );
  });
});
