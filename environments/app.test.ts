import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, DataResource, TerraformStack, Testing } from 'cdktf';
import { buildApp, carveCidr, stackName } from './app.js';
import { environmentSchema, type Environment, type EnvironmentInput } from './schema.js';
import { AFTER_ACCOUNT, type SystemDefinition } from '../modules/systems/types.js';

const base: EnvironmentInput = {
  name: 'prod',
  branch: 'main',
  tier: 'production',
  accounts: { aws: { accountId: '333333333333' } },
  regions: { primary: { aws: 'eu-west-1', cidr: '10.30.0.0/16' }, dr: { aws: 'eu-central-1', cidr: '10.31.0.0/16' } },
  backend: { type: 'local' },
  tags: { environment: 'prod', owner: 'team', 'cost-center': 'cc' },
  systems: { ingest: { dr: true }, imaging: {} },
  release: { accepts: ['release/*'], requiredApprovals: 1, requires: 'uat' },
};
const env = (patch: Partial<EnvironmentInput> = {}): Environment => environmentSchema.parse({ ...base, ...patch });

/** A system that records the context it was given, so the app's wiring can be asserted. */
const recorder = (name: 'ingest' | 'imaging', cidrIndex: number): SystemDefinition => ({
  name,
  cloud: 'aws',
  cidrIndex,
  create(scope, id, ctx) {
    const stack = new TerraformStack(scope, id);
    new DataResource(stack, 'ctx', { input: { region: ctx.region.aws, role: ctx.role, cidr: ctx.cidr, tags: ctx.tags } });
    return stack;
  },
});

const resourceOf = (stack: TerraformStack) => {
  const json = JSON.parse(Testing.synth(stack)) as {
    resource: { terraform_data: Record<string, { input: Record<string, unknown> }> };
    terraform: { backend: unknown };
  };
  return { input: Object.values(json.resource.terraform_data)[0].input, backend: json.terraform.backend };
};

