// The credentials block of an environment file, resolved into terraform's plan and apply sets; and the
// guarantee that synth (pull request code, in the plan service's sandbox) sees none of the values even
// when the controller's own environment holds them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironmentFile } from '../../environments/config.js';
import type { Environment } from '../../environments/schema.js';
import { HeldSecrets } from '../secrets/held.js';
import { probeSandbox } from '../process/sandbox.js';
import { lockfileHash } from '../plan/deps.js';
import { PlanService } from '../plan/service.js';
import { planCases } from '../../test/fixtures/plan-cases.js';
import { fixtureProject } from '../../test/fixtures/test-repo.js';
import { CredentialsError, resolveCredentials } from './credentials.js';

const ROLE = 'arn:aws:iam::111111111111:role/gitops-plan';
const CLIENT = '00000000-0000-4000-8000-0000000000c1';
const TENANT = '00000000-0000-4000-8000-0000000000aa';
const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';

/** dev.yaml as shipped, with `block` (YAML text) appended. */
function devWith(block: string): Environment {
  const text = readFileSync(new URL('../../environments/dev.yaml', import.meta.url), 'utf8') + block;
  const { environment, problems } = parseEnvironmentFile({ file: 'dev.yaml', text });
  if (!environment) throw new Error(problems.map((p) => p.message).join('\n'));
  return environment;
}

const BLOCK = `credentials:
  plan:
    aws: { roleArn: ${ROLE}, sessionName: gitops-dev-plan, webIdentityTokenFile: /var/run/secrets/aws/token }
    azure: { clientId: ${CLIENT}, tenantId: ${TENANT}, subscriptionId: ${SUBSCRIPTION} }
    passEnv: [TF_VAR_region_hint]
  apply:
    aws: { profile: dev-deployer }
    azure: { clientId: ${CLIENT}, tenantId: ${TENANT}, subscriptionId: ${SUBSCRIPTION}, useOidc: false }
    passEnv: [ARM_CLIENT_SECRET, AWS_REGION]
`;

const CONTROLLER_ENV = {
  TF_VAR_region_hint: 'eu-west-1-hint',
  ARM_CLIENT_SECRET: 'arm-client-secret-value',
  AWS_REGION: 'eu-west-1',
  AWS_SECRET_ACCESS_KEY: 'not-listed-so-never-passed',
  GITHUB_TOKEN: 'ghs_not_listed',
};

