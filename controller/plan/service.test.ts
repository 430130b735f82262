import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { probeSandbox } from '../process/sandbox.js';
import { TerraformRunner } from '../runner/runner.js';
import { PlanService } from './service.js';
import { SynthError } from './synth.js';
import { WorkTrees } from './worktrees.js';
import { PROJECT_PATHS } from '../../demo/project.js';
import { adoptProjectDependencies } from '../../test/fixtures/project-dependencies.js';
import { planCases } from '../../test/fixtures/plan-cases.js';
import { fakeInstallerScript, fixtureProject, git, type TestRemote } from '../../test/fixtures/test-repo.js';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

const cases = planCases('c2-service-');
/** A fresh work directory, remote and installer for one test. */
const setup = () => cases.next();

const releaseStack = (env: string) => ({
  terraform: { backend: { local: { path: `terraform.release-${env}.tfstate` } } },
  resource: { terraform_data: { record: { input: { environment: env, commit_sha: '@COMMIT@' } } } },
});
const awsStack = (bucket: string) => ({
  terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.0.0' } } },
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: { aws_s3_bucket: { logs: { bucket } } },
});
const stable = { resource: { terraform_data: { keep: { input: 'same' } } } };

function commitPair(remote: TestRemote) {
  const baseSha = remote.commit(
    fixtureProject({
      environments: { dev: { 'release-dev': releaseStack('dev'), 'app-dev': awsStack('logs-a'), 'stable-dev': stable, 'old-dev': stable } },
    }),
  );
  const headSha = remote.commit(
    fixtureProject({
      environments: { dev: { 'release-dev': releaseStack('dev'), 'app-dev': awsStack('logs-b'), 'stable-dev': stable, 'new-dev': stable } },
    }),
    'change the bucket',
    'feature/bucket',
  );
  return { baseSha, headSha };
}

/** The runner's sandbox for the pull request's configuration: the one the plan service finds here too. */
const probe = probeSandbox();
const runnerSandbox = probe.ok ? probe.host : 'none';

/** The stand-in project, whose synth also writes manifest.json with these dependencies (as cdktf records them). */
function withManifest(spec: Parameters<typeof fixtureProject>[0], dependencies: Record<string, string[]>): Record<string, string> {
  const files = fixtureProject(spec);
  const stacks = Object.fromEntries(Object.entries(dependencies).map(([name, deps]) => [name, { name, dependencies: deps }]));
  return {
    ...files,
    'stacks.json': JSON.stringify({ ...(JSON.parse(files['stacks.json']) as object), manifest: { version: '0.21.0', stacks } }),
    'bin/gitops.mjs': `${files['bin/gitops.mjs']}\nwriteFileSync(join(out, 'manifest.json'), JSON.stringify(spec.manifest));\n`,
  };
}

const jobDirs = (workDir: string) => (existsSync(join(workDir, 'jobs')) ? readdirSync(join(workDir, 'jobs')) : []);

