// A secret's JSON, read once and kept for a few minutes: a warm function does not call Secrets
// Manager on every request, and a rotated value is picked up within `ttlMs`.

/** Returns a reader of the secret's JSON object of strings; `fetch` returns the secret's text. */
export function cachedSecretJson(
  what: string,
  fetch: () => Promise<string>,
  ttlMs = 300_000,
  now: () => number = Date.now,
): () => Promise<Record<string, string>> {
  return cachedValue(async () => parseStringMap(what, await fetch()), ttlMs, now);
}

/** `fetch`'s value, fetched again once `ttlMs` have passed; a failed fetch is not kept. */
export function cachedValue<T>(fetch: () => Promise<T>, ttlMs = 300_000, now: () => number = Date.now): () => Promise<T> {
  let cached: { value: T; until: number } | undefined;
  return async () => {
    if (cached && now() < cached.until) return cached.value;
    const value = await fetch();
    cached = { value, until: now() + ttlMs };
    return value;
  };
}

/** `text` as a JSON object whose values are all strings; anything else is an error naming `what`. */
export function parseStringMap(what: string, text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not JSON: expected an object like {"<name>": "<value>"}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${what} must be a JSON object like {"<name>": "<value>"}`);
  }
  const bad = Object.entries(parsed).filter(([, v]) => typeof v !== 'string' || v === '');
  if (bad.length > 0) throw new Error(`${what}: the values of ${bad.map(([k]) => JSON.stringify(k)).join(', ')} must be non-empty strings`);
  return parsed as Record<string, string>;
}