describe('resolveCredentials', () => {
  test('GIVEN a plan entry with a role and Azure OIDC and an apply entry with a profile WHEN resolved THEN each set holds exactly the variables the AWS SDK and azurerm read', () => {
    const sets = resolveCredentials('dev.yaml', devWith(BLOCK), CONTROLLER_ENV);
    expect(sets.plan).toEqual({
      AWS_ROLE_ARN: ROLE,
      AWS_ROLE_SESSION_NAME: 'gitops-dev-plan',
      AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/aws/token',
      ARM_CLIENT_ID: CLIENT,
      ARM_TENANT_ID: TENANT,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_USE_OIDC: 'true',
      TF_VAR_region_hint: 'eu-west-1-hint',
    });
    expect(sets.apply).toEqual({
      AWS_PROFILE: 'dev-deployer',
      ARM_CLIENT_ID: CLIENT,
      ARM_TENANT_ID: TENANT,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_CLIENT_SECRET: 'arm-client-secret-value',
      AWS_REGION: 'eu-west-1',
    });
  });

  test('GIVEN no credentials block WHEN resolved THEN both sets are empty, as terraform ran before the block existed', () => {
    expect(resolveCredentials('dev.yaml', devWith(''), CONTROLLER_ENV)).toEqual({ plan: {}, apply: {} });
  });

  test('GIVEN only a plan entry WHEN resolved THEN the apply set is empty', () => {
    const sets = resolveCredentials('dev.yaml', devWith('credentials:\n  plan: { aws: { profile: dev-read } }\n'), {});
    expect(sets).toEqual({ plan: { AWS_PROFILE: 'dev-read' }, apply: {} });
  });

  test('GIVEN an apply variable the controller lacks WHEN only the plan set is resolved THEN it resolves, with an empty apply set', () => {
    const sets = resolveCredentials('dev.yaml', devWith(BLOCK), { ...CONTROLLER_ENV, ARM_CLIENT_SECRET: undefined }, { apply: false });
    expect(sets.plan.TF_VAR_region_hint).toBe('eu-west-1-hint');
    expect(sets.apply).toEqual({});
  });

  test('GIVEN a role whose token file comes from the controller WHEN resolved THEN AWS_WEB_IDENTITY_TOKEN_FILE is the controller value', () => {
    const env = devWith(`credentials:\n  plan: { aws: { roleArn: ${ROLE} }, passEnv: [AWS_WEB_IDENTITY_TOKEN_FILE] }\n`);
    const sets = resolveCredentials('dev.yaml', env, { AWS_WEB_IDENTITY_TOKEN_FILE: '/run/eks/token' });
    expect(sets.plan).toEqual({ AWS_ROLE_ARN: ROLE, AWS_WEB_IDENTITY_TOKEN_FILE: '/run/eks/token' });
  });

  test('GIVEN passEnv variables the controller lacks (one unset, one empty) WHEN resolved THEN one error names each variable, its entry and the file, and nothing is held', () => {
    const held = new HeldSecrets();
    const error = (() => {
      try {
        return resolveCredentials(
          'dev.yaml',
          devWith(BLOCK),
          { ...CONTROLLER_ENV, TF_VAR_region_hint: undefined, AWS_REGION: '' },
          { held },
        );
      } catch (e) {
        return e;
      }
    })() as CredentialsError;
    expect(error).toBeInstanceOf(CredentialsError);
    expect(error.message.split('\n')).toEqual([
      "dev.yaml: credentials.plan.passEnv: TF_VAR_region_hint is not set in the controller's environment",
      "dev.yaml: credentials.apply.passEnv: AWS_REGION is not set in the controller's environment",
    ]);
    expect(held.mask('arm-client-secret-value')).toBe('arm-client-secret-value');
  });

  test('GIVEN held secrets WHEN resolved THEN every credential value is masked wherever the controller writes', () => {
    const held = new HeldSecrets();
    resolveCredentials('dev.yaml', devWith(BLOCK), CONTROLLER_ENV, { held });
    const text = `role ${ROLE} secret arm-client-secret-value profile dev-deployer hint eu-west-1-hint`;
    expect(held.mask(text)).toBe('role *** secret *** profile *** hint ***');
  });
});

const probe = probeSandbox();
if (!probe.ok) console.warn(`credential sandbox test skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;
const cases = planCases('gitops-credentials-');

sandboxed('credentials and pull request code', () => {
  test("GIVEN the controller's environment holds every credential value WHEN a pull request is planned THEN its synth and dependency install see none of them", async () => {
    const { remote, workDir, installer } = cases.next();
    const sets = resolveCredentials('dev.yaml', devWith(BLOCK), CONTROLLER_ENV);
    const values = [...Object.values(sets.plan), ...Object.values(sets.apply)].filter((v) => v !== 'true');
    const release = { resource: { terraform_data: { record: { input: { commit_sha: '@COMMIT@' } } } } };
    const baseSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release } } }));
    const headSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release, 'new-dev': release } } }));
    const saved = { ...process.env };
    Object.assign(process.env, CONTROLLER_ENV, sets.plan, sets.apply);
    try {
      const service = new PlanService({ workDir, installer, keepJobDirs: true });
      await service.planPullRequest({ repoUrl: remote.url, headSha, baseSha, environment: 'dev', jobId: 'credentials' });
    } finally {
      process.env = saved;
    }
    const synthEnv = readFileSync(join(workDir, 'jobs', 'credentials', 'out-head', 'env.json'), 'utf8');
    expect(JSON.parse(synthEnv)).toHaveProperty('GITOPS_COMMIT_SHA', headSha); // the synth that ran, recorded
    const lock = fixtureProject({})['package-lock.json'];
    const installEnv = readFileSync(join(workDir, 'deps', lockfileHash(lock), 'node_modules', '.install-env.json'), 'utf8');
    for (const seen of [synthEnv, installEnv]) {
      for (const value of values) expect(seen).not.toContain(value);
      expect(seen).not.toMatch(/"(AWS|ARM|TF_VAR)_/);
    }
  }, 120_000);
});
