// Azure Service Bus over its REST API, signed in with an Entra ID application (client credentials):
// what the AWS functions use to reach the Azure side without an Azure SDK. Tokens are kept until a
// minute before they expire.

export interface ServiceBusOptions {
  /** `<namespace>.servicebus.windows.net`, or a full base URL (tests). */
  readonly namespace: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: () => Promise<string>;
  /** @default https://login.microsoftonline.com */
  readonly authority?: string;
  /** @default the global fetch */
  readonly fetch?: typeof fetch;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ServiceBus {
  /** Sends a JSON message; `messageId` lets a queue with duplicate detection drop a repeat. */
  readonly send: (queue: string, body: unknown, messageId?: string) => Promise<void>;
  /** Takes the next message off the queue (receive and delete); undefined when it is empty. */
  readonly receive: (queue: string) => Promise<unknown>;
}

export function serviceBus(options: ServiceBusOptions): ServiceBus {
  const http = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const base = options.namespace.includes('://') ? options.namespace : `https://${options.namespace}`;
  let token: { value: string; until: number } | undefined;

  const accessToken = async (): Promise<string> => {
    if (token && now() < token.until) return token.value;
    const url = `${options.authority ?? 'https://login.microsoftonline.com'}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: await options.clientSecret(),
      scope: 'https://servicebus.azure.net/.default',
    });
    const response = await http(url, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    if (!response.ok) throw new Error(`Entra ID refused the token request: HTTP ${response.status}`);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('Entra ID answered without an access_token');
    token = { value: body.access_token, until: now() + Math.max(0, (body.expires_in ?? 300) - 60) * 1000 };
    return token.value;
  };

  return {
    send: async (queue, body, messageId) => {
      const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, 'content-type': 'application/json' };
      if (messageId !== undefined) headers.brokerproperties = JSON.stringify({ MessageId: messageId });
      const response = await http(`${base}/${encodeURIComponent(queue)}/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`Service Bus refused a message to ${queue}: HTTP ${response.status}`);
    },
    receive: async (queue) => {
      const response = await http(`${base}/${encodeURIComponent(queue)}/messages/head?timeout=1`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${await accessToken()}` },
      });
      if (response.status === 204) return undefined;
      if (response.status !== 200) throw new Error(`Service Bus refused to hand over a message from ${queue}: HTTP ${response.status}`);
      return JSON.parse(await response.text()) as unknown;
    },
  };
}
