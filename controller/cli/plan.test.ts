// `gitops plan` and `gitops apply` as an operator runs them (bundled, a real process) on a copy of the shipped
// environment files whose dev.yaml has a credentials block, with a stand-in terraform first on PATH that
// records what each of its commands was given.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlanSummary } from '../actions/plan-summary.js';
import { terraformStandIn, type TerraformStandIn } from '../../test/fixtures/terraform-stand-in.js';

const BIN = join(process.cwd(), 'bin', 'gitops.mjs');
const CREDENTIALS = `credentials:
  plan:
    aws: { profile: dev-read-only }
    passEnv: [TF_VAR_plan_hint]
  apply:
    aws: { profile: dev-deployer }
    passEnv: [ARM_CLIENT_SECRET]
`;
const CONTROLLER_ENV = {
  TF_VAR_plan_hint: 'plan-hint-value',
  ARM_CLIENT_SECRET: 'apply-secret-value',
  AWS_SECRET_ACCESS_KEY: 'never-listed',
};

let root: string;
let cacheDir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'gitops-cli-plan-'));
  cacheDir = join(root, 'cache'); // shared by the tests: the bundles are built once
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh case: environment files with the block in dev.yaml, a stand-in terraform, and a runner of gitops. */
interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function setup(): { terraform: TerraformStandIn; gitops(args: string[], env?: Record<string, string | undefined>): Run } {
  const dir = mkdtempSync(join(root, 'case-'));
  const envDir = join(dir, 'environments');
  cpSync('environments', envDir, { recursive: true, filter: (src) => src === 'environments' || /\.yaml$/.test(src) });
  appendFileSync(join(envDir, 'dev.yaml'), CREDENTIALS);
  const terraform = terraformStandIn(dir);
  return {
    terraform,
    gitops(args, env = CONTROLLER_ENV) {
      const r = spawnSync(process.execPath, [BIN, ...args, '--dir', envDir, '--out', join(dir, 'out')], {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          ...env,
          NODE_OPTIONS: '',
          PATH: `${terraform.binDir}:${process.env.PATH}`,
          GITOPS_WORK_DIR: join(dir, 'work'),
          GITOPS_CACHE_DIR: cacheDir,
          GITOPS_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567',
        },
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

const valuesIn = (env: Record<string, string>, values: string[]) => values.filter((v) => Object.values(env).includes(v));

describe('gitops plan and apply with the credentials of the environment file', () => {
  test('GIVEN dev.yaml with plan and apply credentials WHEN `gitops plan --stack release-dev` runs THEN init, plan and show get the plan set and nothing of the apply set', () => {
    const { terraform, gitops } = setup();
    const r = gitops(['plan', '--stack', 'release-dev']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^release-dev: 1 to add/m);
    for (const command of ['init', 'plan', 'show']) {
      const [env] = terraform.runs(command);
      expect(env).toMatchObject({ AWS_PROFILE: 'dev-read-only', TF_VAR_plan_hint: 'plan-hint-value' });
      expect(valuesIn(env, ['dev-deployer', 'apply-secret-value', 'never-listed'])).toEqual([]);
    }
    expect(terraform.runs('apply')).toEqual([]);
  }, 120_000);

  test('GIVEN the same files WHEN `gitops apply --stack release-dev` runs THEN apply and output get the apply set and nothing of the plan set', () => {
    const { terraform, gitops } = setup();
    const r = gitops(['apply', '--stack', 'release-dev']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^release-dev: applied$/m);
    expect(terraform.runs('plan')[0]).toMatchObject({ AWS_PROFILE: 'dev-read-only' });
    for (const command of ['apply', 'output']) {
      const [env] = terraform.runs(command);
      expect(env).toMatchObject({ AWS_PROFILE: 'dev-deployer', ARM_CLIENT_SECRET: 'apply-secret-value' });
      expect(valuesIn(env, ['dev-read-only', 'plan-hint-value', 'never-listed'])).toEqual([]);
    }
  }, 120_000);

  test('GIVEN the controller lacks an apply variable WHEN planned THEN the plan runs; WHEN applied THEN one line names the variable and the file, and terraform never ran', () => {
    const { terraform, gitops } = setup();
    const env = { ...CONTROLLER_ENV, ARM_CLIENT_SECRET: undefined };
    expect(gitops(['plan', '--stack', 'release-dev'], env).status).toBe(0);
    const before = terraform.runs('init').length;
    const r = gitops(['apply', '--stack', 'release-dev'], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^gitops apply: .*environments\/dev\.yaml: credentials\.apply\.passEnv: ARM_CLIENT_SECRET is not set in the controller's environment\n$/,
    );
    expect(terraform.runs('init')).toHaveLength(before);
  }, 120_000);
});

describe('gitops plan --summary-json', () => {
  test("GIVEN --summary-json WHEN `gitops plan --stack release-dev` runs THEN the file holds the plan's summary, which the actions runner reads back as that stack's plan", () => {
    const { gitops } = setup();
    const file = join(root, 'plan.json');
    const r = gitops(['plan', '--stack', 'release-dev', '--summary-json', file]);
    expect(r.status).toBe(0);
    const summary = parsePlanSummary(readFileSync(file), 'release-dev');
    expect(summary).toMatchObject({ stack: 'release-dev', hasChanges: true, counts: { add: 1 } });
    expect(parsePlanSummary(readFileSync(file), 'ingest-dev')).toEqual({
      problem: 'plan.json is the plan of another stack (asked for ingest-dev)',
    });
  }, 120_000);

  test('GIVEN --summary-json without a file WHEN run THEN one usage line names the flag and terraform never ran', () => {
    const { terraform, gitops } = setup();
    const r = gitops(['plan', '--stack', 'release-dev', '--summary-json', ' ']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--summary-json needs a value');
    expect(terraform.runs('init')).toEqual([]);
  }, 120_000);
});
