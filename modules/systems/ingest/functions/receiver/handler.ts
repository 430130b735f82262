// The ingest receiver: a message the on-premise source posts (a JSON object) goes onto the work
// queue with the caller's name as an attribute; the source gets the message id back (202).
import { handleRequests, json, jsonBody, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';

export interface ReceiverDeps {
  /** Sends the message; returns its id. */
  readonly enqueue: (body: string, attributes: Readonly<Record<string, string>>) => Promise<string>;
}

/** SQS takes at most 256 KiB per message. */
export const MAX_MESSAGE_BYTES = 262_144;

export function receiver(deps: ReceiverDeps): (event: ProxyEvent) => Promise<ProxyResult> {
  return handleRequests(async (event) => {
    if (event.httpMethod !== 'POST') throw new RequestError(405, `only POST is accepted (got ${event.httpMethod})`);
    const message = jsonBody(event, MAX_MESSAGE_BYTES);
    const messageId = await deps.enqueue(JSON.stringify(message), { source: callerOf(event) });
    return json(202, { messageId });
  });
}

/** Who sent it: the Lambda authorizer's principal, or the Cognito app client of the access token. */
function callerOf(event: ProxyEvent): string {
  const authorizer = event.requestContext?.authorizer ?? {};
  const caller = authorizer.principalId ?? authorizer.claims?.client_id;
  return typeof caller === 'string' && caller !== '' ? caller : 'unknown';
}
