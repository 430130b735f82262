// The shape of the controller's JSON log lines: one `name` (the root logger's, `gitops`), and every
// other field once. Probot names each child logger it makes (`probot`, `event`, `github`, `octokit`),
// and pino writes a child's bindings after its parent's, so a line handled by Probot carried three
// `name` keys; the job's own fields (delivery, repository, pull request) are bindings of the session's
// logger, and a call that passes one of them again would print it twice.
import { pino, type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { HeldSecrets } from '../secrets/held.js';

/**
 * The logger as Probot gets it: a child's `name` binding is dropped, and the delivery id Probot binds
 * to each event's logger (`id`, beside `name: "event"`) is bound as `delivery`.
 */
export function singleNameLog(log: Logger): Logger {
  const wrapped = Object.create(log) as Logger;
  const child = (bindings: Bindings, options?: ChildLoggerOptions<never>): Logger => {
    const { name, id, ...rest } = bindings as Record<string, unknown>;
    const fields = name === 'event' && id !== undefined ? { delivery: id, ...rest } : id !== undefined ? { id, ...rest } : rest;
    return singleNameLog(log.child(fields, options));
  };
  wrapped.child = child as unknown as Logger['child'];
  return wrapped;
}

/** The fields of a log call without those its logger has bound to the same value (they are on the line already). */
export function withoutBound(fields: object, bound: Record<string, unknown>): object {
  if (fields instanceof Error || Array.isArray(fields)) return fields;
  const entries = Object.entries(fields);
  if (!entries.some(([key, value]) => key in bound && bound[key] === value)) return fields;
  return Object.fromEntries(entries.filter(([key, value]) => !(key in bound && bound[key] === value)));
}

/**
 * The JSON pino logger of `gitops serve`: every string of every line (message and fields) has the held secrets
 * masked, and a field the logger has bound (a job's delivery, repository, pull request) is written once.
 */
export function maskedLogger(level: string, secrets: HeldSecrets, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    name: 'gitops',
    formatters: { log: (object) => secrets.maskValue(object) },
    hooks: {
      logMethod(args, method) {
        const bound = this.bindings();
        const once = args.map((a, i) => (i === 0 && typeof a === 'object' && a !== null ? withoutBound(a, bound) : a));
        method.apply(this, once.map((a) => (typeof a === 'string' ? secrets.mask(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
