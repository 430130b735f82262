// The plan service runs a pull request's code (dependency install, synth) only in the real sandbox: what
// hostile synth code can reach there, the refusal where no sandbox can be made, and output too large to read.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { probeSandbox } from '../process/sandbox.js';
import { startWebhookServer } from '../webhooks/server.js';
import { lockfileHash } from './deps.js';
import { SandboxRefusedError, PlanService } from './service.js';
import { SynthError } from './synth.js';
import { planCases } from '../../test/fixtures/plan-cases.js';
import { fixtureProject } from '../../test/fixtures/test-repo.js';

const probe = probeSandbox();
if (!probe.ok) console.warn(`plan service sandbox tests skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;

const release = { resource: { terraform_data: { record: { input: { commit_sha: '@COMMIT@', dep: '@DEP@' } } } } };

const cases = planCases('gitops-isolation-');
const setup = () => cases.next();

interface Attempt {
  readonly attack: string;
  readonly blocked: boolean;
  readonly detail: string;
}

sandboxed('a pull request whose synth attacks the controller, planned through the plan service', () => {
  const token = `ghs_AttackTarget${Date.now()}`;
  const keyMarker = `MIIEvAttackTarget${Date.now()}`;
  const storeSecret = `store-secret-${Date.now()}`;
  let attempts: Attempt[];
  let context: ReturnType<typeof setup>;
  let dependency: unknown;

  beforeAll(async () => {
    context = setup();
    const { dir, remote, workDir, installer } = context;
    // The controller's secrets: its key file, its store (where `gitops serve` keeps it), the token of this plan.
    const keyFile = join(dir, 'secrets', 'app.private-key.pem');
    mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
    writeFileSync(keyFile, `-----BEGIN RSA PRIVATE KEY-----\n${keyMarker}\n-----END RSA PRIVATE KEY-----\n`, { mode: 0o600 });
    mkdirSync(workDir, { recursive: true });
    const storeFile = join(workDir, 'gitops.sqlite');
    const db = new Database(storeFile);
    db.exec(`CREATE TABLE secrets (value TEXT); INSERT INTO secrets VALUES ('${storeSecret}');`);
    db.close();
    const baseSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release } } }));
    const headSha = remote.commit(
      {
        'bin/gitops.mjs': readFileSync(new URL('../../test/fixtures/synth-attack.mjs', import.meta.url), 'utf8'),
        'stacks.json': JSON.stringify({
          attack: { controllerPid: process.pid, keyFile, storeFile, workDir, mountPoints: ['deps', 'jobs'] },
        }),
      },
      'a harmless refactoring',
      'feature/attack',
    );
    const planned = await new PlanService({ workDir, installer }).plan({
      repoUrl: remote.url,
      authToken: token,
      headSha,
      baseSha,
      environment: 'dev',
    });
    const stack = planned.synthesized!.head['attack-dev'] as {
      output: { attempts: { value: Attempt[] } };
      resource: { terraform_data: { dependency: { input: unknown } } };
    };
    attempts = stack.output.attempts.value;
    dependency = stack.resource.terraform_data.dependency.input;
  }, 120_000);

  const attempt = (name: string) => {
    const found = attempts.find((a) => a.attack === name);
    if (!found) throw new Error(`no attempt "${name}" in ${JSON.stringify(attempts)}`);
    return found;
  };

  test.each([
    ['the controller environment (by its host pid)', /^cannot read \/proc\/\d+\/environ: ENOENT/],
    ['the App private key file', /^cannot read .*app\.private-key\.pem: ENOENT/],
    ['the SQLite store', /^cannot read .*gitops\.sqlite: ENOENT/],
    // Only the directories bubblewrap made on the way to the job's own mounts: no store, no other job, no clone.
    ["the controller's work directory", /^listed .*\/work: deps jobs$/],
    ['the git credentials directory', /^cannot list .*\/work\/credentials: ENOENT/],
    ['a token in the processes it can see', /^\d+ environments and command lines read; no token in any$/],
    ['a token in its own environment', /^none$/],
    ['plant code in the shared dependency cache', /^cannot write node_modules\/fixture-dep\/index\.js: EROFS/],
    [
      'plant a vendor bundle in the shared dependency cache',
      /^cannot write node_modules\/\.cache\/gitops\/vendor-0123456789ab\.cjs: EROFS/,
    ],
    ['write into its own work tree', /^cannot write planted\.js: EROFS/],
  ])('GIVEN the hostile synth WHEN it goes after %s THEN it gets nothing, and its output says why', (name, detail) => {
    expect(attempt(name)).toEqual({ attack: name, blocked: true, detail: expect.stringMatching(detail) });
  });

  test("GIVEN the hostile synth WHEN it reads its parent's environment THEN that is the sandbox's own, with none of the controller's variables", () => {
    const parent = attempt('the environment of its parent process');
    const [where, names] = parent.detail.split('; ');
    expect(where).toBe('read /proc/1/environ: HOME=/home/sandbox');
    expect(names.split(' ').sort()).toEqual(
      expect.arrayContaining(['CDKTF_OUTDIR', 'GITOPS_CACHE_DIR', 'GITOPS_COMMIT_SHA', 'HOME', 'PATH', 'TMPDIR']),
    );
    const allowed = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'HOME', 'TMPDIR', 'CI', 'NO_COLOR', 'CHECKPOINT_DISABLE'];
    const synth = ['GITOPS_COMMIT_SHA', 'GITOPS_ENVS', 'CDKTF_OUTDIR', 'GITOPS_CACHE_DIR'];
    expect(names.split(' ').filter((name) => ![...allowed, ...synth].includes(name))).toEqual([]);
  });

  test('GIVEN the whole report of the attack WHEN searched THEN neither the key, nor the store, nor the token is in it', () => {
    expect(attempts.filter((a) => !a.blocked).map((a) => a.attack)).toEqual(['the environment of its parent process']);
    const text = JSON.stringify(attempts);
    for (const secret of [keyMarker, storeSecret, token]) expect(text).not.toContain(secret);
  });

  test('GIVEN the attack is over WHEN the next pull request with that lockfile is planned THEN the cache entry is intact: verified, not reinstalled, the real dependency', async () => {
    const { remote, workDir, installer, installs } = context;
    expect(dependency).toBe('1.0.0');
    const nodeModules = join(workDir, 'deps', lockfileHash(fixtureProject({})['package-lock.json']), 'node_modules');
    expect(readFileSync(join(nodeModules, 'fixture-dep', 'index.js'), 'utf8')).toBe('export default "1.0.0";');
    const baseSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release } } }));
    const headSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release, 'more-dev': release } } }));
    const planned = await new PlanService({ workDir, installer }).plan({ repoUrl: remote.url, headSha, baseSha, environment: 'dev' });
    expect(planned.synthesized!.head['more-dev']).toMatchObject({ resource: { terraform_data: { record: { input: { dep: '1.0.0' } } } } });
    expect(planned.report.warnings).toEqual([]);
    expect(installs()).toBe(1);
  }, 60_000);
});

describe('PlanService where no sandbox can be made', () => {
  const noSandbox = probeSandbox('/nonexistent');
  const commits = (remote: ReturnType<typeof setup>['remote']) => ({
    baseSha: remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release } } })),
    headSha: remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release, 'new-dev': release } } })),
  });

  test('GIVEN no sandbox and no GITOPS_UNSAFE_SANDBOX WHEN a pull request is planned THEN it fails with the reason, naming the variable, and nothing is fetched or run', async () => {
    const { remote, workDir, installer, installs } = setup();
    const service = new PlanService({ workDir, installer, sandboxProbe: noSandbox, unsafeSandbox: '' });
    const error = await service.plan({ repoUrl: remote.url, ...commits(remote), environment: 'dev' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxRefusedError);
    expect((error as SandboxRefusedError).reason).toBe(
      'pull request code is not run: no sandbox can be made here (bubblewrap is not installed (no bwrap on PATH; Debian package bubblewrap)); an operator may set GITOPS_UNSAFE_SANDBOX=1 to run it without one',
    );
    expect(service.sandbox).toMatchObject({ run: false, sandboxed: false });
    expect(existsSync(join(workDir, 'repos'))).toBe(false);
    expect(installs()).toBe(0);
  });

  test('GIVEN no sandbox and GITOPS_UNSAFE_SANDBOX=1 WHEN planned THEN the plan runs, and its report warns that it ran without a sandbox', async () => {
    const { remote, workDir, installer } = setup();
    const saved = process.env.GITOPS_UNSAFE_SANDBOX;
    process.env.GITOPS_UNSAFE_SANDBOX = '1';
    let service: PlanService;
    try {
      service = new PlanService({ workDir, installer, sandboxProbe: noSandbox });
    } finally {
      if (saved === undefined) delete process.env.GITOPS_UNSAFE_SANDBOX;
      else process.env.GITOPS_UNSAFE_SANDBOX = saved;
    }
    const report = await service.planPullRequest({ repoUrl: remote.url, ...commits(remote), environment: 'dev' });
    expect(report.stacks.map((s) => s.name)).toEqual(['new-dev', 'release-dev']);
    expect(report.warnings).toEqual([
      'pull request code runs WITHOUT a sandbox (GITOPS_UNSAFE_SANDBOX=1): bubblewrap is not installed (no bwrap on PATH; Debian package bubblewrap)',
    ]);
  });

  test('GIVEN GITOPS_UNSAFE_SANDBOX=yes WHEN the service is made THEN it throws naming the variable and its values', () => {
    expect(() => new PlanService({ workDir: join(cases.root(), 'never'), sandboxProbe: noSandbox, unsafeSandbox: 'yes' })).toThrow(
      'GITOPS_UNSAFE_SANDBOX must be 1 (run pull request code without a sandbox) or 0 / unset, not "yes"',
    );
  });
});

sandboxed('a pull request whose synth writes a 265 MB stack', () => {
  test('GIVEN a webhook server in the same process WHEN the plan reads the output THEN the plan fails naming the stack, its size and the limit, and /ping answers throughout', async () => {
    const { remote, workDir, installer } = setup();
    const baseSha = remote.commit(fixtureProject({ environments: { dev: { 'release-dev': release } } }));
    const headSha = remote.commit(
      fixtureProject({ environments: { dev: { 'release-dev': release } }, bigStack: { name: 'huge-dev', bytes: 265_000_000 } }),
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const server = await startWebhookServer({
      config: {
        appId: 1,
        privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
        webhookSecret: 'secret',
        baseUrl: 'https://api.github.com',
        port: 0,
        host: '127.0.0.1',
        workDir,
      },
      log: pino({ level: 'silent' }),
      app: () => undefined,
    });
    const pings: number[] = [];
    let planning = true;
    const pinger = (async () => {
      while (planning) {
        const started = performance.now();
        const answer = await fetch(`${server.url}/ping`);
        await answer.text();
        pings.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const error = await new PlanService({ workDir, installer })
        .planPullRequest({ repoUrl: remote.url, headSha, baseSha, environment: 'dev' })
        .catch((e: unknown) => e)
        .finally(() => (planning = false));
      expect(error).toBeInstanceOf(SynthError);
      expect((error as SynthError).reason).toBe('stack huge-dev: cdk.tf.json is 252.7 MiB, over the limit of 32.0 MiB per stack');
    } finally {
      planning = false;
      await pinger;
      await server.close();
    }
    expect(pings.length).toBeGreaterThan(0);
    // A figure, not an assertion: timing depends on the machine.
    console.log(`/ping during the plan: ${pings.length} answers, slowest ${Math.round(Math.max(...pings))} ms`);
    expect(readdirSync(join(workDir, 'jobs'))).toEqual([]);
  }, 120_000);
});
