// Queue messages as the Azure Functions receive them: the Service Bus trigger hands over the body
// parsed when it is JSON, the text otherwise. A message that breaks a rule is refused whole (one
// error listing every problem): the function then writes none of its outputs, and Service Bus
// redelivers it until it goes to the dead-letter queue.
import { fieldProblems, type FieldRule } from '../fields.js';

/** What the trigger knows of the message besides its body. */
export interface MessageMeta {
  /** The message id: the sender's (an order id, a stream event id) or one Service Bus gave it. */
  readonly messageId: string;
  /** When Service Bus accepted it, ISO 8601. */
  readonly enqueuedTimeUtc: string;
}

export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}

/**
 * The message's body as an object whose fields follow `rules`, `more` adding problems of its own;
 * throws a MalformedMessage naming the queue and every problem.
 */
export function checkMessage(
  queue: string,
  message: unknown,
  rules: Readonly<Record<string, FieldRule>>,
  more: (body: Record<string, unknown>) => string[] = () => [],
): Record<string, unknown> {
  const body = parsed(message);
  const problems =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? [...fieldProblems(body as Record<string, unknown>, rules), ...more(body as Record<string, unknown>)]
      : [`the body must be a JSON object (got ${JSON.stringify(message)?.slice(0, 100) ?? 'nothing'})`];
  if (problems.length > 0) throw new MalformedMessage(`malformed ${queue} message: ${problems.join('; ')}`);
  return body as Record<string, unknown>;
}

function parsed(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return message;
  }
}

/** The meta the v3 programming model puts in `context.bindingData`. */
export function messageMeta(bindingData: Readonly<Record<string, unknown>>): MessageMeta {
  return { messageId: String(bindingData.messageId ?? ''), enqueuedTimeUtc: String(bindingData.enqueuedTimeUtc ?? '') };
}

/** The part of the v3 programming model's `context` the functions use. */
export interface FunctionContext {
  /** Output bindings by name: what is set here is written once the function returns. */
  readonly bindings: Record<string, unknown>;
  readonly bindingData: Readonly<Record<string, unknown>>;
}

/**
 * A queue-triggered function's entry point: `handle` gets the message and its meta and returns the
 * outputs by binding name, which are set only when it succeeds (a failure writes nothing).
 */
export function queueFunction(
  handle: (message: unknown, meta: MessageMeta) => Promise<object>,
): (context: FunctionContext, message: unknown) => Promise<void> {
  return async (context, message) => {
    Object.assign(context.bindings, await handle(message, messageMeta(context.bindingData)));
  };
}
