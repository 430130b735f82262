import { readFileSync } from 'node:fs';
import { parseEnvironmentFile, validateEnvironmentFiles, formatProblem } from './config.js';

const read = (name: string) => ({ file: name, text: readFileSync(new URL(`./${name}`, import.meta.url), 'utf8') });
const shipped = () => ['dev.yaml', 'uat.yaml', 'prod.yaml'].map(read);

describe('environment files', () => {
  test('GIVEN the shipped files WHEN validated THEN there is no problem', () => {
    const { environments, problems } = validateEnvironmentFiles(shipped());
    expect(problems).toEqual([]);
    expect(environments.map((e) => e.environment.branch)).toEqual(['dev', 'uat', 'main']);
  });

  test('GIVEN prod with an empty branch and an unknown key WHEN validated THEN both problems name prod.yaml', () => {
    const prod = read('prod.yaml');
    const text = prod.text.replace('branch: main', 'branch: ""') + 'colour: blue\n';
    const { problems } = parseEnvironmentFile({ file: 'prod.yaml', text });
    const lines = problems.map(formatProblem);
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => /^prod\.yaml:\d+: branch: /.test(l))).toBe(true);
    expect(lines.some((l) => /^prod\.yaml:\d+: unknown key "colour" \(allowed: name, branch, /.test(l))).toBe(true);
  });

  test('GIVEN malformed YAML WHEN parsed THEN the problem names the line', () => {
    const { problems } = parseEnvironmentFile({ file: 'dev.yaml', text: 'name: dev\nbranch: [dev\ntier: development\n' });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].line).toBeGreaterThanOrEqual(2);
    expect(formatProblem(problems[0])).toMatch(/^dev\.yaml:\d+: YAML syntax error: /);
  });
});

describe('cross-file rules for systems', () => {
  test('GIVEN commerce enabled and no Azure location WHEN validated THEN the region path is named', () => {
    const files = shipped().map((f) => (f.file === 'uat.yaml' ? { ...f, text: f.text.replace('azure: westeurope, ', '') } : f));
    const { problems } = validateEnvironmentFiles(files);
    expect(problems.map(formatProblem)).toEqual([
      'uat.yaml: regions.primary.azure: is required when the commerce system (AWS and Azure) runs in this region (e.g. westeurope)',
    ]);
  });

  test('GIVEN systems enabled and no AWS account WHEN validated THEN accounts.aws is named', () => {
    const files = shipped().map((f) => (f.file === 'dev.yaml' ? { ...f, text: f.text.replace(/ {2}aws:\n( {4}.*\n)+/, '') } : f));
    const { problems } = validateEnvironmentFiles(files);
    expect(problems.map(formatProblem)).toEqual(['dev.yaml: accounts.aws: is required when an AWS system is enabled']);
  });
});

describe('the backend block', () => {
  const textWith = (block: string) => read('prod.yaml').text.replace('backend:\n  type: local\n', `backend:\n${block}`);
  const withBackend = (block: string) => parseEnvironmentFile({ file: 'prod.yaml', text: textWith(block) });
  /** `prod.yaml:<line>` of the first line holding `key`. */
  const at = (block: string, key: string) =>
    `prod.yaml:${
      textWith(block)
        .split('\n')
        .findIndex((l) => l.includes(key)) + 1
    }`;

  test('GIVEN an s3 backend without locking options WHEN parsed THEN it locks with the S3 lock file and names no table', () => {
    const { environment, problems } = withBackend('  type: s3\n  bucket: acme-state\n  keyPrefix: prod\n  region: eu-west-1\n');
    expect(problems).toEqual([]);
    expect(environment?.backend).toEqual({ type: 's3', bucket: 'acme-state', keyPrefix: 'prod', region: 'eu-west-1', useLockfile: true });
  });

  test('GIVEN an s3 backend with neither lock, and malformed Entra ID options WHEN parsed THEN one line each names the file, field and what is allowed', () => {
    const s3 = '  type: s3\n  bucket: acme-state\n  keyPrefix: prod\n  region: eu-west-1\n  useLockfile: false\n';
    expect(withBackend(s3).problems.map(formatProblem)).toEqual([
      `${at(s3, 'useLockfile')}: backend.useLockfile: is false and no dynamodbTable is given: state would not be locked (allowed: useLockfile true, or a dynamodbTable) (got false)`,
    ]);
    const az =
      '  type: azurerm\n  resourceGroupName: rg\n  storageAccountName: acmestate\n  containerName: tfstate\n  keyPrefix: prod\n  useAzureadAuth: "yes"\n  useOidc: 1\n';
    expect(withBackend(az).problems.map(formatProblem)).toEqual([
      `${at(az, 'useAzureadAuth')}: backend.useAzureadAuth: must be true or false (got "yes")`,
      `${at(az, 'useOidc')}: backend.useOidc: must be true or false (got 1)`,
    ]);
  });
});

