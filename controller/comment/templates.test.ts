import {
  attributeLine,
  checkRunTitle,
  COMMENT_MARKER,
  detailsBlock,
  htmlText,
  mdText,
  ORDER_MAX_BYTES,
  orderLine,
  policyLine,
  resourceLine,
  Safe,
  shaRef,
  stackHeadline,
  staleBanner,
  warningsBlock,
  tableRow,
  totalsLine,
  truncatedNotice,
} from './templates.js';

const HOSTILE = 'x|y`z`</details></pre><!-- gitops:plan -->@octocat';
const SHA = 'abc1234def567890abc1234def567890abc12345';

describe('mdText and htmlText tags', () => {
  test('GIVEN plain strings, numbers and Safe fragments WHEN interpolated THEN strings are escaped for the context, numbers grouped, fragments kept', () => {
    expect(mdText`${'a|b'} ${12345} ${new Safe('<b>')}`.text).toBe('a&#124;b 12,345 <b>');
    expect(htmlText`${'a|b<'} ${12345}`.text).toBe('a|b&lt; 12,345');
  });
});

describe('orderLine', () => {
  test('GIVEN waves WHEN rendered THEN a comma joins the stacks of a wave and an arrow leads to the next', () => {
    expect(orderLine([['account-prod', 'account-prod-eu-central-1'], ['imaging-prod'], ['release-prod']]).text).toBe(
      '**Order:** <code>account-prod</code>, <code>account-prod-eu-central-1</code> → <code>imaging-prod</code> → <code>release-prod</code>',
    );
  });

  test('GIVEN 61 stacks WHEN rendered THEN 50 are named, a wave cut in the middle, and the other 11 counted from inside that wave', () => {
    const waves = [
      Array.from({ length: 45 }, (_, i) => `a${i}`),
      Array.from({ length: 10 }, (_, i) => `b${i}`),
      ['c'],
      ['d', 'e', 'f', 'g', 'h'],
    ];
    const line = orderLine(waves).text;
    expect(line.match(/<code>/g)).toHaveLength(50);
    expect(orderLine(waves.slice(0, 1).concat([['z']])).text).toMatch(/<code>a44<\/code> → <code>z<\/code>$/);
    const exactly50 = [Array.from({ length: 25 }, (_, i) => `a${i}`), Array.from({ length: 25 }, (_, i) => `b${i}`), ['z']];
    expect(orderLine(exactly50).text).toMatch(/<code>b24<\/code> → … 1 more stack$/);
    expect(line).toMatch(/<code>b4<\/code>, … 11 more stacks$/);
    expect(line).not.toContain('<code>b5</code>');
  });

  test('GIVEN stack names full of Markdown and HTML syntax WHEN rendered THEN they are escaped and the line stays within its byte limit', () => {
    const line = orderLine([Array.from({ length: 50 }, () => HOSTILE.repeat(10))]).text;
    expect(line).not.toContain('</details>');
    expect(line).not.toContain(COMMENT_MARKER);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(ORDER_MAX_BYTES);
    expect(line).toMatch(/<\/code>, … \d+ more stacks$/);
  });

  test('GIVEN one name longer than the limit WHEN rendered THEN only the count is left', () => {
    expect(orderLine([['x'.repeat(ORDER_MAX_BYTES)], ['y']]).text).toBe('**Order:** … 2 stacks');
  });
});

describe('tableRow', () => {
  test('GIVEN a stack name and reason full of table and HTML syntax WHEN rendered THEN the row keeps exactly six cells', () => {
    const row = tableRow({ name: HOSTILE, source: 'synth', counts: { add: 1, change: 2, destroy: 3 }, reason: HOSTILE }).text;
    expect(row.split('|')).toHaveLength(8);
    expect(row).not.toContain('</details>');
    expect(row).not.toContain(COMMENT_MARKER);
    expect(row).toContain('| — |');
  });

  test('GIVEN a terraform stack WHEN rendered THEN replace is a number and the source says terraform plan', () => {
    expect(tableRow({ name: 'a', source: 'terraform', counts: { add: 1, change: 0, replace: 2, destroy: 0 } }).text).toBe(
      '| <code>a</code> | 1 | 0 | 2 | 0 | terraform plan |',
    );
  });
});

