// Entry of the ingest authorizer: the tokens come from the secret CREDENTIALS_SECRET_ARN names.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedSecretJson } from '../../../function-kit/secrets.js';
import { tokenAuthorizer } from '../../../function-kit/token-authorizer.js';

const secrets = new SecretsManagerClient({});
const secretId = process.env.CREDENTIALS_SECRET_ARN ?? '';

export const handler = tokenAuthorizer({
  scheme: 'Bearer',
  tokens: cachedSecretJson('the source credentials secret', async () => {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return secret.SecretString ?? '';
  }),
});
