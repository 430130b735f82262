// The Azure side as the commerce functions reach it: Service Bus, signed in as the Entra ID
// application whose client secret is in Secrets Manager (AZURE_CLIENT_SECRET_ARN).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedValue } from '../../function-kit/secrets.js';
import { serviceBus, type ServiceBus } from '../../function-kit/service-bus.js';

export function serviceBusFromEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceBus {
  const secrets = new SecretsManagerClient({});
  return serviceBus({
    namespace: env.SERVICE_BUS_NAMESPACE ?? '',
    tenantId: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    clientSecret: cachedValue(async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: env.AZURE_CLIENT_SECRET_ARN ?? '' }));
      if (!secret.SecretString) throw new Error('the Azure client secret is empty: set its value in Secrets Manager');
      return secret.SecretString;
    }),
  });
}