describe('the AWS account block', () => {
  const withAccount = (lines: string) =>
    parseEnvironmentFile({
      file: 'dev.yaml',
      text: read('dev.yaml').text.replace(/ {4}managedByOrganization: \[\]\n {4}shieldAdvanced: .*\n/, lines),
    });

  test('GIVEN the shipped files WHEN parsed THEN every account creates its own security services and only prod has Shield Advanced', () => {
    const { environments } = validateEnvironmentFiles(shipped());
    expect(
      environments.map((e) => [
        e.environment.name,
        e.environment.accounts.aws?.managedByOrganization,
        e.environment.accounts.aws?.shieldAdvanced,
      ]),
    ).toEqual([
      ['dev', [], false],
      ['uat', [], false],
      ['prod', [], true],
    ]);
    expect(withAccount('').environment?.accounts.aws).toEqual({
      accountId: '111111111111',
      managedByOrganization: [],
      shieldAdvanced: false,
    });
  });

  test('GIVEN an unknown service, a service twice and a Shield answer that is not a boolean WHEN parsed THEN one line each names the file, field and the allowed values', () => {
    const lines = (text: string) => withAccount(text).problems.map(formatProblem);
    expect(lines('    managedByOrganization: [guardDuty, securityHub]\n')).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+: accounts\.aws\.managedByOrganization\.1: must be one of "guardDuty", "config", "cloudTrail" \(got "securityHub"\)$/,
      ),
    ]);
    expect(lines('    managedByOrganization: [config, config]\n')).toEqual([
      expect.stringMatching(
        /^dev\.yaml:\d+: accounts\.aws\.managedByOrganization: must name each service once \(allowed: guardDuty, config, cloudTrail\)/,
      ),
    ]);
    expect(lines('    shieldAdvanced: maybe\n')).toEqual([
      expect.stringMatching(/^dev\.yaml:\d+: accounts\.aws\.shieldAdvanced: must be true or false \(got "maybe"\)$/),
    ]);
  });
});

