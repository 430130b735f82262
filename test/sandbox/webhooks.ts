// Webhook deliveries as GitHub's Hookshot makes them: JSON POSTs signed with HMAC-SHA256 of the
// exact body (X-Hub-Signature-256), one delivery id each, sent one at a time in order, every attempt
// and the app's answer recorded. Redelivery resends the same body under the same delivery id.
import { createHmac, randomUUID } from 'node:crypto';

export interface Delivery {
  id: string;
  event: string;
  action: string | undefined;
  payload: Record<string, unknown>;
  /** The exact bytes sent (and signed). */
  body: string;
  signature: string;
  forged: boolean;
  redelivery: boolean;
  /** HTTP status the app answered; null = not sent (no webhook URL); 0 = no answer (refused, timeout). */
  status: number | null;
  responseBody: string;
  error: string | undefined;
  sentAt: string;
  durationMs: number;
}

export interface WebhookSenderOptions {
  url: string | undefined;
  secret: string;
  appId: number;
  host: string;
  timeoutMs?: number;
  /** Checks a payload against GitHub's webhook schema; problems are reported, the delivery still goes out. */
  validate?: (event: string, action: string | undefined, payload: unknown) => string[];
  onInvalid?: (delivery: Delivery, problems: string[]) => void;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  url: string | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly timeoutMs: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Queues a signed delivery; resolves once the app answered (or did not). */
  send(event: string, payload: Record<string, unknown>): Promise<Delivery> {
    const action = typeof payload.action === 'string' ? payload.action : undefined;
    const body = JSON.stringify(payload);
    const delivery = this.record({
      event,
      action,
      payload,
      body,
      signature: sign(this.options.secret, body),
      forged: false,
      redelivery: false,
    });
    const problems = this.options.validate?.(event, action, payload) ?? [];
    if (problems.length) this.options.onInvalid?.(delivery, problems);
    return this.enqueue(delivery);
  }

  /** Resends a delivery's exact body under its delivery id, as GitHub's "Redeliver" does. */
  redeliver(id: string): Promise<Delivery> {
    const original = this.deliveries.find((d) => d.id === id && !d.redelivery);
    if (!original) throw new Error(`sandbox: no delivery ${id} to redeliver (known: ${this.deliveries.length})`);
    return this.enqueue(this.record({ ...original, redelivery: true }));
  }

  /** Sends a payload whose signature was not made with the webhook secret. */
  sendForged(
    event: string,
    payload: Record<string, unknown>,
    signature = sign('not-the-webhook-secret', JSON.stringify(payload)),
  ): Promise<Delivery> {
    const action = typeof payload.action === 'string' ? payload.action : undefined;
    return this.enqueue(this.record({ event, action, payload, body: JSON.stringify(payload), signature, forged: true, redelivery: false }));
  }

  /** Resolves when every queued delivery has been attempted. */
  async idle(): Promise<void> {
    let seen: Promise<unknown> | undefined;
    while (seen !== this.tail) {
      seen = this.tail;
      await seen;
    }
  }

  private record(
    fields: Pick<Delivery, 'event' | 'action' | 'payload' | 'body' | 'signature' | 'forged' | 'redelivery'> & { id?: string },
  ): Delivery {
    const delivery: Delivery = {
      ...fields,
      id: fields.id ?? randomUUID(),
      status: null,
      responseBody: '',
      error: undefined,
      sentAt: '',
      durationMs: 0,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  private enqueue(delivery: Delivery): Promise<Delivery> {
    const attempt = this.tail.then(() => this.deliver(delivery));
    this.tail = attempt;
    return attempt;
  }

  private async deliver(delivery: Delivery): Promise<Delivery> {
    delivery.sentAt = new Date().toISOString();
    if (!this.url) return delivery;
    const started = performance.now();
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/sandbox',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-hub-signature-256': delivery.signature,
          'x-github-hook-id': '1',
          'x-github-hook-installation-target-type': 'integration',
          'x-github-hook-installation-target-id': String(this.options.appId),
          'x-github-enterprise-host': this.options.host,
          'x-github-enterprise-version': '3.19.0',
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      delivery.status = response.status;
      delivery.responseBody = (await response.text()).slice(0, 2000);
    } catch (error) {
      delivery.status = 0;
      delivery.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    delivery.durationMs = Math.round(performance.now() - started);
    return delivery;
  }
}