describe('detailsBlock and lines', () => {
  test('GIVEN hostile addresses and values WHEN rendered THEN the block has exactly one <details>, </details>, <pre> and </pre>', () => {
    const headline = stackHeadline({ name: HOSTILE, source: 'terraform', counts: { add: 1, change: 0, replace: 0, destroy: 0 } });
    const lines = [
      resourceLine({ action: 'create', address: HOSTILE }),
      attributeLine({ path: HOSTILE, after: HOSTILE, sensitive: false, unknownAfter: false }),
    ];
    const block = detailsBlock(headline, lines, 3, HOSTILE).text;
    for (const tag of ['<details>', '</details>', '<pre>', '</pre>', '<summary>', '</summary>']) expect(block.split(tag)).toHaveLength(2);
    expect(block).not.toContain(COMMENT_MARKER);
    expect(block).toContain('… 3 more lines not shown here: see the check run');
  });

  test('GIVEN a sensitive attribute whose values were not masked upstream WHEN rendered THEN the values still do not appear', () => {
    expect(attributeLine({ path: 'password', before: 'hunter2', after: 'correct-horse', sensitive: true, unknownAfter: false }).text).toBe(
      '      password: (sensitive) → (sensitive)',
    );
  });

  test.each([
    [{ path: 'arn', sensitive: false, unknownAfter: true }, '      arn: (known after apply)'],
    [{ path: 'id', before: 'i-1', sensitive: false, unknownAfter: true }, '      id: "i-1" → (known after apply)'],
    [{ path: 'tags.a', before: 'x', sensitive: false, unknownAfter: false }, '      tags.a: "x" → (removed)'],
    [{ path: 'n', before: 1, after: 2, sensitive: false, unknownAfter: false }, '      n: 1 → 2'],
  ])('GIVEN attribute %j WHEN rendered THEN it reads %j', (attribute, line) => {
    expect(attributeLine(attribute).text).toBe(line);
  });

  test('GIVEN every action WHEN a resource line is rendered THEN it starts with terraform-like symbols', () => {
    expect(
      (['create', 'update', 'replace', 'delete', 'read'] as const).map((action) => resourceLine({ action, address: 'a.b' }).text),
    ).toEqual(['+ create  a.b', '~ update  a.b', '-/+ replace a.b', '- delete  a.b', '&lt;= read    a.b']);
  });
});

describe('header blocks', () => {
  test('GIVEN a repository URL WHEN a SHA is referenced THEN it is short and linked; without one it is only short', () => {
    expect(shaRef(SHA, 'https://github.com/acme/infra').text).toBe(`[<code>abc1234</code>](https://github.com/acme/infra/commit/${SHA})`);
    expect(shaRef(SHA, undefined).text).toBe('<code>abc1234</code>');
  });

  test('GIVEN only the base moved WHEN the stale banner is rendered THEN it names the base and not the head', () => {
    const banner = staleBanner({ baseMoved: SHA }).text;
    expect(banner).toContain('⚠️ **This plan is out of date:** the base moved to <code>abc1234</code>.');
    expect(banner).not.toContain('head moved');
  });

  test('GIVEN both moved WHEN the stale banner is rendered THEN both are named', () => {
    expect(staleBanner({ headMoved: SHA, baseMoved: SHA }).text).toContain(
      'the head moved to <code>abc1234</code> and the base moved to <code>abc1234</code>.',
    );
  });

  test.each([
    [{ add: 0, change: 0, replace: 0, destroy: 0, stacks: 0 }, '**No stack is affected** by this pull request.'],
    [{ add: 0, change: 0, replace: 0, destroy: 0, stacks: 1 }, '**No changes.** The head matches what is deployed in 1 stack.'],
    [
      { add: 1200, change: 1, replace: 0, destroy: 2, stacks: 3 },
      '**Plan:** 1,200 to add, 1 to change, 0 to replace, 2 to destroy in 3 stacks.',
    ],
    [{ add: 1, change: 1, destroy: 0, stacks: 1 }, '**Plan:** 1 to add, 1 to change, 0 to destroy in 1 stack.'],
  ])('GIVEN totals %j WHEN the totals line is rendered THEN it reads %j', (totals, line) => {
    expect(totalsLine(totals).text).toBe(line);
  });
});