describe('PlanService.planPullRequest with the stand-in project', () => {
  test('GIVEN a head that changes one stack, adds one and removes one WHEN planned THEN affected stacks get a terraform plan or, offline, a labelled synth diff', async () => {
    const { remote, workDir, installer, countFile, dir } = setup();
    const { baseSha, headSha } = commitPair(remote);
    const runner = new TerraformRunner({ workRoot: join(dir, 'runner'), sandbox: runnerSandbox });
    const times = ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:09.000Z'];
    const service = new PlanService({ workDir, runner, installer, clock: () => new Date(times.shift()!) });

    const report = await service.planPullRequest({ repoUrl: remote.url, headSha, baseSha, environment: 'dev', jobId: 'pr-7-run-1' });

    expect(report).toMatchObject({
      environment: 'dev',
      headSha,
      baseSha,
      warnings: [],
      startedAt: '2026-01-01T10:00:00.000Z',
      finishedAt: '2026-01-01T10:00:09.000Z',
    });
    expect(report.stacks.map((s) => [s.name, s.status, s.source])).toEqual([
      ['app-dev', 'changed', 'synth'],
      ['new-dev', 'added', 'terraform'],
      ['old-dev', 'removed', 'synth'],
      ['release-dev', 'changed', 'terraform'],
    ]);
    const [app, added, old, release] = report.stacks;
    expect(app.unavailableReason).toMatch(/^providers cannot be installed: /);
    expect(app.synthDiff?.resources[0]).toMatchObject({
      address: 'aws_s3_bucket.logs',
      action: 'update',
      attributes: [{ path: 'bucket', before: 'logs-a', after: 'logs-b' }],
    });
    expect(added.summary?.counts).toMatchObject({ add: 1, change: 0, destroy: 0 });
    expect(old.unavailableReason).toMatch(/^the stack is removed at head/);
    expect(release.summary?.resources[0].attributes).toContainEqual(expect.objectContaining({ path: 'input.commit_sha', after: headSha }));
    // The saved plans (sensitive values in clear) went with the job.
    expect(release.planFile).toBeUndefined();
    expect(execFileSync('find', [dir, '-name', '*.tfplan'], { encoding: 'utf8' })).toBe('');
    expect(readFileSync(countFile, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(jobDirs(workDir)).toEqual([]);
    const cacheRepo = join(workDir, 'repos', readdirSync(join(workDir, 'repos'))[0]);
    expect(git(cacheRepo, 'worktree', 'list').split('\n')).toHaveLength(1);
  });

  test('GIVEN credentials in the controller environment WHEN a pull request is planned THEN the synth subprocess sees none of them', async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha, headSha } = commitPair(remote);
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_TOKEN: 'ghs_x',
      PRIVATE_KEY: 'pem',
      WEBHOOK_SECRET: 'w',
      APP_ID: '1',
      AWS_SECRET_ACCESS_KEY: 'a',
      ARM_CLIENT_SECRET: 'b',
      TF_VAR_x: 'c',
    });
    let service: PlanService;
    try {
      service = new PlanService({ workDir, installer, keepJobDirs: true });
    } finally {
      process.env = saved;
    }
    Object.assign(process.env, { GITHUB_TOKEN: 'ghs_x' });
    try {
      await service.planPullRequest({
        repoUrl: remote.url,
        authToken: 'ghs_token_for_git_only',
        headSha,
        baseSha,
        environment: 'dev',
        jobId: 'secrets',
      });
    } finally {
      process.env = saved;
    }
    const seen = readFileSync(join(workDir, 'jobs', 'secrets', 'out-head', 'env.json'), 'utf8');
    expect(seen).not.toMatch(/GITHUB_TOKEN|PRIVATE_KEY|WEBHOOK_SECRET|APP_ID|AWS_|ARM_|TF_VAR_|ghs_/);
  });

  test('GIVEN no runner WHEN planned THEN every affected stack carries its synth diff with the reason', async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha, headSha } = commitPair(remote);
    const report = await new PlanService({ workDir, installer }).planPullRequest({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
    });
    expect(report.stacks.filter((s) => s.status !== 'removed').map((s) => s.unavailableReason)).toEqual(
      Array(3).fill('no terraform runner is configured'),
    );
    expect(report.stacks.find((s) => s.name === 'release-dev')?.synthDiff?.resources[0].attributes).toEqual([
      { path: 'input.commit_sha', before: baseSha, after: headSha, sensitive: false, unknownAfter: false },
    ]);
  });

  test("GIVEN a head whose synth records the stacks' order WHEN planned THEN the report orders the affected stacks that exist at the head", async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha } = commitPair(remote);
    const headSha = remote.commit(
      withManifest(
        {
          environments: {
            dev: { 'release-dev': releaseStack('dev'), 'app-dev': awsStack('logs-b'), 'stable-dev': stable, 'new-dev': stable },
          },
        },
        { 'app-dev': [], 'new-dev': ['stable-dev'], 'stable-dev': ['app-dev'], 'release-dev': ['app-dev', 'new-dev', 'stable-dev'] },
      ),
      'order the stacks',
      'feature/order',
    );
    const report = await new PlanService({ workDir, installer }).planPullRequest({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
    });
    expect(report.stacks.map((s) => s.name)).toEqual(['app-dev', 'new-dev', 'old-dev', 'release-dev']);
    // new-dev comes after app-dev through stable-dev, which is not affected; old-dev is removed and not ordered
    expect(report.order).toEqual([['app-dev'], ['new-dev'], ['release-dev']]);
    expect(report.warnings).toEqual([]);
  });

  test('GIVEN a head whose recorded order has a cycle, or no manifest WHEN planned THEN the report has no order, with a warning for the cycle only', async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha, headSha: plainHead } = commitPair(remote);
    const cyclicHead = remote.commit(
      withManifest(
        { environments: { dev: { 'release-dev': releaseStack('dev'), 'app-dev': awsStack('logs-c') } } },
        { 'app-dev': ['release-dev'], 'release-dev': ['app-dev'] },
      ),
      'a cycle',
      'feature/cycle',
    );
    const service = new PlanService({ workDir, installer });
    const cyclic = await service.planPullRequest({ repoUrl: remote.url, headSha: cyclicHead, baseSha, environment: 'dev' });
    expect(cyclic.order).toBeUndefined();
    expect(cyclic.warnings).toEqual([
      'the order of the stacks is not shown: manifest.json stacks depend on each other in a cycle: app-dev → release-dev → app-dev (each stack depends on the next)',
    ]);
    const plain = await service.planPullRequest({ repoUrl: remote.url, headSha: plainHead, baseSha, environment: 'dev' });
    expect(plain.order).toBeUndefined();
    expect(plain.warnings).toEqual([]);
  });

  test('GIVEN a pull request WHEN planned with plan THEN the same report comes back with every stack of the base and the head synth', async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha, headSha } = commitPair(remote);
    const planned = await new PlanService({ workDir, installer }).plan({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
    });
    expect(planned.report.stacks.map((s) => s.name)).toEqual(['app-dev', 'new-dev', 'old-dev', 'release-dev']);
    expect(Object.keys(planned.synthesized!.head)).toEqual(['app-dev', 'new-dev', 'release-dev', 'stable-dev']);
    expect(Object.keys(planned.synthesized!.base ?? {})).toEqual(['app-dev', 'old-dev', 'release-dev', 'stable-dev']);
    expect(planned.synthesized!.head['app-dev']).toMatchObject({ resource: { aws_s3_bucket: { logs: { bucket: 'logs-b' } } } });
    expect(planned.synthesized!.base?.['app-dev']).toMatchObject({ resource: { aws_s3_bucket: { logs: { bucket: 'logs-a' } } } });
  });

  test('GIVEN a base that does not synthesize WHEN planned with plan THEN the base side is undefined and the head side is there', async () => {
    const { remote, workDir, installer } = setup();
    const baseSha = remote.commit(fixtureProject({ fail: 'dev.yaml: broken' }));
    const headSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': releaseStack('dev') } } }));
    const planned = await new PlanService({ workDir, installer }).plan({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
    });
    expect(planned.synthesized!.base).toBeUndefined();
    expect(Object.keys(planned.synthesized!.head)).toEqual(['release-dev']);
    expect(planned.report.warnings[0]).toContain('did not synthesize dev');
  });

  test('GIVEN an environment the base does not have WHEN planned THEN a warning says so and every head stack is shown as added', async () => {
    const { remote, workDir, installer } = setup();
    const baseSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': releaseStack('dev') } } }));
    const headSha = remote.commit(
      fixtureProject({ environments: { dev: { 'release-dev': releaseStack('dev') }, qa: { 'release-qa': releaseStack('qa') } } }),
    );
    const report = await new PlanService({ workDir, installer }).planPullRequest({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'qa',
    });
    expect(report.warnings).toEqual([
      `base ${baseSha.slice(0, 7)} did not synthesize qa (synth of qa exited with 1: gitops synth: unknown environment qa): every stack is planned and its synth diff shown as added`,
    ]);
    expect(report.stacks.map((s) => [s.name, s.status])).toEqual([['release-qa', 'added']]);
  });

  test('GIVEN a head that does not synthesize WHEN planned THEN it rejects with SynthError and leaves no work tree or job directory', async () => {
    const { remote, workDir, installer } = setup();
    const baseSha = remote.commit(fixtureProject({ environments: { dev: {} } }));
    const headSha = remote.commit(fixtureProject({ fail: 'dev.yaml: tier: expected one of development, test, production' }));
    const error = await new PlanService({ workDir, installer })
      .planPullRequest({ repoUrl: remote.url, headSha, baseSha, environment: 'dev' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).reason).toBe(
      'synth of dev exited with 1: gitops synth: dev.yaml: tier: expected one of development, test, production',
    );
    expect(jobDirs(workDir)).toEqual([]);
  });

  test('GIVEN a plan in progress WHEN its signal aborts (a newer push) THEN it rejects with the reason and cleans up', async () => {
    const { remote, workDir, installer } = setup();
    const baseSha = remote.commit(fixtureProject({ environments: { dev: {} } }));
    const headSha = remote.commit(fixtureProject({ sleepMs: 20_000, environments: { dev: {} } }));
    const controller = new AbortController();
    const pending = new PlanService({ workDir, installer }).planPullRequest({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error(`superseded by ${'c'.repeat(7)}`)), 1500);
    await expect(pending).rejects.toThrow('superseded by ccccccc');
    expect(jobDirs(workDir)).toEqual([]);
  });

  test('GIVEN a bad request WHEN planned THEN every problem is listed and nothing is cloned', async () => {
    const { workDir, installer } = setup();
    await expect(
      new PlanService({ workDir, installer }).planPullRequest({
        repoUrl: 'https://t:ghs_x@github.com/a/b.git',
        headSha: 'HEAD',
        baseSha: 'main',
        environment: 'Prod',
        envDir: '/etc',
        jobId: 'a/b',
      }),
    ).rejects.toThrow(
      /^planPullRequest: repoUrl must not carry credentials .*; headSha "HEAD" is not a commit SHA .*; baseSha "main" is not a commit SHA .*; environment "Prod" is not an environment name .*; envDir "\/etc" must be .*; jobId "a\/b" must be 1-100 of letters, digits, \. _ -$/,
    );
    expect(existsSync(join(workDir, 'repos'))).toBe(false);
  });

  test('GIVEN a job id already in use WHEN planned THEN it is refused', async () => {
    const { remote, workDir, installer } = setup();
    const { baseSha, headSha } = commitPair(remote);
    mkdirSync(join(workDir, 'jobs', 'dup'), { recursive: true });
    await expect(
      new PlanService({ workDir, installer }).planPullRequest({ repoUrl: remote.url, headSha, baseSha, environment: 'dev', jobId: 'dup' }),
    ).rejects.toThrow(/^planPullRequest: job dup already has a directory .*; job ids must be unique$/);
  });
});

