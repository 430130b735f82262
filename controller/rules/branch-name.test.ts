import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { MAX_BRANCH_NAME_LENGTH, SHELL_METACHARACTERS, validateBranchName } from './branch-name.js';

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
});