describe('buildApp', () => {
  const opts = { systems: [recorder('ingest', 0), recorder('imaging', 1)], commitSha: 'abc1234', version: '1.0.0' };

  test('GIVEN zero systems WHEN built THEN only the release stack of each environment exists', () => {
    const stacks = buildApp(new App(), [env()], { ...opts, systems: [] });
    expect(stacks.map((s) => s.name)).toEqual(['release-prod']);
  });

  test('GIVEN systems with DR on one WHEN built THEN stacks are named <system>-<env>[-<region>] with their own /20', () => {
    const stacks = buildApp(new App(), [env()], opts);
    expect(stacks.map((s) => [s.name, s.region])).toEqual([
      ['ingest-prod', 'eu-west-1'],
      ['ingest-prod-eu-central-1', 'eu-central-1'],
      ['imaging-prod', 'eu-west-1'],
      ['account-prod', 'eu-west-1'],
      ['account-prod-eu-central-1', 'eu-central-1'],
      ['release-prod', 'builtin'],
    ]);
    expect(resourceOf(stacks[0].stack).input).toEqual({
      region: 'eu-west-1',
      role: 'primary',
      cidr: '10.30.0.0/20',
      tags: { environment: 'prod', owner: 'team', 'cost-center': 'cc', system: 'ingest' },
    });
    expect(resourceOf(stacks[1].stack).input).toMatchObject({ region: 'eu-central-1', role: 'dr', cidr: '10.31.0.0/20' });
    expect(resourceOf(stacks[2].stack).input).toMatchObject({ cidr: '10.30.16.0/20' });
  });

  const s3 = { type: 's3', bucket: 'acme-tf-state', keyPrefix: 'prod', region: 'eu-west-1' } as const;
  const azurerm = {
    type: 'azurerm',
    resourceGroupName: 'rg',
    storageAccountName: 'acmestate',
    containerName: 'tfstate',
    keyPrefix: 'prod',
  } as const;

  test('GIVEN an s3 backend with defaults WHEN built THEN every stack gets its own state key, locked by an S3 lock file', () => {
    const stacks = buildApp(new App(), [env({ backend: s3 })], opts);
    expect(resourceOf(stacks[0].stack).backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'prod/ingest-prod.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
  });

  test('GIVEN an s3 backend locked by DynamoDB alone, or by both WHEN built THEN the backend names the table, and the lock file only when on', () => {
    const dynamo = buildApp(new App(), [env({ backend: { ...s3, useLockfile: false, dynamodbTable: 'tf-locks' } })], opts);
    expect(resourceOf(dynamo[0].stack).backend).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'prod/ingest-prod.tfstate', region: 'eu-west-1', dynamodb_table: 'tf-locks', encrypt: true },
    });
    const both = buildApp(new App(), [env({ backend: { ...s3, dynamodbTable: 'tf-locks' } })], opts);
    expect(resourceOf(both[0].stack).backend).toMatchObject({ s3: { dynamodb_table: 'tf-locks', use_lockfile: true } });
  });

  test('GIVEN an azurerm backend WHEN built THEN each stack has its key and reads state with Entra ID; useOidc is written only when set', () => {
    const az = buildApp(new App(), [env({ backend: azurerm })], opts);
    expect(resourceOf(az[2].stack).backend).toEqual({
      azurerm: {
        resource_group_name: 'rg',
        storage_account_name: 'acmestate',
        container_name: 'tfstate',
        key: 'prod/imaging-prod.tfstate',
        use_azuread_auth: true,
      },
    });
    const oidc = buildApp(new App(), [env({ backend: { ...azurerm, useAzureadAuth: false, useOidc: true } })], opts);
    expect(resourceOf(oidc[0].stack).backend).toMatchObject({ azurerm: { use_azuread_auth: false, use_oidc: true } });
  });

  /** What `terraform init` says of the release stack's backend block (it stops at sign-in: there is no cloud here). */
  const initBackend = (backend: EnvironmentInput['backend']): string => {
    const outdir = mkdtempSync(join(tmpdir(), 'backend-'));
    try {
      const app = new App({ outdir });
      buildApp(app, [env({ backend })], { ...opts, systems: [] });
      app.synth();
      const run = spawnSync('terraform', ['init', '-input=false', '-no-color'], {
        cwd: join(outdir, 'stacks', 'release-prod'),
        env: {
          PATH: process.env.PATH,
          HOME: outdir,
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'x',
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        encoding: 'utf8',
        timeout: 60_000,
      });
      return run.stdout + run.stderr;
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  };

  test('GIVEN the default s3 and an azurerm backend WHEN terraform init reads them THEN neither is deprecated or unknown; a DynamoDB lock is reported deprecated', () => {
    for (const backend of [s3, { ...azurerm, useOidc: true }]) {
      const said = initBackend(backend);
      expect(said).toContain('Initializing the backend');
      expect(said).not.toMatch(/Deprecated|Unsupported argument|Extraneous JSON/);
    }
    expect(initBackend({ ...s3, dynamodbTable: 'tf-locks' })).toContain('The parameter "dynamodb_table" is deprecated');
  });

  test('GIVEN AWS systems in two regions WHEN built THEN each site gets one account stack with the API Gateway logging role, tagged', () => {
    const stacks = buildApp(new App(), [env()], opts);
    const account = stacks.find((s) => s.name === 'account-prod-eu-central-1')!;
    const json = JSON.parse(Testing.synth(account.stack)) as {
      provider: { aws: { region: string; allowed_account_ids: string[] }[] };
      resource: Record<string, Record<string, { tags?: Record<string, string> }>>;
    };
    expect(json.provider.aws[0]).toMatchObject({ region: 'eu-central-1', allowed_account_ids: ['333333333333'] });
    expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(['aws_api_gateway_account', 'aws_iam_role']));
    expect(Object.values(json.resource.aws_iam_role)[0].tags).toMatchObject({ environment: 'prod', system: 'account' });
    const release = JSON.parse(Testing.synth(stacks.at(-1)!.stack)) as {
      resource: { terraform_data: Record<string, { input: { stacks: string[] } }> };
    };
    expect(Object.values(release.resource.terraform_data)[0].input.stacks).toContain('account-prod');
  });

  test('GIVEN an organisation running GuardDuty and systems keeping logs 90 and 365 days WHEN built THEN each account stack holds Config, the primary the trail kept 365 days, and none GuardDuty', () => {
    const stacks = buildApp(
      new App(),
      [
        env({
          accounts: { aws: { accountId: '333333333333', managedByOrganization: ['guardDuty'] } },
          systems: { ingest: { dr: true, logRetentionDays: 90 }, imaging: { logRetentionDays: 365 } },
        }),
      ],
      opts,
    );
    const resources = (name: string) =>
      (
        JSON.parse(Testing.synth(stacks.find((s) => s.name === name)!.stack)) as {
          resource: Record<string, Record<string, Record<string, unknown>>>;
        }
      ).resource;
    const primary = resources('account-prod');
    const dr = resources('account-prod-eu-central-1');
    expect([primary.aws_guardduty_detector, dr.aws_guardduty_detector]).toEqual([undefined, undefined]);
    expect(Object.values(primary.aws_cloudwatch_log_group)[0].retention_in_days).toBe(365);
    expect(Object.values(primary.aws_config_configuration_recorder)[0].recording_group).toMatchObject({
      include_global_resource_types: true,
    });
    expect(Object.values(dr.aws_config_configuration_recorder)[0].recording_group).toMatchObject({ include_global_resource_types: false });
    expect(dr.aws_cloudtrail).toBeUndefined();
  });

  test('GIVEN systems that declare their order WHEN built and synthesized THEN each stack lists what it comes after, in manifest.json too', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gitops-app-order-'));
    const ingest: SystemDefinition = { ...recorder('ingest', 0), after: { primary: [AFTER_ACCOUNT], dr: [AFTER_ACCOUNT] } };
    const imaging: SystemDefinition = {
      ...recorder('imaging', 1),
      after: { primary: [AFTER_ACCOUNT, { system: 'ingest', site: 'dr', reason: 'reads the DR queue' }] },
    };
    const app = new App({ outdir });
    const stacks = buildApp(app, [env()], { ...opts, systems: [ingest, imaging] });
    expect(Object.fromEntries(stacks.map((s) => [s.name, s.dependsOn]))).toEqual({
      'ingest-prod': ['account-prod'],
      'ingest-prod-eu-central-1': ['account-prod-eu-central-1'],
      'imaging-prod': ['account-prod', 'ingest-prod-eu-central-1'],
      'account-prod': [],
      'account-prod-eu-central-1': [],
      'release-prod': ['account-prod', 'account-prod-eu-central-1', 'imaging-prod', 'ingest-prod', 'ingest-prod-eu-central-1'],
    });
    app.synth();
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    expect(Object.fromEntries(Object.entries(manifest.stacks).map(([name, s]) => [name, s.dependencies]))).toEqual(
      Object.fromEntries(stacks.map((s) => [s.name, s.dependsOn])),
    );
    rmSync(outdir, { recursive: true, force: true });
  });

  test('GIVEN two systems that come after each other WHEN built THEN the build fails naming the stacks of the cycle', () => {
    const ingest: SystemDefinition = {
      ...recorder('ingest', 0),
      after: { primary: [{ system: 'imaging', site: 'primary', reason: 'r' }] },
    };
    const imaging: SystemDefinition = { ...recorder('imaging', 1), after: { primary: [{ system: 'ingest', site: 'same', reason: 'r' }] } };
    expect(() => buildApp(new App(), [env()], { ...opts, systems: [ingest, imaging] })).toThrow(
      'environment prod: stacks depend on each other in a cycle: imaging-prod → ingest-prod → imaging-prod (each stack depends on the next)',
    );
  });

  test('GIVEN `only` WHEN built THEN other environments are skipped', () => {
    const stacks = buildApp(new App(), [env(), env({ name: 'uat', branch: 'uat', tier: 'staging' })], {
      ...opts,
      systems: [],
      only: ['uat'],
    });
    expect(stacks.map((s) => s.name)).toEqual(['release-uat']);
  });

  test('GIVEN CIDR carving WHEN the block does not fit THEN it says so', () => {
    expect(carveCidr('10.0.0.0/16', 20, 15)).toBe('10.0.240.0/20');
    expect(() => carveCidr('10.0.0.0/16', 20, 16)).toThrow('block 16 of /20 does not fit in 10.0.0.0/16');
    expect(stackName('imaging', 'prod', 'eu-central-1')).toBe('imaging-prod-eu-central-1');
  });
});
