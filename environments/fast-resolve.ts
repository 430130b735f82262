// cdktf resolves every value of every resource through its token machinery: a closure-laden context
// per value, and a new TokenString (four regular expressions) per string, twice per stack. Almost
// all of that data holds no token. This resolver copies such plain data directly and hands every
// subtree that holds (or might hold) a token to cdktf's own resolve, so the result is the same;
// `gitops synth` runs with it, `cdktf synth` without, and a test compares the two outputs byte for byte.
import type { IConstruct } from 'constructs';
import * as tokensModule from 'cdktf/lib/_tokens.js';

type Resolve = (scope: IConstruct, obj: unknown, preparing?: boolean) => unknown;

// The CommonJS module object itself (ESM sees it as `default`), whose `resolve` cdktf's stack calls.
const tokens = ((tokensModule as { default?: unknown }).default ?? tokensModule) as { resolve: Resolve };
/** cdktf's own resolve (`resolve(scope, value, preparing)`), the reference the fast path must equal. */
export const cdktfResolve: Resolve = tokens.resolve;

/** A string cdktf would change: a string, list or map token marker, or what might be an encoded number. */
const MAYBE_TOKEN_STRING = /TfToken\[|[-|\d.+]e[-|\d.eE+]/;
/** Encoded token numbers sit near -2^960 and -2^992; no real number in a configuration comes close. */
const TOKEN_NUMBER_BOUND = 1e280;
/** cdktf's placeholders for map tokens in scalar context (it throws on them, so let it). */
const MAP_TOKEN_VALUES: ReadonlySet<unknown> = new Set(['String Map Token Value', 'Any Map Token Value', -123456789]);
/** cdktf refuses deeper structures as circular; past this depth, cdktf resolves the whole value and says so. */
const MAX_PLAIN_DEPTH = 200;

function plainString(s: string): boolean {
  return !MAYBE_TOKEN_STRING.test(s) && !MAP_TOKEN_VALUES.has(s);
}

function plainNumber(n: number): boolean {
  return Math.abs(n) < TOKEN_NUMBER_BOUND && !MAP_TOKEN_VALUES.has(n);
}

/** Returns a resolve with cdktf's semantics that copies token-free data without cdktf's machinery. */
export function fastResolver(original: Resolve): Resolve {
  function walk(scope: IConstruct, obj: unknown, depth: number): unknown {
    switch (typeof obj) {
      case 'undefined':
      case 'boolean':
      case 'bigint':
      case 'symbol':
        return obj;
      case 'string':
        return plainString(obj) ? obj : original(scope, obj);
      case 'number':
        return plainNumber(obj) ? obj : original(scope, obj);
      case 'function':
        return original(scope, obj); // cdktf throws, naming the path
    }
    if (obj === null || obj instanceof Date) return obj;
    if (depth > MAX_PLAIN_DEPTH) throw new Error('too deep for the fast path');
    if (Array.isArray(obj)) {
      // A list token is a whole-list marker: cdktf resolves such a list as one token.
      if (obj.some((x) => (typeof x === 'string' && !plainString(x)) || (typeof x === 'number' && !plainNumber(x)))) {
        return original(scope, obj);
      }
      const out: unknown[] = [];
      for (const x of obj) {
        const v = walk(scope, x, depth + 1);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
    const record = obj as Record<string, unknown>;
    // Tokens (anything with resolve()), constructs (cdktf throws) and maps with token keys go to cdktf.
    if (typeof record.resolve === 'function' || (record._children !== undefined && record._metadata !== undefined)) {
      return original(scope, obj);
    }
    const keys = Object.keys(record);
    if (keys.some((k) => !plainString(k))) return original(scope, obj);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const v = walk(scope, record[key], depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  return (scope, obj, preparing = false) => {
    if (preparing) return original(scope, obj, true);
    try {
      return walk(scope, obj, 0);
    } catch {
      // cdktf names the path of a bad value from the root: resolve the whole value again to say so.
      return original(scope, obj);
    }
  };
}

/** Runs `fn` with cdktf's stack synthesis using the fast resolver (GITOPS_FAST_RESOLVE=0 turns it off). */
export function withFastResolve<T>(fn: () => T): T {
  if (process.env.GITOPS_FAST_RESOLVE === '0') return fn();
  const original = tokens.resolve;
  tokens.resolve = fastResolver(original);
  try {
    return fn();
  } finally {
    tokens.resolve = original;
  }
}
