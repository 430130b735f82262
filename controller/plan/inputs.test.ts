import { assertNoProblems, environmentProblem, jobIdProblem, repoDirProblem, repoUrlProblem, shaProblem } from './inputs.js';

const SHA = 'a'.repeat(40);

describe('shaProblem', () => {
  test('GIVEN a 40-character lowercase hex SHA WHEN checked THEN there is no problem', () => {
    expect(shaProblem('headSha', SHA)).toBeUndefined();
  });

  test.each([
    ['abc1234'],
    ['A'.repeat(40)],
    [`${SHA}\n`],
    ['--upload-pack=evil'.padEnd(40, 'a')],
    [`${'a'.repeat(39)}g`],
    [42],
    [undefined],
  ])('GIVEN %j WHEN checked THEN the problem names the field, shows the value and the allowed form', (value) => {
    const problem = shaProblem('headSha', value);
    expect(problem).toMatch(/^headSha .* is not a commit SHA \(40 lowercase hex characters\)$/);
    expect(problem).toContain(JSON.stringify(value) ?? 'undefined');
  });
});

describe('environmentProblem', () => {
  test.each([['dev'], ['prod'], ['staging-2']])('GIVEN %s WHEN checked THEN there is no problem', (value) => {
    expect(environmentProblem('environment', value)).toBeUndefined();
  });

  test.each([['Dev'], ['-dev'], ['dev prod'], ['../prod'], ['']])(
    'GIVEN %j WHEN checked THEN the problem names field and value',
    (value) => {
      expect(environmentProblem('environment', value)).toBe(
        `environment ${JSON.stringify(value)} is not an environment name (lowercase letters, digits and -, starting with a letter or digit)`,
      );
    },
  );
});

describe('repoDirProblem', () => {
  test.each([['environments'], ['config/envs'], ['env.d']])('GIVEN %s WHEN checked THEN there is no problem', (value) => {
    expect(repoDirProblem('envDir', value)).toBeUndefined();
  });

  test.each([['/etc'], ['../outside'], ['a/../../b'], ['--help'], ['a//b'], ['a b'], ['']])(
    'GIVEN %j WHEN checked THEN it is refused',
    (value) => {
      expect(repoDirProblem('envDir', value)).toMatch(/^envDir .* must be a relative directory inside the repository/);
    },
  );
});

describe('repoUrlProblem', () => {
  test.each([['https://github.com/acme/infra.git'], ['http://127.0.0.1:3000/acme/infra.git'], ['file:///tmp/remote.git']])(
    'GIVEN %s WHEN checked THEN there is no problem',
    (value) => {
      expect(repoUrlProblem('repoUrl', value)).toBeUndefined();
    },
  );

  test('GIVEN a URL carrying a token WHEN checked THEN it is refused without echoing the token', () => {
    const problem = repoUrlProblem('repoUrl', 'https://x-access-token:ghs_SECRET@github.com/acme/infra.git');
    expect(problem).toBe('repoUrl must not carry credentials (pass the installation token as authToken)');
    expect(problem).not.toContain('ghs_SECRET');
  });

  test.each([['ext::sh -c touch% /tmp/pwned'], ['ssh://git@github.com/acme/infra.git'], ['not a url']])(
    'GIVEN %j WHEN checked THEN the allowed schemes are listed',
    (value) => {
      expect(repoUrlProblem('repoUrl', value)).toMatch(/\(allowed: https:\/\/, http:\/\/, file:\/\/\)$/);
    },
  );
});

describe('jobIdProblem and assertNoProblems', () => {
  test('GIVEN a job id with a slash WHEN checked THEN it is refused', () => {
    expect(jobIdProblem('jobId', '../x')).toBe('jobId "../x" must be 1-100 of letters, digits, . _ -');
    expect(jobIdProblem('jobId', 'pr-12.3_a')).toBeUndefined();
  });

  test('GIVEN two problems WHEN asserted THEN one error lists both', () => {
    expect(() => assertNoProblems('planPullRequest', [undefined, 'a is bad', 'b is bad'])).toThrow('planPullRequest: a is bad; b is bad');
    expect(() => assertNoProblems('planPullRequest', [undefined])).not.toThrow();
  });
});
