import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sandboxEnv } from './sandbox.js';
import { readStacks, SynthError, synthWorkTree } from './synth.js';
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
      synthWorkTree({ dir: root, environment: '--help', commitSha: 'HEAD', envDir: '../x', outDir: join(root, 'out'), env: {} }),
    ).rejects.toThrow(
      /^synth: environment "--help" is not an environment name .*; commitSha "HEAD" is not a commit SHA .*; envDir "..\/x" must be a relative directory/,
    );
  });

  test('GIVEN a work tree without bin/gitops.mjs WHEN synthesized THEN it says so with the short SHA', async () => {
    await expect(synthWorkTree({ dir: root, environment: 'dev', commitSha: SHA, outDir: join(root, 'out'), env: {} })).rejects.toThrow(
      'synth failed: bin/gitops.mjs does not exist at 0123456',
    );
  });
});

describe('readStacks', () => {
  test('GIVEN an output directory without stacks WHEN read THEN it says synth wrote none', () => {
    expect(() => readStacks(root)).toThrow(`synth failed: ${join(root, 'stacks')} does not exist: synth wrote no stacks`);
  });

  test('GIVEN a stack file that is not JSON WHEN read THEN it names the file', () => {
    mkdirSync(join(root, 'stacks', 'a'), { recursive: true });
    writeFileSync(join(root, 'stacks', 'a', 'cdk.tf.json'), '{');
    expect(() => readStacks(root)).toThrow(new RegExp(`^synth failed: ${join(root, 'stacks', 'a', 'cdk.tf.json')} is not JSON`));
  });
});
