// Runs the real terraform binary on real synthesized stacks (builtin terraform_data only, so offline).
import { existsSync, mkdtempSync, writeFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack, LocalBackend } from 'cdktf';
import { ReleaseRecord } from '../../modules/release/release-record.js';
import { pidsWithArgument } from '../../test/processes.js';
import { terraformStandIn } from '../../test/fixtures/terraform-stand-in.js';
import { TerraformRunner } from './runner.js';
import { TerraformAbortedError, TerraformApplyError, TerraformError, TerraformInitError, TerraformTimeoutError } from './errors.js';

const roots: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  roots.push(d);
  return d;
};
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Synthesizes a release stack recording `sha` into a fresh cdktf.out and returns its stack dir. */
function synthRelease(sha: string): { name: string; dir: string } {
  const outdir = tempDir('gitops-synth-');
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'release-dev');
  new ReleaseRecord(stack, 'record', { environment: 'dev', commitSha: sha, version: '1.0.0' });
  new LocalBackend(stack, { path: 'terraform.release-dev.tfstate' });
  app.synth();
  return { name: 'release-dev', dir: join(outdir, 'stacks', 'release-dev') };
}

/** A hand-written stack directory (for provisioner-driven cases). */
function rawStack(name: string, config: unknown): { name: string; dir: string } {
  const dir = join(tempDir('gitops-raw-'), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(config));
  return { name, dir };
}

const execStack = (name: string, command: string) =>
  rawStack(name, {
    resource: { terraform_data: { run: { input: 'x', provisioner: [{ 'local-exec': { command } }] } } },
  });