describe('warningsBlock', () => {
  test('GIVEN two warnings, one hostile WHEN rendered THEN each is one quoted line in inline code, escaped', () => {
    expect(warningsBlock(['base 9e8d7c6 did not synthesize', 'a|b\n> [!x]']).text).toBe(
      '> ℹ️ <code>base 9e8d7c6 did not synthesize</code>\n>\n> ℹ️ <code>a&#124;b\\n&gt; &#91;!x&#93;</code>',
    );
  });
});

describe('truncatedNotice and checkRunTitle', () => {
  test('GIVEN links WHEN the notice is rendered THEN it points to the check run and the artifact', () => {
    expect(
      truncatedNotice({
        environment: 'dev',
        checkRunUrl: 'https://github.com/a/b/runs/1',
        artifactUrl: 'https://ci/x(1)',
        shortened: 2,
        omitted: 1,
      }).text,
    ).toBe(
      '> [!NOTE]\n> The full plan does not fit in one comment: the details of 2 stacks are shortened and the details of 1 stack are left out. ' +
        'Full plan in the [<code>gitops/plan/dev</code> check run](https://github.com/a/b/runs/1) and the [plan artifact](https://ci/x%281%29).',
    );
  });

  test('GIVEN a javascript: link WHEN the notice is rendered THEN it is not linked', () => {
    expect(truncatedNotice({ environment: 'dev', checkRunUrl: 'javascript:alert(1)', shortened: 1, omitted: 0 }).text).not.toContain(
      'javascript',
    );
  });

  test('GIVEN totals WHEN the check run title is rendered THEN it summarises them in one line', () => {
    expect(checkRunTitle('dev', { add: 5000, change: 1, replace: 0, destroy: 0, stacks: 2 })).toBe(
      'dev: 5,000 to add, 1 to change, 0 to replace, 0 to destroy',
    );
    expect(checkRunTitle('dev', { add: 0, change: 0, replace: 0, destroy: 0, stacks: 2 })).toBe('dev: no changes');
    expect(checkRunTitle('dev', { add: 0, change: 0, destroy: 0, stacks: 0 })).toBe('dev: no stack affected');
  });
});

describe('policyLine', () => {
  const summary = { stacks: 12, checks: 1234, passed: 1230, failed: 3, errors: 0, warnings: 3, waived: 1 };

  test('GIVEN counts over a thousand WHEN rendered THEN they read like the CLI (no grouping) and new failures are bold', () => {
    expect(policyLine({ environment: 'dev', conclusion: 'neutral', summary, newFailures: 2 }).text).toBe(
      '⚠️ policy: 12 stacks, 1234 checks: 1230 passed, 3 failed (0 errors, 3 warnings), 1 waived · **2 new** · <code>gitops/policy/dev</code>',
    );
  });

  test('GIVEN a passing policy WHEN rendered with a check run link THEN it is a check mark, no new count, and the name is linked', () => {
    const line = policyLine(
      { environment: 'uat', conclusion: 'success', summary: { ...summary, failed: 0, warnings: 0 } },
      'https://github.com/acme/infra/runs/9',
    );
    expect(line.text).toMatch(/^✅ policy: /);
    expect(line.text).not.toContain('new');
    expect(line.text).toContain('[<code>gitops/policy/uat</code>](https://github.com/acme/infra/runs/9)');
  });

  test('GIVEN a policy that was not checked and a javascript: link WHEN rendered THEN the escaped reason is shown and nothing is linked', () => {
    const line = policyLine({ environment: 'uat', conclusion: 'failure', unavailable: HOSTILE }, 'javascript:alert(1)').text;
    expect(line.startsWith('❌ policy not checked: <code>')).toBe(true);
    expect(line).not.toContain('</details>');
    expect(line).not.toContain(COMMENT_MARKER);
    expect(line).not.toContain('javascript:');
  });
});
