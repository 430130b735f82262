import { escape, html, link, SafeHtml } from './html.js';

describe('html', () => {
  test('GIVEN text values WHEN interpolated THEN & < > " and \' are escaped; HTML made by html is kept; arrays joined; nothing for undefined, null, false', () => {
    const inner = html`<b>${'x'}</b>`;
    expect(html`<p title="${`a"b'c`}">${'<i>&</i>'}${inner}${[1, ' ', 'two']}${undefined}${null}${false}</p>`.text).toBe(
      '<p title="a&quot;b&#39;c">&lt;i&gt;&amp;&lt;/i&gt;<b>x</b>1 two</p>',
    );
  });

  test('GIVEN a string that looks like HTML WHEN interpolated THEN it is text, never markup (only SafeHtml is)', () => {
    expect(html`${'<b>x</b>'}`.text).toBe('&lt;b&gt;x&lt;/b&gt;');
    expect(html`${new SafeHtml('<b>x</b>')}`.text).toBe('<b>x</b>');
    expect(escape(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  test.each([
    ['https://github.com/acme/infra/pull/1', '<a href="https://github.com/acme/infra/pull/1">#1</a>'],
    ['http://127.0.0.1:3000/acme/infra/runs/2', '<a href="http://127.0.0.1:3000/acme/infra/runs/2">#1</a>'],
    ['https://user:token@github.com/acme/infra', '<a href="https://github.com/acme/infra">#1</a>'],
    ['javascript:alert(1)', '#1'],
    ['data:text/html,<script>', '#1'],
    ['/relative', '#1'],
    [undefined, '#1'],
  ])('GIVEN the address %s WHEN linked THEN %s', (href, out) => {
    expect(link('#1', href).text).toBe(out);
  });
});
