import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { probeSandbox } from '../process/sandbox.js';
import { sandboxEnv, UNSANDBOXED } from './sandbox.js';
import { readStacks, SYNTH_OUTPUT_LIMITS, SynthError, synthWorkTree } from './synth.js';
import { fixtureProject, type FixtureSpec } from '../../test/fixtures/test-repo.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'c2-synth-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The stand-in project written out as a work tree, with its one dependency in node_modules. */
function workTree(spec: FixtureSpec): string {
  const dir = join(root, 'tree');
  for (const [file, text] of Object.entries({
    ...fixtureProject(spec),
    'node_modules/fixture-dep/package.json': JSON.stringify({ name: 'fixture-dep', type: 'module', main: 'index.js' }),
    'node_modules/fixture-dep/index.js': 'export default "dep-ok";',
  })) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const probe = probeSandbox();
if (!probe.ok) console.warn(`sandboxed synth tests skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;

const release = { resource: { terraform_data: { record: { input: { commit_sha: '@COMMIT@', dep: '@DEP@' } } } } };

describe('synthWorkTree', () => {
  test('GIVEN credentials in the controller environment WHEN a work tree is synthesized THEN the child sees none of them, only the synth variables', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_TOKEN: 'ghs_x',
      GH_ENTERPRISE_TOKEN: 'ghe',
      PRIVATE_KEY: 'pem',
      PRIVATE_KEY_PATH: '/k.pem',
      WEBHOOK_SECRET: 'w',
      APP_ID: '1',
      AWS_ACCESS_KEY_ID: 'a',
      ARM_CLIENT_SECRET: 'b',
      AZURE_CLIENT_SECRET: 'c',
      GOOGLE_CREDENTIALS: 'd',
      TF_VAR_db_password: 'e',
    });
    try {
      const outDir = join(root, 'out');
      const stacks = await synthWorkTree({
        isolation: UNSANDBOXED,
        dir: workTree({ environments: { dev: { 'release-dev': release } } }),
        environment: 'dev',
        commitSha: SHA,
        outDir,
        env: sandboxEnv({ home: join(root, 'home') }),
      });
      const seen = JSON.parse(readFileSync(join(outDir, 'env.json'), 'utf8')) as Record<string, string>;
      expect(
        Object.keys(seen).filter((k) => /^(GITHUB_|GH_|PRIVATE_KEY|WEBHOOK_SECRET|APP_ID|AWS_|ARM_|AZURE_|GOOGLE_|TF_VAR_)/.test(k)),
      ).toEqual([]);
      expect(seen).toMatchObject({
        GITOPS_COMMIT_SHA: SHA,
        GITOPS_ENVS: 'dev',
        CDKTF_OUTDIR: outDir,
        CHECKPOINT_DISABLE: '1',
        HOME: join(root, 'home'),
      });
      expect(stacks).toEqual({
        'release-dev': { resource: { terraform_data: { record: { input: { commit_sha: SHA, dep: 'dep-ok' } } } } },
      });
    } finally {
      process.env = saved;
    }
  });

  test('GIVEN a work tree WHEN synthesized THEN its CLI is told to skip its own policy gate (the controller judges the output with the base waivers)', async () => {
    const outDir = join(root, 'out');
    await synthWorkTree({
      isolation: UNSANDBOXED,
      dir: workTree({ environments: { uat: { 'release-uat': release } } }),
      environment: 'uat',
      commitSha: SHA,
      outDir,
      envDir: 'envs',
      env: sandboxEnv({ home: root }),
    });
    expect(JSON.parse(readFileSync(join(outDir, 'argv.json'), 'utf8'))).toEqual([
      'synth',
      '--env',
      'uat',
      '--out',
      outDir,
      '--skip-policy',
      '--dir',
      'envs',
    ]);
  });

  test('GIVEN a synth that fails WHEN synthesized THEN SynthError carries its error line as the reason and the log tail', async () => {
    const error = await synthWorkTree({
      isolation: UNSANDBOXED,
      dir: workTree({ fail: 'dev.yaml: systems.payments.services.web.desiredCount: expected number' }),
      environment: 'dev',
      commitSha: SHA,
      outDir: join(root, 'out'),
      env: sandboxEnv({ home: root }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SynthError);
    expect((error as SynthError).reason).toBe(
      'synth of dev exited with 1: gitops synth: dev.yaml: systems.payments.services.web.desiredCount: expected number',
    );
    expect((error as SynthError).logTail).toContain('desiredCount');
  });

  test('GIVEN a synth slower than the timeout WHEN synthesized THEN it is stopped with a timeout reason', async () => {
    await expect(
      synthWorkTree({
        isolation: UNSANDBOXED,
        dir: workTree({ sleepMs: 10_000 }),
        environment: 'dev',
        commitSha: SHA,
        outDir: join(root, 'out'),
        env: sandboxEnv({ home: root }),
        timeoutMs: 500,
      }),
    ).rejects.toThrow('synth failed: synth of dev timed out after 500 ms');
  });

  test('GIVEN an aborted signal WHEN synthesizing THEN it rejects with the signal reason', async () => {
    const controller = new AbortController();
    const pending = synthWorkTree({
      isolation: UNSANDBOXED,
      dir: workTree({ sleepMs: 10_000 }),
      environment: 'dev',
      commitSha: SHA,
      outDir: join(root, 'out'),
      env: sandboxEnv({ home: root }),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('superseded by a newer push')), 200);
    await expect(pending).rejects.toThrow('superseded by a newer push');
  });

  test('GIVEN bad inputs WHEN synthesizing THEN every problem is reported before anything runs', async () => {
    await expect(
      synthWorkTree({
        isolation: UNSANDBOXED,
        dir: root,
        environment: '--help',
        commitSha: 'HEAD',
        envDir: '../x',
        outDir: join(root, 'out'),
        env: {},
      }),
    ).rejects.toThrow(
      /^synth: environment "--help" is not an environment name .*; commitSha "HEAD" is not a commit SHA .*; envDir "..\/x" must be a relative directory/,
    );
  });

  test('GIVEN a work tree without bin/gitops.mjs WHEN synthesized THEN it says so with the short SHA', async () => {
    await expect(
      synthWorkTree({ isolation: UNSANDBOXED, dir: root, environment: 'dev', commitSha: SHA, outDir: join(root, 'out'), env: {} }),
    ).rejects.toThrow('synth failed: bin/gitops.mjs does not exist at 0123456');
  });
});

sandboxed('synthWorkTree in the sandbox', () => {
  test('GIVEN the sandbox WHEN a work tree is synthesized THEN synth ran there, with its bundle cache in its own output', async () => {
    chmodSync(root, 0o755);
    const outDir = join(root, 'out');
    const stacks = await synthWorkTree({
      isolation: { sandboxed: true, host: probe.ok ? probe.host : (undefined as never) },
      dir: workTree({ environments: { dev: { 'release-dev': release } } }),
      environment: 'dev',
      commitSha: SHA,
      outDir,
      env: sandboxEnv({ home: join(root, 'home') }),
    });
    expect(stacks['release-dev']).toEqual({ resource: { terraform_data: { record: { input: { commit_sha: SHA, dep: 'dep-ok' } } } } });
    const seen = JSON.parse(readFileSync(join(outDir, 'env.json'), 'utf8')) as Record<string, string>;
    expect(seen).toMatchObject({ HOME: '/home/sandbox', TMPDIR: '/tmp', GITOPS_CACHE_DIR: join(outDir, '.gitops-cache') });
  });
});

describe('synth output limits', () => {
  const small = { stackBytes: 1024 * 1024, totalBytes: 2 * 1024 * 1024 };
  const synth = (spec: FixtureSpec) =>
    synthWorkTree({
      isolation: UNSANDBOXED,
      dir: workTree(spec),
      environment: 'dev',
      commitSha: SHA,
      outDir: join(root, 'out'),
      env: sandboxEnv({ home: root }),
      limits: small,
    });

  test('GIVEN the default limits WHEN inspected THEN 32 MiB per stack and 128 MiB in all', () => {
    expect(SYNTH_OUTPUT_LIMITS).toEqual({ stackBytes: 32 * 1024 * 1024, totalBytes: 128 * 1024 * 1024 });
  });

  test('GIVEN a stack over the per-stack limit WHEN synthesized THEN SynthError names the stack, its size and the limit', async () => {
    await expect(synth({ environments: { dev: {} }, bigStack: { name: 'big-dev', bytes: 1.5 * 1024 * 1024 } })).rejects.toThrow(
      'synth failed: stack big-dev: cdk.tf.json is 1.5 MiB, over the limit of 1.0 MiB per stack',
    );
  });

  test('GIVEN stacks each within the limit but over the total WHEN synthesized THEN SynthError says how much they total and the limit', async () => {
    const padded = (name: string) => ({ locals: { padding: name.repeat(900 * 1024) } });
    await expect(synth({ environments: { dev: { a: padded('a'), b: padded('b'), c: padded('c') } } })).rejects.toThrow(
      "synth failed: the 3 stacks' cdk.tf.json total 2.6 MiB, over the limit of 2.0 MiB for all stacks",
    );
  });
});

describe('readStacks', () => {
  test('GIVEN a stack file that is a link to a host file WHEN read THEN it is refused unread', async () => {
    mkdirSync(join(root, 'stacks', 'a'), { recursive: true });
    symlinkSync('/etc/passwd', join(root, 'stacks', 'a', 'cdk.tf.json'));
    await expect(readStacks(root)).rejects.toThrow(
      `synth failed: stack a: ${join(root, 'stacks', 'a', 'cdk.tf.json')} is not a regular file`,
    );
  });

  test('GIVEN a stack directory that is a link WHEN read THEN it is refused unread', async () => {
    mkdirSync(join(root, 'elsewhere'), { recursive: true });
    writeFileSync(join(root, 'elsewhere', 'cdk.tf.json'), '{}');
    mkdirSync(join(root, 'stacks'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'stacks', 'a'));
    await expect(readStacks(root)).rejects.toThrow(`synth failed: stack a: ${join(root, 'stacks', 'a')} is a link, not a directory`);
  });

  test('GIVEN a stack directory whose name is not a stack name WHEN read THEN it says so', async () => {
    mkdirSync(join(root, 'stacks', 'a b'), { recursive: true });
    writeFileSync(join(root, 'stacks', 'a b', 'cdk.tf.json'), '{}');
    await expect(readStacks(root)).rejects.toThrow('synth failed: stack "a b" is not a stack name (letters, digits, . _ -)');
  });

  test('GIVEN an output directory without stacks WHEN read THEN it says synth wrote none', async () => {
    await expect(readStacks(root)).rejects.toThrow(`synth failed: ${join(root, 'stacks')} does not exist: synth wrote no stacks`);
  });

  test('GIVEN a stack file that is not JSON WHEN read THEN it names the file', async () => {
    mkdirSync(join(root, 'stacks', 'a'), { recursive: true });
    writeFileSync(join(root, 'stacks', 'a', 'cdk.tf.json'), '{');
    await expect(readStacks(root)).rejects.toThrow(new RegExp(`^synth failed: ${join(root, 'stacks', 'a', 'cdk.tf.json')} is not JSON`));
  });
});