describe('TerraformRunner against the real terraform binary', () => {
  test('GIVEN a new release stack WHEN planned, applied and planned again THEN 1 to add, then no changes, then a new SHA is 1 change', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });

    const first = await runner.plan(synthRelease('aaaaaaa'), { jobId: 'job-1' });
    expect(first.summary.counts).toEqual({ add: 1, change: 0, replace: 0, destroy: 0, noop: 0, read: 0 });
    expect(first.summary.resources[0]).toMatchObject({ type: 'terraform_data', action: 'create' });

    const applied = await runner.apply(first);
    expect(Object.values(applied.outputs)).toContain('aaaaaaa');

    const again = await runner.plan(synthRelease('aaaaaaa'), { jobId: 'job-2' });
    expect(again.summary.hasChanges).toBe(false);
    expect(again.summary.counts.noop).toBe(1);

    const next = await runner.plan(synthRelease('bbbbbbb'), { jobId: 'job-3' });
    expect(next.summary.counts).toMatchObject({ add: 0, change: 1, destroy: 0 });
    expect(next.summary.resources[0].attributes).toContainEqual(
      expect.objectContaining({ path: 'input.commit_sha', before: 'aaaaaaa', after: 'bbbbbbb' }),
    );
  });

  test('GIVEN a saved plan WHEN discarded THEN its plan file and work directory are gone', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });
    const plan = await runner.plan(synthRelease('ccccccc'), { jobId: 'job-discard' });
    expect(existsSync(plan.planFile)).toBe(true);
    await runner.discard(plan);
    expect(existsSync(plan.planFile)).toBe(false);
    expect(existsSync(plan.workDir)).toBe(false);
  });

  test('GIVEN a plan that fails WHEN planned THEN it leaves no work directory (nor plan file) behind', async () => {
    const workRoot = tempDir('gitops-work-');
    const stack = rawStack('broken-dev', { resource: { terraform_data: { a: { input: '${terraform_data.missing.id}' } } } });
    await expect(new TerraformRunner({ workRoot }).plan(stack, { jobId: 'job-broken' })).rejects.toBeInstanceOf(TerraformError);
    expect(existsSync(join(workRoot, 'jobs', 'broken-dev', 'job-broken'))).toBe(false);
  });

  test('GIVEN a stack needing a provider WHEN planned offline THEN a TerraformInitError says providers cannot be installed', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });
    const stack = rawStack('aws-thing', {
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.0.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
    });
    const error = await runner.plan(stack).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformInitError);
    expect((error as TerraformInitError).reason).toMatch(/^providers cannot be installed: Failed to query available provider packages/);
    expect((error as TerraformInitError).stackName).toBe('aws-thing');
  });

  test('GIVEN a command that outlives the timeout WHEN applied THEN a TerraformTimeoutError is raised', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-'), timeoutMs: 1500 });
    const plan = await runner.plan(execStack('slow', 'sleep 30'));
    const error = await runner.apply(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerraformTimeoutError);
    expect((error as TerraformError).stage).toBe('apply');
  });

  test('GIVEN a running apply WHEN its signal aborts THEN terraform gets SIGTERM, shuts down gracefully, and its provisioner is gone', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });
    const seconds = `30.${process.pid}`; // a sleep this test can find among the machine's processes
    const plan = await runner.plan(execStack('cancelled', `sleep ${seconds}`));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const error = (await runner.apply(plan, { signal: controller.signal }).catch((e: unknown) => e)) as TerraformAbortedError;
    expect(error).toBeInstanceOf(TerraformAbortedError);
    expect(error.logTail).toContain('Gracefully shutting down');
    expect(pidsWithArgument(seconds)).toEqual([]);
  });

  test('GIVEN apply credentials and secrets in the controller env WHEN a provisioner prints the env THEN only the credentials reach it, redacted in the log', async () => {
    process.env.GITHUB_TOKEN = 'ghs_controller_token_must_not_leak';
    const work = tempDir('gitops-work-');
    const marker = join(work, 'env-at-apply.txt');
    const runner = new TerraformRunner({ workRoot: work });
    const credentials = { plan: {}, apply: { DEPLOY_TOKEN: 'super-secret-value-123' } };
    const plan = await runner.plan(execStack('secretive', `echo token=$DEPLOY_TOKEN; env > ${marker}`), { credentials });
    expect(plan.log).not.toContain('super-secret-value-123');
    const applied = await runner.apply(plan, { credentials });
    expect(applied.log).toContain('token=***');
    expect(applied.log).not.toContain('super-secret-value-123');
    const env = readFileSync(marker, 'utf8');
    expect(env).toContain('DEPLOY_TOKEN=');
    expect(env).not.toContain('ghs_controller_token_must_not_leak');
    delete process.env.GITHUB_TOKEN;
  });

  test('GIVEN a failing provisioner WHEN applied THEN a TerraformApplyError carries the first diagnostic', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });
    const plan = await runner.plan(execStack('failing', 'exit 3'));
    const error = (await runner.apply(plan).catch((e: unknown) => e)) as TerraformApplyError;
    expect(error).toBeInstanceOf(TerraformApplyError);
    expect(error.reason).toMatch(/local-exec provisioner error/);
    expect(error.exitCode).toBe(1);
  });

  test('GIVEN a terraform binary that does not exist WHEN planned THEN a TerraformError names it and the PATH searched', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-'), terraformBin: 'terraform-missing' });
    const error = (await runner.plan(synthRelease('ccccccc')).catch((e: unknown) => e)) as TerraformError;
    expect(error).toBeInstanceOf(TerraformError);
    expect(error.stage).toBe('init');
    expect(error.reason).toBe(`cannot run terraform-missing: not found on PATH ${process.env.PATH}`);
  });

  test('GIVEN a bad stack name, job id and a missing stack dir WHEN planned THEN one error lists all three', async () => {
    const runner = new TerraformRunner({ workRoot: tempDir('gitops-work-') });
    const error = (await runner.plan({ name: '../etc', dir: '/nonexistent' }, { jobId: 'a b' }).catch((e: unknown) => e)) as TerraformError;
    expect(error).toBeInstanceOf(TerraformError);
    expect(error.reason).toContain('stack name "../etc" is not a stack name');
    expect(error.reason).toContain('job id "a b" must be');
    expect(error.reason).toContain('/nonexistent/cdk.tf.json does not exist');
  });
});

