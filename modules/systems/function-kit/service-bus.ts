// Azure Service Bus over its REST API, signed in with an Entra ID application (client credentials):
// what the AWS functions use to reach the Azure side without an Azure SDK. Tokens are kept until a
// minute before they expire.
import { entraToken, type EntraApplication } from './entra-token.js';

export interface ServiceBusOptions extends EntraApplication {
  /** `<namespace>.servicebus.windows.net`, or a full base URL (tests). */
  readonly namespace: string;
}

export interface ServiceBus {
  /** Sends a JSON message; `messageId` lets a queue with duplicate detection drop a repeat. */
  readonly send: (queue: string, body: unknown, messageId?: string) => Promise<void>;
  /** Takes the next message off the queue (receive and delete); undefined when it is empty. */
  readonly receive: (queue: string) => Promise<unknown>;
}

export function serviceBus(options: ServiceBusOptions): ServiceBus {
  const http = options.fetch ?? fetch;
  const base = options.namespace.includes('://') ? options.namespace : `https://${options.namespace}`;
  const accessToken = entraToken(options, 'https://servicebus.azure.net/.default');
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
