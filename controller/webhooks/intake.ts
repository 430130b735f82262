// The webhook intake of `gitops serve`: what a POST to the webhook path must pass before Probot and
// the handlers see it, cheapest check first so that a hostile request costs little. The headers are
// checked before a byte of the body is read; a body declared over GitHub's cap is refused unread, and
// one without a length (chunked) is counted as it streams and dropped at the cap. The signature is
// compared in constant time over the raw bytes, and a handled event's payload is checked field by
// field (payload.ts). No refusal quotes the body or a header's value.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { checkPayload, PayloadError } from './payload.js';

/** GitHub caps webhook payloads at 25 MB (read as MiB, the larger reading); it never sends more. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

/** GitHub sends a GUID; this also admits the shorter ids of hand-made deliveries. */
const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;
const SIGNATURE = /^sha256=[0-9a-f]{64}$/;
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;
const REQUIRED_HEADERS = ['x-github-event', 'x-hub-signature-256', 'x-github-delivery'] as const;

/** A request refused: its HTTP status and one line that never quotes the body. */
export class IntakeRefusal extends Error {
  constructor(
    readonly status: number,
    reason: string,
    /** The payload field at fault, for the log. */
    readonly field?: string,
  ) {
    super(reason);
    this.name = 'IntakeRefusal';
  }
}

export interface WebhookHeaders {
  /** X-GitHub-Delivery */
  readonly id: string;
  /** X-GitHub-Event */
  readonly name: string;
  /** X-Hub-Signature-256 */
  readonly signature: string;
}

export interface WebhookEvent {
  readonly id: string;
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

const sizeOf = (value: string) => (value === '' ? 'an empty value' : `${value.length} characters`);

/** The webhook headers, checked before any of the body is read. */
export function checkHeaders(req: IncomingMessage, maxBytes: number = MAX_BODY_BYTES): WebhookHeaders {
  const contentType = req.headers['content-type'];
  if (!contentType || !JSON_TYPE.test(contentType)) throw new IntakeRefusal(415, 'content-type must be application/json');
  const missing = REQUIRED_HEADERS.filter((h) => req.headers[h] === undefined);
  if (missing.length > 0) throw new IntakeRefusal(400, `required headers missing: ${missing.join(', ')}`);
  const [name, signature, id] = REQUIRED_HEADERS.map((h) => String(req.headers[h])) as [string, string, string];
  if (!DELIVERY_ID.test(id)) {
    throw new IntakeRefusal(400, `x-github-delivery must be 1 to 64 letters, digits or dashes (got ${sizeOf(id)})`);
  }
  if (!EVENT_NAME.test(name)) {
    throw new IntakeRefusal(400, `x-github-event must be 1 to 64 lowercase letters or underscores (got ${sizeOf(name)})`);
  }
  if (!SIGNATURE.test(signature)) {
    throw new IntakeRefusal(400, 'signature does not match: x-hub-signature-256 must be sha256= and 64 hex digits');
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new IntakeRefusal(413, `body of ${declared} bytes is over the limit of ${maxBytes} bytes`);
  return { id, name, signature };
}

/** The whole body, or a 413 refusal as soon as more than maxBytes have arrived (the rest is dropped unread). */
export function readBody(req: IncomingMessage, maxBytes: number = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const settle = (finish: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onBroken).off('close', onBroken);
      finish();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      chunks = [];
      settle(() => reject(new IntakeRefusal(413, `body is over the limit of ${maxBytes} bytes`)));
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks, size)));
    const onBroken = () => settle(() => reject(new IntakeRefusal(400, 'the connection ended before the body did')));
    req.on('data', onData).once('end', onEnd).once('error', onBroken).once('close', onBroken);
  });
}

/** HMAC-SHA256 of the raw body with the webhook secret, compared in constant time. */
export function signatureMatches(secret: string, body: Buffer, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signature.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The event of a signed body: verified, parsed, and (for the events the controller handles) checked. */
export function verifiedEvent(headers: WebhookHeaders, body: Buffer, secret: string): WebhookEvent {
  if (!signatureMatches(secret, body, headers.signature)) {
    throw new IntakeRefusal(400, 'signature does not match the body and the webhook secret');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    // JSON.parse's own message quotes the body; this one does not.
    throw new IntakeRefusal(400, 'body is not JSON');
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new IntakeRefusal(400, 'body is not a JSON object');
  try {
    checkPayload(headers.name, payload);
  } catch (e) {
    if (e instanceof PayloadError) throw new IntakeRefusal(400, e.message, e.field);
    throw e;
  }
  return { id: headers.id, name: headers.name, payload: payload as Record<string, unknown> };
}
