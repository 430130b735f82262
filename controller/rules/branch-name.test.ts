import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { INVISIBLE_CHARACTER, MAX_BRANCH_NAME_LENGTH, quoteBranchName, SHELL_METACHARACTERS, validateBranchName } from './branch-name.js';

/** Git itself as the oracle: does it accept refs/heads/<name>? */
function gitAccepts(name: string): boolean {
  return spawnSync('git', ['check-ref-format', `refs/heads/${name}`], { stdio: 'ignore' }).status === 0;
}

describe('validateBranchName', () => {
  test.each([
    'main',
    'dev',
    'feature/login',
    'feature/team-a/login_v2',
    'release/2024.06',
    'hotfix/CVE-2024-1234',
    'feature/a.b',
    'x'.repeat(MAX_BRANCH_NAME_LENGTH),
  ])('GIVEN the valid name %s WHEN validated THEN there is no problem', (name) => {
    expect(validateBranchName(name)).toBeUndefined();
  });

  test.each<[string, string, RegExp]>([
    ['empty', '', /^branch name is empty$/],
    ['too long', 'f'.repeat(256), /is 256 characters long \(at most 255\)/],
    ['double dot', 'feature/a..b', /"feature\/a\.\.b" contains "\.\."$/],
    ['reflog syntax', 'feature/a@{1}', /contains "{"|contains "@\{"/],
    ['bare @', '@', /"@" is "@", which git reserves/],
    ['space', 'feature/a b', /contains a space/],
    ['tab', 'feature/a\tb', /contains a control character \(U\+0009\)/],
    ['newline (log injection)', 'feature/a\nINFO fake', /"feature\/a\\nINFO fake" contains a control character \(U\+000A\)/],
    ['DEL', 'feature/a\u007fb', /U\+007F/],
    ['tilde', 'feature/a~1', /contains "~"/],
    ['caret', 'main^', /contains "\^"/],
    ['colon', 'a:b', /contains ":"/],
    ['question mark', 'a?', /contains "\?"/],
    ['star', 'feature/*', /contains "\*"/],
    ['bracket', 'a[0]', /contains "\["/],
    ['backslash', 'a\\b', /contains "\\\\"/],
    ['.lock at the end', 'feature/x.lock', /has a part ending with "\.lock"/],
    ['.lock inside', 'feature.lock/x', /has a part ending with "\.lock" \("feature\.lock"\)/],
    ['trailing slash (prefix only)', 'feature/', /ends with "\/" \(a prefix such as feature\/ needs a name after it\)/],
    ['leading slash', '/feature/x', /starts with "\/"/],
    ['trailing dot', 'feature/x.', /ends with "\."/],
    ['double slash', 'feature//x', /contains "\/\/"/],
    ['leading dash (option injection)', '-upload-pack=evil', /starts with "-" \(it would be read as an option\)/],
    ['hidden part', 'feature/.hidden', /has a part starting with "\."/],
    ['command substitution', 'feature/$(id)', /contains "\$" \(shell metacharacters/],
    ['backtick', 'feature/`id`', /contains "`"/],
    ['semicolon', 'feature/a;rm', /contains ";"/],
    ['pipe', 'feature/a|b', /contains "\|"/],
    ['ampersand', 'feature/a&b', /contains "&"/],
    ['redirect', 'feature/a>b', /contains ">"/],
    ['quote', "feature/it's", /contains "'"/],
    ['double quote', 'feature/"x"', /contains "\\""/],
    ['braces', 'feature/{a}', /contains "{"/],
    ['bang', 'feature/x!', /contains "!"/],
  ])('GIVEN a name with %s WHEN validated THEN the problem names the value and the rule', (_what, name, expected) => {
    const problem = validateBranchName(name);
    expect(problem).toMatch(expected);
    expect(problem).not.toMatch(/\n/);
  });

  test('GIVEN a very long hostile name WHEN validated THEN the message shows a shortened name', () => {
    const problem = validateBranchName('feature/' + 'a'.repeat(300) + ';');
    expect(problem).toMatch(/^branch name "feature\/a{72}…" is 309 characters long/);
  });

  test.each([undefined, null, 42, ['main']])('GIVEN a non-string %p WHEN validated THEN it is refused', (value) => {
    expect(validateBranchName(value)).toMatch(/^branch name must be a string \(got \w+\)$/);
  });

  const alphabet = [...'abz09-_./@{}~^:?*[]\\ \t\n', ...SHELL_METACHARACTERS, '.lock', 'feature/', '..'];
  const hostileName = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((parts) => parts.join(''));

  test('GIVEN arbitrary names WHEN one is accepted THEN it has no shell metacharacter, "..", control character or space', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(hostileName, fc.string({ unit: 'binary', maxLength: 300 })), (name) => {
        if (validateBranchName(name) !== undefined) return;
        accepted++;
        expect(SHELL_METACHARACTERS.some((c) => name.includes(c))).toBe(false);
        expect(name).not.toContain('..');
        expect([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || ch === ' ')).toBe(false);
        expect(name).not.toMatch(INVISIBLE_CHARACTER);
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(MAX_BRANCH_NAME_LENGTH);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(50); // the property saw accepted names, not only refusals
  });

  test('GIVEN arbitrary names WHEN one is accepted THEN git check-ref-format accepts it too', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        fc.pre(validateBranchName(name) === undefined);
        expect(gitAccepts(name)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test.each<[string, string]>([
    ['U+202A LEFT-TO-RIGHT EMBEDDING', '\u202A'],
    ['U+202B RIGHT-TO-LEFT EMBEDDING', '\u202B'],
    ['U+202C POP DIRECTIONAL FORMATTING', '\u202C'],
    ['U+202D LEFT-TO-RIGHT OVERRIDE', '\u202D'],
    ['U+202E RIGHT-TO-LEFT OVERRIDE', '\u202E'],
    ['U+2066 LEFT-TO-RIGHT ISOLATE', '\u2066'],
    ['U+2067 RIGHT-TO-LEFT ISOLATE', '\u2067'],
    ['U+2068 FIRST STRONG ISOLATE', '\u2068'],
    ['U+2069 POP DIRECTIONAL ISOLATE', '\u2069'],
    ['U+200E LEFT-TO-RIGHT MARK', '\u200E'],
    ['U+200F RIGHT-TO-LEFT MARK', '\u200F'],
    ['U+061C ARABIC LETTER MARK', '\u061C'],
    ['U+200B ZERO WIDTH SPACE', '\u200B'],
    ['U+200C ZERO WIDTH NON-JOINER', '\u200C'],
    ['U+200D ZERO WIDTH JOINER', '\u200D'],
    ['U+2060 WORD JOINER', '\u2060'],
    ['U+FEFF ZERO WIDTH NO-BREAK SPACE', '\uFEFF'],
    ['U+0085 NEXT LINE', '\u0085'],
    ['U+2028 LINE SEPARATOR', '\u2028'],
    ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
    ['U+009B, a control character', '\u009B'],
    ['U+00A0 NO-BREAK SPACE', '\u00A0'],
    ['U+3000 IDEOGRAPHIC SPACE', '\u3000'],
    ['U+00AD SOFT HYPHEN', '\u00AD'],
    ['U+E0001, a format character', '\u{E0001}'],
    ['U+FE0F, an invisible character', '\uFE0F'],
    ['U+D800, a lone surrogate', '\uD800'],
  ])('GIVEN a name containing %s WHEN validated THEN it is refused naming it, and the message holds no such character', (named, c) => {
    const problem = validateBranchName(`feature/fix${c}txt.exe`);
    const shown = quoteBranchName(`feature/fix${c}txt.exe`);
    expect(problem).toBe(`branch name ${shown} contains ${named} (invisible or direction-changing characters are not allowed)`);
    expect(shown).toMatch(/^"feature\/fix\\u(\{e0001\}|[0-9a-f]{4})txt\.exe"$/);
    expect(problem).not.toMatch(INVISIBLE_CHARACTER);
  });

  test('GIVEN the right-to-left override WHEN validated THEN the message names it by code point and shows the name escaped', () => {
    expect(validateBranchName('feature/fix\u202Etxt.exe')).toBe(
      'branch name "feature/fix\\u202etxt.exe" contains U+202E RIGHT-TO-LEFT OVERRIDE (invisible or direction-changing characters are not allowed)',
    );
  });

  test('GIVEN a name refused for its length that also hides a bidi override WHEN validated THEN the shortened name is shown escaped', () => {
    const problem = validateBranchName('\u202E' + 'a'.repeat(300));
    expect(problem).toMatch(/^branch name "\\u202ea{79}…" is 301 characters long/);
    expect(problem).not.toMatch(INVISIBLE_CHARACTER);
  });

  const unsafeCharacter = fc.oneof(
    fc.constantFrom('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'),
    fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u0085', '\u2028', '\u2029'),
    fc
      .integer({ min: 0, max: 0x10ffff })
      .map((code) => String.fromCodePoint(code))
      .filter((c) => INVISIBLE_CHARACTER.test(c)),
  );
  const validName = fc.constantFrom('main', 'feature/login', 'release/2024.06', 'hotfix/CVE-2024-1234', 'a');

  test('GIVEN any name with an invisible, control, separator or non-ASCII space character WHEN validated THEN it is refused and the message never carries such a character', () => {
    fc.assert(
      fc.property(validName, unsafeCharacter, fc.nat(), fc.string({ unit: 'binary', maxLength: 20 }), (name, c, at, rest) => {
        const i = at % (name.length + 1);
        for (const candidate of [name.slice(0, i) + c + name.slice(i), name + c + rest, c + rest]) {
          const problem = validateBranchName(candidate);
          expect(problem).toBeDefined();
          expect(problem).not.toMatch(INVISIBLE_CHARACTER);
          expect(problem).not.toContain(c);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('GIVEN arbitrary strings WHEN validated THEN no message carries a control, invisible or direction-changing character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const problem = validateBranchName(name);
        if (problem === undefined) return;
        // eslint-disable-next-line no-control-regex
        expect(problem).not.toMatch(/[\u0000-\u001f\u007f]/);
        expect(problem).not.toMatch(INVISIBLE_CHARACTER);
      }),
      { numRuns: 2000 },
    );
  });
});
