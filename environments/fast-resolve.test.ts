// The fast resolver must return exactly what cdktf's resolve returns, for plain data and for every
// kind of token cdktf encodes (string, list, number, map), including the errors cdktf raises.
import fc from 'fast-check';
import { App, Fn, Lazy, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { cdktfResolve, fastResolver, withFastResolve } from './fast-resolve.js';
import * as tokensModule from 'cdktf/lib/_tokens.js';

const stack = new TerraformStack(new App({ outdir: '/nonexistent-fast-resolve-test' }), 'test');
const fast = fastResolver(cdktfResolve);

/** Runs both resolvers; each result is either the value or the error message. */
function both(value: unknown): { cdktf: unknown; fast: unknown } {
  const run = (r: typeof cdktfResolve) => {
    try {
      return { value: r(stack, value) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  return { cdktf: run(cdktfResolve), fast: run(fast) };
}

const tokenArbitrary = fc.oneof(
  fc.constant(() => Token.asString(Lazy.anyValue({ produce: () => 'lazy-string' }))),
  fc.constant(() => `arn:${Token.asString(Lazy.stringValue({ produce: () => 'inner' }))}:end`),
  fc.constant(() => Token.asList(Lazy.anyValue({ produce: () => ['a', 'b'] }))),
  fc.constant(() => Token.asNumber(Lazy.numberValue({ produce: () => 42 }))),
  fc.constant(() => Lazy.anyValue({ produce: () => ({ nested: { list: [1, undefined, 'x'] } }) })),
  fc.constant(() => Fn.join('-', ['a', Token.asString(Lazy.anyValue({ produce: () => 'b' }))])),
  fc.constant(() => ({ [Token.asString(Lazy.stringValue({ produce: () => 'computed-key' }))]: 'v' })),
);

/** Strings cdktf might treat specially: escapes, token-like text, what looks like an encoded number. */
const trickyString = fc.constantFrom('${var.x}', '$${literal}', '1e5', 'a-e-b', '1.5e+10', 'TfToken', '#{x}', '&{y}', '', 'plain');

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    trickyString,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    tokenArbitrary.map((make) => make()),
  ),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('record')),
  array: fc.array(tie('node'), { maxLength: 4 }),
  record: fc.dictionary(fc.oneof(fc.string(), trickyString), tie('node'), { maxKeys: 4 }),
})).node;

describe('fastResolver', () => {
  test('GIVEN plain nested data WHEN resolved THEN it equals cdktf and undefined entries are dropped', () => {
    const date = new Date(0);
    const input = { a: [1, undefined, 'x', { b: undefined, c: null }], d: true, e: date, f: -0 };
    const { cdktf, fast: result } = both(input);
    expect(result).toStrictEqual(cdktf);
    expect(result).toStrictEqual({ value: { a: [1, 'x', { c: null }], d: true, e: date, f: -0 } });
  });

  test.each([
    ['a string token', () => ({ name: Token.asString(Lazy.stringValue({ produce: () => 'n' })) })],
    ['a list token', () => ({ ids: Token.asList(Lazy.listValue({ produce: () => ['x', 'y'] })) })],
    ['a number token', () => ({ port: Token.asNumber(Lazy.numberValue({ produce: () => 443 })) })],
    ['a map token', () => ({ tags: Token.asStringMap(Lazy.anyValue({ produce: () => ({ k: 'v' }) })) })],
    ['a Terraform function', () => ({ joined: Fn.join(',', ['a', 'b']) })],
    ['an escaped interpolation', () => ({ text: '$${not.a.reference}' })],
    ['a function value (cdktf throws)', () => ({ f: () => 1 })],
    ['a construct (cdktf throws)', () => ({ c: new Construct(stack, `c${Math.random()}`) })],
    ['a map placeholder in scalar context (cdktf throws)', () => ({ s: Token.STRING_MAP_TOKEN_VALUE })],
  ])('GIVEN %s WHEN resolved THEN the result (or error) equals cdktf', (_name, make) => {
    const input = make();
    const { cdktf, fast: result } = both(input);
    expect(result).toStrictEqual(cdktf);
  });

  test('GIVEN arbitrary data mixing every kind of token WHEN resolved THEN the result equals cdktf', () => {
    fc.assert(
      fc.property(value, (input) => {
        const { cdktf, fast: result } = both(input);
        expect(result).toStrictEqual(cdktf);
      }),
      { numRuns: 300 },
    );
  });

  test('GIVEN data deeper than cdktf allows WHEN resolved THEN cdktf reports the circular reference', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 450; i++) deep = { next: deep };
    const { cdktf, fast: result } = both(deep);
    expect(result).toStrictEqual(cdktf);
    expect(result).toEqual({ error: expect.stringMatching(/circular/i) });
  });
});

describe('withFastResolve', () => {
  const tokens = ((tokensModule as { default?: unknown }).default ?? tokensModule) as { resolve: unknown };

  test('GIVEN a synthesis WHEN it runs THEN cdktf uses the fast resolver, and the original afterwards, even after a throw', () => {
    let during: unknown;
    withFastResolve(() => {
      during = tokens.resolve;
    });
    expect(during).not.toBe(cdktfResolve);
    expect(tokens.resolve).toBe(cdktfResolve);
    expect(() =>
      withFastResolve(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tokens.resolve).toBe(cdktfResolve);
  });

  test('GIVEN GITOPS_FAST_RESOLVE=0 WHEN synthesis runs THEN cdktf keeps its own resolver', () => {
    process.env.GITOPS_FAST_RESOLVE = '0';
    try {
      withFastResolve(() => expect(tokens.resolve).toBe(cdktfResolve));
    } finally {
      delete process.env.GITOPS_FAST_RESOLVE;
    }
  });
});