describe('the alarms block', () => {
  const ONCALL_GROUP =
    '/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/ops/providers/Microsoft.Insights/actionGroups/oncall';
  /** The shipped files with prod's alarms block replaced by `block` (nothing when empty). */
  const withProdAlarms = (block: string) =>
    validateEnvironmentFiles(
      shipped().map((f) => (f.file === 'prod.yaml' ? { ...f, text: f.text.replace(/^alarms:\n( {2}.*\n)+/m, block) } : f)),
    );

  test('GIVEN the shipped files WHEN parsed THEN each names e-mail receivers and prod a pager endpoint too', () => {
    const { environments } = validateEnvironmentFiles(shipped());
    expect(environments.map((e) => e.environment.alarms)).toEqual([
      { email: { platform: 'platform-dev-alerts@example.com' }, https: {} },
      { email: { platform: 'platform-uat-alerts@example.com' }, https: {} },
      { email: { oncall: 'oncall@example.com' }, https: { pager: 'https://events.example.com/v1/alarms' } },
    ]);
  });

  test('GIVEN production with no receiver, or one that reaches only one cloud WHEN validated THEN one line names the file, alarms and the allowed fields per cloud', () => {
    expect(withProdAlarms('').problems.map(formatProblem)).toEqual([
      'prod.yaml: alarms: a production environment must say where its AWS alarms go (allowed: email, https, snsTopic)',
      'prod.yaml: alarms: a production environment must say where its Azure alarms go (allowed: email, https, actionGroupId)',
    ]);
    expect(withProdAlarms('alarms:\n  snsTopic: oncall\n').problems.map(formatProblem)).toEqual([
      'prod.yaml: alarms: a production environment must say where its Azure alarms go (allowed: email, https, actionGroupId)',
    ]);
    expect(withProdAlarms(`alarms:\n  snsTopic: oncall\n  actionGroupId: ${ONCALL_GROUP}\n`).problems).toEqual([]);
  });

  test('GIVEN a lower environment with no receiver WHEN validated THEN it is accepted (alarms then reach nobody)', () => {
    const files = shipped().map((f) => (f.file === 'dev.yaml' ? { ...f, text: f.text.replace(/^alarms:\n( {2}.*\n)+/m, '') } : f));
    const { environments, problems } = validateEnvironmentFiles(files);
    expect(problems).toEqual([]);
    expect(environments[0].environment.alarms).toEqual({ email: {}, https: {} });
  });

  test('GIVEN a bad address, a clear-text endpoint, a bad receiver name, topic and action group WHEN parsed THEN one line each names the field and what is allowed', () => {
    const { problems } = withProdAlarms(
      'alarms:\n  email: { oncall: oncall-at-example.com, On_Call: a@example.com }\n  https: { pager: http://events.example.com/a }\n  snsTopic: arn:aws:sns:eu-west-1:333333333333:oncall\n  actionGroupId: oncall\n',
    );
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^prod\.yaml:\d+: alarms\.email\.oncall: must be an e-mail address such as oncall@example\.com \(got "oncall-at-example\.com"\)$/,
      ),
      expect.stringMatching(
        /^prod\.yaml:\d+: alarms\.email\.On_Call: must be a short name such as oncall \(a-z, 0-9, -, at most 32\) \(got "On_Call"\)$/,
      ),
      expect.stringMatching(
        /^prod\.yaml:\d+: alarms\.https\.pager: must be an https:\/\/ URL such as https:\/\/events\.example\.com\/alarms \(got "http:\/\/events\.example\.com\/a"\)$/,
      ),
      expect.stringMatching(
        /^prod\.yaml:\d+: alarms\.snsTopic: must be an SNS topic name \(letters, digits, - and _, at most 256\) \(got "arn:aws:sns:/,
      ),
      expect.stringMatching(
        /^prod\.yaml:\d+: alarms\.actionGroupId: must be an action group resource id such as \/subscriptions\/<uuid>\//,
      ),
    ]);
  });
});

