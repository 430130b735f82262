// Checks of request bodies shared by the commerce services: every problem is listed at once.
import { RequestError } from '../../function-kit/http.js';

export type FieldRule = 'string' | 'optional string' | 'price' | 'optional price' | 'count' | 'integer' | 'email';

const RULES: Record<FieldRule, [test: (v: unknown) => boolean, what: string]> = {
  string: [(v) => typeof v === 'string' && v.trim() !== '' && v.length <= 500, 'a non-empty string of at most 500 characters'],
  'optional string': [(v) => v === undefined || (typeof v === 'string' && v.length <= 2000), 'a string of at most 2000 characters'],
  price: [
    (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && Math.round(v * 100) === v * 100,
    'a number ≥ 0 with at most 2 decimals',
  ],
  'optional price': [(v) => v === undefined || RULES.price[0](v), 'absent or a number ≥ 0 with at most 2 decimals'],
  count: [(v) => Number.isInteger(v) && (v as number) >= 0, 'an integer ≥ 0'],
  integer: [(v) => Number.isInteger(v), 'an integer'],
  email: [(v) => typeof v === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'an e-mail address'],
};

/** Every rule the body's fields break, one sentence each, naming the field (fields not in `rules` are not looked at). */
export function fieldProblems(body: Record<string, unknown>, rules: Readonly<Record<string, FieldRule>>): string[] {
  return Object.entries(rules)
    .filter(([field, rule]) => !RULES[rule][0](body[field]))
    .map(([field, rule]) => `${field} must be ${RULES[rule][1]} (got ${JSON.stringify(body[field]) ?? 'nothing'})`);
}

/** The body's fields checked against `rules`; unknown fields and every broken rule give one 400. */
export function checkFields<K extends string>(body: Record<string, unknown>, rules: Readonly<Record<K, FieldRule>>): Record<K, unknown> {
  const problems = fieldProblems(body, rules);
  const unknown = Object.keys(body).filter((k) => !(k in rules));
  if (unknown.length > 0) problems.push(`unknown fields: ${unknown.join(', ')} (allowed: ${Object.keys(rules).join(', ')})`);
  if (problems.length > 0) throw new RequestError(400, problems.join('; '));
  return body as Record<K, unknown>;
}

/** A path id: letters, digits, `-` and `_`, up to 64. */
export function checkId(what: string, id: string | undefined): string {
  if (id === undefined || !/^[\w-]{1,64}$/.test(id))
    throw new RequestError(400, `${what} must be 1-64 letters, digits, "-" or "_" (got ${JSON.stringify(id)})`);
  return id;
}