describe('PlanService.planPullRequest with this repository', () => {
  test('GIVEN a copy of this project whose head changes environments/dev.yaml WHEN planned THEN release-dev is affected and terraform plans it for the head SHA', async () => {
    const { remote, workDir, dir, countFile } = setup();
    const files = execFileSync('git', ['-C', REPO_ROOT, 'archive', '--format=tar', 'HEAD', ...PROJECT_PATHS], {
      maxBuffer: 512 * 1024 * 1024,
    });
    const src = join(dir, 'origin', 'src');
    execFileSync('tar', ['-x', '-C', src], { input: files });
    const baseSha = remote.commit({}, 'copy of cdktf-gitops');
    const devYaml = readFileSync(join(src, 'environments', 'dev.yaml'), 'utf8');
    const headSha = remote.commit(
      { 'environments/dev.yaml': devYaml.replace(/^description: .*$/m, 'description: Developer environment, changed by a pull request.') },
      'describe dev',
      'feature/describe-dev',
    );

    // The dependency cache for this lockfile is this repository's own node_modules: no npm ci runs.
    const installer = fakeInstallerScript(dir, countFile, { fail: true, witness: cases.witness() });
    await adoptProjectDependencies(workDir, REPO_ROOT, installer);
    const runner = new TerraformRunner({ workRoot: join(dir, 'runner'), sandbox: runnerSandbox });

    const report = await new PlanService({ workDir, installer, runner }).planPullRequest({
      repoUrl: remote.url,
      headSha,
      baseSha,
      environment: 'dev',
    });

    expect(existsSync(countFile)).toBe(false);
    expect(report.warnings).toEqual([]);
    const release = report.stacks.find((s) => s.name === 'release-dev');
    expect(release).toMatchObject({
      status: 'changed',
      source: 'terraform',
      summary: { counts: { add: 1, change: 0, replace: 0, destroy: 0 } },
    });
    expect(release?.summary?.resources[0]).toMatchObject({ address: 'terraform_data.record_release_F658472A', action: 'create' });
    expect(release?.summary?.resources[0].attributes).toContainEqual(expect.objectContaining({ path: 'input.commit_sha', after: headSha }));
    expect(report.stacks.every((s) => s.name.endsWith('-dev') || s.name.includes('-dev-'))).toBe(true);
    expect(report.order?.at(-1)).toEqual(['release-dev']);
  }, 240_000); // the cache entry is filled and digested (774 MB), and each side builds its bundles afresh in the sandbox
});