describe('the credentials block', () => {
  const ROLE = 'arn:aws:iam::111111111111:role/gitops-plan';
  const withBlock = (block: string) => parseEnvironmentFile({ file: 'dev.yaml', text: read('dev.yaml').text + block });
  /** `dev.yaml:<line>` of the block's `n`th line (the block is appended to the shipped file). */
  const at = (n: number) => `dev.yaml:${read('dev.yaml').text.split('\n').length - 1 + n}`;
  const problemsOf = (block: string) => withBlock(block).problems.map(formatProblem);

  test('GIVEN a plan entry with a role and Azure OIDC and an apply entry with a profile and passEnv WHEN parsed THEN it is the environment, useOidc defaulting to true', () => {
    const { environment, problems } = withBlock(`credentials:
  plan:
    aws: { roleArn: ${ROLE}, sessionName: gitops-plan, webIdentityTokenFile: /var/run/secrets/token }
    azure: { clientId: 00000000-0000-4000-8000-0000000000c1, tenantId: 00000000-0000-4000-8000-0000000000aa, subscriptionId: 00000000-0000-4000-8000-000000000001 }
  apply:
    aws: { profile: dev-deployer }
    passEnv: [AWS_REGION, ARM_CLIENT_SECRET, TF_VAR_db_password]
`);
    expect(problems).toEqual([]);
    expect(environment?.credentials?.plan?.azure?.useOidc).toBe(true);
    expect(environment?.credentials?.plan?.passEnv).toEqual([]);
    expect(environment?.credentials?.apply).toEqual({
      aws: { profile: 'dev-deployer' },
      passEnv: ['AWS_REGION', 'ARM_CLIENT_SECRET', 'TF_VAR_db_password'],
    });
  });

  test('GIVEN no credentials block WHEN parsed THEN credentials is absent (terraform gets no credential)', () => {
    expect(withBlock('').environment?.credentials).toBeUndefined();
  });

  test('GIVEN passEnv naming a variable outside AWS_*, ARM_*, TF_VAR_* and one twice WHEN parsed THEN one line each names the file, the field, the value and the allowed patterns', () => {
    expect(problemsOf('credentials:\n  plan:\n    passEnv: [GITHUB_TOKEN, AWS_REGION, AWS_REGION, tf_var_x]\n')).toEqual([
      `${at(3)}: credentials.plan.passEnv.0: must be a variable name matching AWS_*, ARM_*, TF_VAR_* (got "GITHUB_TOKEN")`,
      `${at(3)}: credentials.plan.passEnv.3: must be a variable name matching AWS_*, ARM_*, TF_VAR_* (got "tf_var_x")`,
      `${at(3)}: credentials.plan.passEnv.2: is already listed (allowed: each name once) (got "AWS_REGION")`,
    ]);
    expect(problemsOf('credentials:\n  plan:\n    passEnv: [AWS_REGION, AWS_REGION]\n')).toEqual([
      `${at(3)}: credentials.plan.passEnv.1: is already listed (allowed: each name once) (got "AWS_REGION")`,
    ]);
  });

  test('GIVEN malformed AWS entries WHEN parsed THEN each problem names its field and what is allowed', () => {
    expect(problemsOf('credentials:\n  apply:\n    aws: { profile: x, roleArn: "arn:aws:iam::111111111111:role/a" }\n')).toEqual([
      `${at(3)}: credentials.apply.aws: must give exactly one of profile, roleArn (got {"profile":"x","roleArn":"arn:aws:iam::111111111111:role/a"})`,
    ]);
    expect(problemsOf('credentials:\n  apply:\n    aws: { roleArn: "arn:aws:iam::1111:role/a", webIdentityTokenFile: token }\n')).toEqual([
      `${at(3)}: credentials.apply.aws.roleArn: must be an IAM role ARN such as arn:aws:iam::111111111111:role/gitops-plan (got "arn:aws:iam::1111:role/a")`,
      `${at(3)}: credentials.apply.aws.webIdentityTokenFile: must be an absolute path (got "token")`,
    ]);
    expect(problemsOf(`credentials:\n  apply:\n    aws: { roleArn: "${ROLE}" }\n`)).toEqual([
      `${at(3)}: credentials.apply.aws.webIdentityTokenFile: is required with roleArn unless passEnv names AWS_WEB_IDENTITY_TOKEN_FILE (the AWS SDK assumes a role from the environment only with a web identity token) (got nothing)`,
    ]);
    expect(problemsOf('credentials:\n  apply:\n    aws: { profile: x, sessionName: abc }\n    passEnv: [AWS_PROFILE]\n')).toEqual([
      `${at(3)}: credentials.apply.aws.sessionName: is allowed only with roleArn (a profile sets its own) (got "abc")`,
      `${at(4)}: credentials.apply.passEnv.0: is set by the aws entry (allowed: names it does not set) (got "AWS_PROFILE")`,
    ]);
  });

  test('GIVEN malformed Azure entries and unknown keys WHEN parsed THEN each problem names its field and what is allowed', () => {
    expect(
      problemsOf(
        'credentials:\n  deploy: {}\n  plan:\n    azure: { clientId: nope, tenantId: 00000000-0000-4000-8000-0000000000aa, subscriptionId: 00000000-0000-4000-8000-000000000001, useOidc: yes }\n    gcp: {}\n',
      ),
    ).toEqual([
      `${at(4)}: credentials.plan.azure.clientId: must be a UUID such as 00000000-0000-4000-8000-000000000001 (got "nope")`,
      `${at(4)}: credentials.plan.azure.useOidc: must be true or false (got "yes")`,
      `${at(5)}: credentials.plan: unknown key "gcp" (allowed: aws, azure, passEnv)`,
      `${at(2)}: credentials: unknown key "deploy" (allowed: plan, apply)`,
    ]);
  });
});
