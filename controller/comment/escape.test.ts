import { clip, escapeHtml, escapeText, formatValue, repositoryWebUrl, safeUrl, sizeOf } from './escape.js';

describe('escapeText (Markdown context)', () => {
  test('GIVEN a value with table, code, HTML and Markdown syntax WHEN escaped THEN none of it survives as syntax', () => {
    const escaped = escapeText('a|b `c` </details><!-- gitops:plan --> *d* _e_ [f](g) \\h ~~i~~ &amp;');
    expect(escaped).toBe(
      'a&#124;b &#96;c&#96; &lt;/details&gt;&lt;!-- gitops:plan --&gt; &#42;d&#42; &#95;e&#95; &#91;f&#93;(g) &#92;h &#126;&#126;i&#126;&#126; &amp;amp;',
    );
    expect(escaped).not.toMatch(/[|`<>*_[\]\\~]/);
  });

  test('GIVEN newlines and control characters WHEN escaped THEN the text stays on one line with visible escapes', () => {
    expect(escapeText('a\nb\r\tc\u0000d\u2028')).toBe('a\\nb\\r\\tc\\u0000d\\u2028');
  });
});

describe('escapeHtml (text inside raw HTML blocks)', () => {
  test('GIVEN a value that closes tags or forges the marker WHEN escaped THEN only & < > change and Markdown characters stay readable', () => {
    expect(escapeHtml('x</pre></details><!-- gitops:plan -->|`a_b`&')).toBe(
      'x&lt;/pre&gt;&lt;/details&gt;&lt;!-- gitops:plan --&gt;|`a_b`&amp;',
    );
  });

  test('GIVEN a multi-line value WHEN escaped THEN it cannot add lines to the <pre> block', () => {
    expect(escapeHtml('a\n</pre>')).toBe('a\\n&lt;/pre&gt;');
  });

  test('GIVEN plain text WHEN escaped THEN it is returned unchanged', () => {
    expect(escapeHtml('aws_s3_bucket.logs')).toBe('aws_s3_bucket.logs');
  });
});

describe('clip, formatValue and sizeOf', () => {
  test('GIVEN a long text WHEN clipped THEN it ends in … at the limit', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });

  test('GIVEN an emoji at the cut WHEN clipped THEN no lone surrogate is left', () => {
    const clipped = clip('ab😀cd', 4);
    expect(clipped).toBe('ab…');
    expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  test('GIVEN values of every JSON type WHEN formatted THEN strings are quoted and the rest is JSON', () => {
    expect([
      formatValue('a'),
      formatValue(1),
      formatValue(true),
      formatValue(null),
      formatValue({ a: [1] }),
      formatValue(undefined),
    ]).toEqual(['"a"', '1', 'true', 'null', '{"a":[1]}', 'undefined']);
    expect(formatValue('x'.repeat(500))).toHaveLength(200);
  });

  test('GIVEN multi-byte text WHEN sized THEN the UTF-8 size is counted (never less than the characters)', () => {
    expect(sizeOf('é⚠️😀')).toBe(2 + 6 + 4);
    expect(sizeOf('é⚠️😀')).toBeGreaterThanOrEqual('é⚠️😀'.length);
  });
});

describe('URLs', () => {
  test('GIVEN a clone URL WHEN turned into a web URL THEN .git and trailing slashes go', () => {
    expect(repositoryWebUrl('https://github.com/acme/infra.git')).toBe('https://github.com/acme/infra');
    expect(repositoryWebUrl('http://127.0.0.1:3000/acme/infra/')).toBe('http://127.0.0.1:3000/acme/infra');
  });

  test('GIVEN a URL with credentials, parentheses or a bad scheme WHEN made safe THEN credentials go, link syntax is encoded, other schemes are refused', () => {
    expect(safeUrl('https://x-access-token:ghs_1@github.com/a/b')).toBe('https://github.com/a/b');
    expect(safeUrl('https://example.com/a)b(c d')).toBe('https://example.com/a%29b%28c%20d');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(repositoryWebUrl('file:///tmp/remote.git')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
  });
});