describe('PlanService.removeLeftovers', () => {
  test('GIVEN the work directory of a controller killed mid-plan WHEN the next one removes leftovers THEN job directories, work tree records, terraform job directories, install staging and credential files are gone, and the cache stays', async () => {
    const { remote, workDir, dir } = setup();
    const sha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': releaseStack('dev') } } }));
    // what a killed plan leaves: a work tree in its job directory, synth output, a terraform job directory
    const trees = new WorkTrees({ workDir });
    const tree = await trees.checkout({ repoUrl: remote.url, sha, dir: join(workDir, 'jobs', 'killed-job', 'head') });
    mkdirSync(join(workDir, 'jobs', 'killed-job', 'out-head', 'stacks'), { recursive: true });
    const terraformJobs = join(dir, 'terraform', 'jobs');
    mkdirSync(join(terraformJobs, 'release-dev', 'killed-job'), { recursive: true });
    mkdirSync(join(dir, 'terraform', 'state'), { recursive: true });
    // an install and a fetch it was in the middle of
    mkdirSync(join(workDir, 'deps', '.staging-killed', 'node_modules'), { recursive: true });
    mkdirSync(join(workDir, 'credentials'), { recursive: true });
    writeFileSync(
      join(workDir, 'credentials', 'killed.gitconfig'),
      '[http]\n\textraHeader = Authorization: Basic eC1hY2Nlc3MtdG9rZW46Z2hzX3g=\n',
    );
    expect(git(tree.repoDir, 'worktree', 'list')).toContain(tree.dir);

    const removed = new PlanService({ workDir }).removeLeftovers({ terraformJobs });

    expect(removed).toEqual({ jobDirs: 1, workTrees: 1, terraformJobDirs: 1, dependencyInstalls: 1, credentialFiles: 1 });
    expect(readdirSync(join(workDir, 'deps'))).toEqual([]);
    expect(existsSync(join(workDir, 'credentials'))).toBe(false);
    expect(jobDirs(workDir)).toEqual([]);
    expect(git(tree.repoDir, 'worktree', 'list')).not.toContain(tree.dir);
    expect(existsSync(terraformJobs)).toBe(false);
    expect(existsSync(join(dir, 'terraform', 'state'))).toBe(true);
    expect(git(tree.repoDir, 'cat-file', '-t', sha)).toBe('commit');
  });

  test('GIVEN a work directory that was never used WHEN leftovers are removed THEN nothing is found and nothing fails', () => {
    const { workDir, dir } = setup();
    expect(new PlanService({ workDir }).removeLeftovers({ terraformJobs: join(dir, 'terraform', 'jobs') })).toEqual({
      jobDirs: 0,
      workTrees: 0,
      terraformJobDirs: 0,
      dependencyInstalls: 0,
      credentialFiles: 0,
    });
  });
});