describe('TerraformRunner credentials, per call, with a stand-in terraform that records its environment', () => {
  const dev = {
    plan: { AWS_PROFILE: 'dev-read-only', ARM_CLIENT_ID: '00000000-0000-4000-8000-00000000aaaa', STAND_IN_ECHO: 'dev-plan-secret-1' },
    apply: { AWS_PROFILE: 'dev-deployer', TF_VAR_db_password: 'dev-apply-secret-2', STAND_IN_ECHO: 'dev-apply-secret-3' },
  };
  const uat = { plan: { AWS_PROFILE: 'uat-read-only' }, apply: { AWS_PROFILE: 'uat-deployer' } };
  const valuesOf = (set: Record<string, string>) => Object.values(set);
  const holds = (env: Record<string, string>, set: Record<string, string>) => Object.entries(set).every(([k, v]) => env[k] === v);
  const holdsNone = (env: Record<string, string>, values: string[]) => !Object.values(env).some((v) => values.some((s) => v.includes(s)));

  test('GIVEN plan and apply sets WHEN planned THEN init, plan and show see the plan set and no apply value, and the log masks them', async () => {
    const dir = tempDir('gitops-stand-in-');
    const terraform = terraformStandIn(dir);
    const runner = new TerraformRunner({ workRoot: join(dir, 'work'), terraformBin: terraform.bin });
    const plan = await runner.plan(synthRelease('ddddddd'), { credentials: dev });
    for (const command of ['init', 'plan', 'show']) {
      const [env] = terraform.runs(command);
      expect(holds(env, dev.plan)).toBe(true);
      expect(holdsNone(env, valuesOf(dev.apply))).toBe(true);
    }
    expect(terraform.runs('apply')).toEqual([]);
    expect(plan.log).toContain('stand-in saw ***');
    expect(plan.log).not.toContain('dev-plan-secret-1');
  });

  test('GIVEN plan and apply sets WHEN applied THEN apply and output see the apply set only, and the log masks it', async () => {
    const dir = tempDir('gitops-stand-in-');
    const terraform = terraformStandIn(dir);
    const runner = new TerraformRunner({ workRoot: join(dir, 'work'), terraformBin: terraform.bin });
    const applied = await runner.apply(await runner.plan(synthRelease('eeeeeee'), { credentials: dev }), { credentials: dev });
    for (const command of ['apply', 'output']) {
      const [env] = terraform.runs(command);
      expect(holds(env, dev.apply)).toBe(true);
      expect(holdsNone(env, valuesOf(dev.plan))).toBe(true);
    }
    expect(applied.log).toContain('stand-in saw ***');
    expect(applied.log).not.toContain('dev-apply-secret-3');
  });

  test('GIVEN one runner and two environments planned at once WHEN each passes its own credentials THEN each terraform run sees its own set', async () => {
    const dir = tempDir('gitops-stand-in-');
    const terraform = terraformStandIn(dir);
    const runner = new TerraformRunner({ workRoot: join(dir, 'work'), terraformBin: terraform.bin });
    await Promise.all([
      runner.plan(synthRelease('1111111'), { credentials: dev }),
      runner.plan(synthRelease('2222222'), { credentials: uat }),
    ]);
    expect(
      terraform
        .runs('plan')
        .map((env) => env.AWS_PROFILE)
        .sort(),
    ).toEqual(['dev-read-only', 'uat-read-only']);
  });

  test('GIVEN no credentials and cloud variables in the controller env WHEN planned and applied THEN terraform gets none of them', async () => {
    const dir = tempDir('gitops-stand-in-');
    const terraform = terraformStandIn(dir);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_SECRET_ACCESS_KEY: 'controller-aws-secret',
      ARM_CLIENT_SECRET: 'controller-arm-secret',
      TF_VAR_x: 'y',
    });
    try {
      const runner = new TerraformRunner({ workRoot: join(dir, 'work'), terraformBin: terraform.bin });
      await runner.apply(await runner.plan(synthRelease('3333333')));
    } finally {
      process.env = saved;
    }
    const all = ['init', 'plan', 'show', 'apply', 'output'].flatMap((c) => terraform.runs(c));
    expect(all).toHaveLength(5);
    for (const env of all) expect(Object.keys(env).filter((k) => /^(AWS_|ARM_|TF_VAR_)/.test(k))).toEqual([]);
  });
});
