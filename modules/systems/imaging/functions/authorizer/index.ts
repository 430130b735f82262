// Entry of the imaging authorizer: the x-api-key header must be one of the callers' keys in the secret
// API_KEYS_SECRET_ARN names ({"<caller>": "<key>"}).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedSecretJson } from '../../../function-kit/secrets.js';
import { tokenAuthorizer } from '../../../function-kit/token-authorizer.js';

const secrets = new SecretsManagerClient({});
const secretId = process.env.API_KEYS_SECRET_ARN ?? '';

export const handler = tokenAuthorizer({
  tokens: cachedSecretJson('the API keys secret', async () => {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
    return secret.SecretString ?? '';
  }),
});
