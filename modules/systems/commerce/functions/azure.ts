// The Azure side as the commerce functions reach it: Service Bus, Blob Storage and Logs Ingestion,
// signed in as the Entra ID application whose client secret is in Secrets Manager (AZURE_CLIENT_SECRET_ARN).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { EntraApplication } from '../../function-kit/entra-token.js';
import { cachedValue } from '../../function-kit/secrets.js';
import { serviceBus, type ServiceBus } from '../../function-kit/service-bus.js';

/** The application from AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret AZURE_CLIENT_SECRET_ARN. */
export function entraApplicationFromEnvironment(env: NodeJS.ProcessEnv = process.env): EntraApplication {
  const secrets = new SecretsManagerClient({});
  return {
    tenantId: env.AZURE_TENANT_ID ?? '',
    clientId: env.AZURE_CLIENT_ID ?? '',
    clientSecret: cachedValue(async () => {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: env.AZURE_CLIENT_SECRET_ARN ?? '' }));
      if (!secret.SecretString) throw new Error('the Azure client secret is empty: set its value in Secrets Manager');
      return secret.SecretString;
    }),
  };
}

export function serviceBusFromEnvironment(env: NodeJS.ProcessEnv = process.env): ServiceBus {
  return serviceBus({ ...entraApplicationFromEnvironment(env), namespace: env.SERVICE_BUS_NAMESPACE ?? '' });
}
