// The GitHub Actions workflows: where GitHub runs them from, GitHub's own parser, least privilege, pinned
// actions, no template injection, pipefail, and the scripts of their steps run for real in bash.
// @actions/workflow-parser is ESM that imports its JSON schema without an import attribute: plain
// Node 20 refuses it, Jest's ESM loader (NODE_OPTIONS=--experimental-vm-modules, as `npm test` runs
// it) loads it, printing a deprecation note.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';

type Step = { name?: string; id?: string; uses?: string; run?: string; shell?: string; if?: string; with?: Record<string, unknown> };
type Job = {
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  concurrency?: Record<string, unknown>;
  'timeout-minutes'?: number;
  steps: Step[];
};
type Workflow = {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: Record<string, unknown>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job>;
};

const DIR = '.github/workflows';
const files = () => readdirSync(DIR).sort();
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');
const load = (file: string) => parse(text(file)) as Workflow;
const all = () => files().map((file) => ({ file, wf: load(file) }));
const stepsOf = (wf: Workflow) => Object.entries(wf.jobs).flatMap(([job, j]) => j.steps.map((step) => ({ job, step })));
const stepNamed = (file: string, job: string, name: string): Step => {
  const step = load(file).jobs[job].steps.find((s) => s.name === name);
  if (!step?.run) throw new Error(`${file}: job ${job} has no run step named "${name}"`);
  return step;
};

async function parserErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  // Converting adds what only the model shows (e.g. jobs that need a missing job) to the parse errors.
  if (result.value) errors.push(...((await convertWorkflowTemplate(result.context, result.value)).errors ?? []).map((e) => e.Message));
  return [...new Set(errors)];
}

describe('where the workflows live', () => {
  test('GIVEN the repository WHEN listing workflows THEN ci, drift and plan-apply are in .github/workflows and workflows/ holds only their index', () => {
    expect(files()).toEqual(['ci.yml', 'drift.yml', 'plan-apply.yml']);
    expect(readdirSync('workflows')).toEqual(['README.md']);
    const readme = readFileSync('workflows/README.md', 'utf8');
    const linked = [...readme.matchAll(/\]\(\.\.\/\.github\/workflows\/([\w.-]+)\)/g)].map((m) => m[1]);
    expect([...new Set(linked)].sort()).toEqual(files());
  });
});

describe("GitHub's workflow parser", () => {
  test.each(['ci.yml', 'drift.yml', 'plan-apply.yml'])(
    'GIVEN %s WHEN @actions/workflow-parser reads it THEN it reports no error',
    async (file) => {
      expect(await parserErrors(file, text(file))).toEqual([]);
    },
  );

  test('GIVEN a workflow with a misspelt key and a bad concurrency queue WHEN parsed THEN each is reported with its place', async () => {
    const broken = text('ci.yml').replace('timeout-minutes: 60', 'timeout-minute: 60').replace('cancel-in-progress: true', 'queue: all');
    expect(await parserErrors('ci.yml', broken)).toEqual([
      "ci.yml (Line: 12, Col: 10): Unexpected value 'all'",
      "ci.yml (Line: 22, Col: 5): Unexpected value 'timeout-minute'",
    ]);
  });
});

describe('rules every workflow follows', () => {
  test('GIVEN every uses: WHEN read THEN it is pinned to a full commit SHA with its release in a comment, one SHA per action', () => {
    const pins = new Map<string, Set<string>>();
    for (const file of files()) {
      const lines = text(file)
        .split('\n')
        .filter((l) => /^\s*(- )?uses:/.test(l));
      expect({ file, count: lines.length }).toEqual({ file, count: stepsOf(load(file)).filter((s) => s.step.uses).length });
      for (const line of lines) {
        const m = /uses: ([\w.-]+\/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$/.exec(line);
        expect({ file, line, pinned: m !== null }).toEqual({ file, line, pinned: true });
        if (m) pins.set(m[1], (pins.get(m[1]) ?? new Set()).add(m[2]));
      }
    }
    for (const [action, shas] of pins) expect({ action, shas: shas.size }).toEqual({ action, shas: 1 });
  });

  test('GIVEN every run: script WHEN read THEN none expands ${{ }} (inputs and events reach scripts through env:)', () => {
    const expanded = all().flatMap(({ file, wf }) =>
      stepsOf(wf)
        .filter(({ step }) => step.run?.includes('${{'))
        .map(({ job, step }) => `${file} ${job} ${step.name ?? step.run}`),
    );
    expect(expanded).toEqual([]);
  });

  test('GIVEN every workflow WHEN read THEN permissions are set at the top and a job writes only id-token (to sign in) or issues (the drift report)', () => {
    const grants: string[] = [];
    for (const { file, wf } of all()) {
      expect({ file, top: JSON.stringify(wf.permissions) }).toEqual({ file, top: file === 'ci.yml' ? '{"contents":"read"}' : '{}' });
      for (const [name, job] of Object.entries(wf.jobs)) {
        const effective = job.permissions ?? wf.permissions ?? {};
        const signsIn = job.steps.some((s) => /^(aws-actions\/configure-aws-credentials|azure\/login)@/.test(s.uses ?? ''));
        expect({ file, name, idToken: effective['id-token'] === 'write' }).toEqual({ file, name, idToken: signsIn });
        for (const [scope, level] of Object.entries(effective)) if (level === 'write') grants.push(`${file} ${name} ${scope}`);
        expect({ file, name, timeout: typeof job['timeout-minutes'] }).toEqual({ file, name, timeout: 'number' });
      }
    }
    expect(grants.filter((g) => !g.endsWith(' id-token'))).toEqual(['drift.yml report issues']);
  });

  test('GIVEN every job that signs in to AWS WHEN read THEN it signs in to Azure by OIDC too, from variables, never from a secret', () => {
    for (const { file, wf } of all()) {
      expect({ file, secrets: /secrets\.|client-secret|creds:/.test(text(file)) }).toEqual({ file, secrets: false });
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (!job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))) continue;
        const azure = job.steps.find((s) => s.uses?.startsWith('azure/login@'));
        expect({ file, name, azure: azure?.with }).toEqual({
          file,
          name,
          azure: {
            'client-id': '${{ vars.AZURE_CLIENT_ID }}',
            'tenant-id': '${{ vars.AZURE_TENANT_ID }}',
            'subscription-id': '${{ vars.AZURE_SUBSCRIPTION_ID }}',
          },
        });
      }
    }
  });

  test('GIVEN every checkout WHEN read THEN it keeps no token, and no script fetches afterwards', () => {
    for (const { file, wf } of all()) {
      for (const { job, step } of stepsOf(wf)) {
        if (step.uses?.startsWith('actions/checkout@'))
          expect({ file, job, persist: step.with?.['persist-credentials'] }).toEqual({ file, job, persist: false });
        expect({ file, job, fetch: /\bgit (fetch|pull)\b/.test(step.run ?? '') }).toEqual({ file, job, fetch: false });
      }
    }
  });

  test('GIVEN every workflow WHEN read THEN its scripts run in an explicit bash (GitHub adds -eo pipefail) and no step picks another shell', () => {
    for (const { file, wf } of all()) {
      expect({ file, shell: wf.defaults?.run?.shell }).toEqual({ file, shell: 'bash' });
      expect({ file, others: stepsOf(wf).filter(({ step }) => step.shell !== undefined).length }).toEqual({ file, others: 0 });
    }
  });

  test('GIVEN the workflows WHEN read THEN applies queue one per environment, drift checks one at a time, CI per ref', () => {
    const planApply = load('plan-apply.yml');
    expect(planApply.jobs.apply.concurrency).toEqual({
      group: 'gitops-apply-${{ inputs.env }}',
      'cancel-in-progress': false,
      queue: 'max',
    });
    expect(planApply.jobs.plan.concurrency).toEqual({
      group: 'gitops-plan-${{ inputs.env }}-${{ inputs.stack }}-${{ inputs.sha }}',
      'cancel-in-progress': false,
      queue: 'max',
    });
    expect(load('drift.yml').concurrency).toEqual({ group: 'gitops-drift', 'cancel-in-progress': false });
    expect(load('ci.yml').concurrency).toEqual({ group: 'ci-${{ github.ref }}', 'cancel-in-progress': true });
  });
});

describe('plan-apply.yml', () => {
  const wf = () => load('plan-apply.yml');

  test('GIVEN a dispatch WHEN read THEN it takes env, stack, sha and mode (plan or apply) and names the run after them', () => {
    const inputs = (wf().on.workflow_dispatch as { inputs: Record<string, { type: string; options?: string[] }> }).inputs;
    expect(Object.keys(inputs)).toEqual(['env', 'stack', 'sha', 'mode']);
    expect(inputs.mode.options).toEqual(['plan', 'apply']);
    expect(text('plan-apply.yml')).toContain(
      "run-name: 'gitops ${{ inputs.mode }} ${{ inputs.stack }} in ${{ inputs.env }} @ ${{ inputs.sha }}'",
    );
  });

  test('GIVEN the jobs WHEN read THEN a plan uses only <env>-plan and the plan role, an apply only <env> and the apply role, and both keep their output', () => {
    const { check, plan, apply } = wf().jobs;
    expect(check.permissions).toEqual({ contents: 'read' });
    expect([plan.if, plan.environment]).toEqual(["inputs.mode == 'plan'", '${{ inputs.env }}-plan']);
    expect([apply.if, apply.environment]).toEqual(["inputs.mode == 'apply'", '${{ inputs.env }}']);
    const role = (job: Job) => job.steps.find((s) => s.uses?.startsWith('aws-actions/'))?.with?.['role-to-assume'];
    expect([role(plan), role(apply)]).toEqual(['${{ vars.GITOPS_PLAN_ROLE_ARN }}', '${{ vars.GITOPS_APPLY_ROLE_ARN }}']);
    const artifact = (job: Job) => job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with;
    expect(artifact(plan)).toMatchObject({
      name: 'plan-${{ inputs.env }}-${{ inputs.stack }}-${{ inputs.sha }}',
      path: 'plan.txt\nplan.json\n',
    });
    expect(artifact(apply)).toMatchObject({ name: 'apply-${{ inputs.env }}-${{ inputs.stack }}-${{ inputs.sha }}', path: 'apply.txt' });
  });

  test("GIVEN an apply WHEN checked THEN the commit's ancestry is checked with git before any of its code runs, on history the checkout fetched", () => {
    const steps = wf().jobs.check.steps;
    const checkout = steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'));
    const ancestry = steps.findIndex((s) => s.run?.includes('git merge-base --is-ancestor "$GITOPS_SHA"'));
    const firstCode = steps.findIndex((s) => s.run?.includes('npm ci'));
    expect(checkout < ancestry && ancestry < firstCode).toBe(true);
    expect(steps[checkout].with?.['fetch-depth']).toBe(0);
  });
});

// The scripts of the steps, run as GitHub runs them: `bash --noprofile --norc -eo pipefail <file>`.
describe('the scripts of the steps', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'workflows-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'environments'));
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** A stand-in for a command: a bash script that logs its arguments to <root>/calls and runs `body`. */
  const standIn = (name: string, body: string) => {
    const file = join(root, 'bin', name);
    writeFileSync(file, `#!/usr/bin/env bash\necho "${name} $*" >>"${root}/calls"\n${body}\n`);
    chmodSync(file, 0o755);
  };
  const run = (step: Step, env: Record<string, string>, shell = ['--noprofile', '--norc', '-eo', 'pipefail']) => {
    writeFileSync(join(root, 'step.sh'), step.run ?? '');
    for (const f of ['summary', 'calls']) writeFileSync(join(root, f), '');
    const r = spawnSync('bash', [...shell, 'step.sh'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: `${join(root, 'bin')}:${process.env.PATH}`, HOME: root, GITHUB_STEP_SUMMARY: join(root, 'summary'), ...env },
    });
    return { code: r.status, out: r.stdout + r.stderr, calls: readFileSync(join(root, 'calls'), 'utf8') };
  };
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  const environment = (name: string, backend: string) =>
    writeFileSync(join(root, 'environments', `${name}.yaml`), `name: ${name}\nbackend:\n  type: ${backend}\n`);

  test('GIVEN a plan that fails WHEN the plan step runs THEN the step fails, as it would not under the bash -e GitHub uses without a shell', () => {
    standIn('npx', 'echo "ingest-dev: the plan failed"; exit 3');
    const plan = stepNamed('plan-apply.yml', 'plan', 'Plan');
    const failed = run(plan, { GITOPS_STACK: 'ingest-dev' });
    expect(failed.code).toBe(3);
    expect(failed.calls).toBe('npx gitops plan --stack ingest-dev --summary-json plan.json\n');
    expect(read('plan.txt')).toBe('ingest-dev: the plan failed\n');
    expect(run(plan, { GITOPS_STACK: 'ingest-dev' }, ['--noprofile', '--norc', '-e']).code).toBe(0);
  });

  test('GIVEN malformed inputs WHEN the input check runs THEN it names each bad input on its own line and fails; good inputs pass', () => {
    const check = stepNamed('plan-apply.yml', 'check', 'The inputs are well formed');
    const good = { GITOPS_ENV: 'prod', GITOPS_STACK: 'imaging-prod-eu-central-1', GITOPS_SHA: 'a'.repeat(40), GITOPS_MODE: 'apply' };
    expect(run(check, good)).toMatchObject({ code: 0, out: '' });
    const bad = run(check, { GITOPS_ENV: 'Prod;rm', GITOPS_STACK: '-x', GITOPS_SHA: 'abc123', GITOPS_MODE: 'destroy' });
    expect(bad.code).toBe(1);
    expect(
      bad.out
        .trim()
        .split('\n')
        .map((l) => /^::error::input (\w+)/.exec(l)?.[1]),
    ).toEqual(['env', 'stack', 'sha', 'mode']);
  });

  test('GIVEN a stack of another environment, an apply off its branch or a local backend WHEN checked THEN each is refused with its reason', () => {
    const check = stepNamed('plan-apply.yml', 'check', 'The stack belongs to the environment, whose state outlives the runner');
    standIn('npx', `echo '[{"stack":"ingest-prod","env":"prod","branch":"main"}]'`);
    environment('prod', 's3');
    const request = { GITOPS_ENV: 'prod', GITOPS_STACK: 'ingest-prod', GITOPS_MODE: 'apply', GITHUB_REF: 'refs/heads/main' };
    expect(run(check, request)).toMatchObject({ code: 0, calls: 'npx gitops stacks --env prod --json\n' });
    expect(run(check, { ...request, GITOPS_STACK: 'ingest-dev' }).out).toContain('stack ingest-dev is not a stack of environment prod');
    expect(run(check, { ...request, GITHUB_REF: 'refs/heads/dev' }).out).toContain(
      'an apply of prod runs from its branch main, not from refs/heads/dev',
    );
    expect(run(check, { ...request, GITHUB_REF: 'refs/heads/dev', GITOPS_MODE: 'plan' }).code).toBe(0);
    environment('prod', 'local');
    const local = run(check, request);
    expect([local.code, local.out]).toEqual([1, expect.stringContaining('::error file=environments/prod.yaml::backend local keeps state')]);
  });

  test('GIVEN a commit off the branch WHEN an apply checks its ancestry THEN it is refused; a commit on the branch passes (real git)', () => {
    const ancestry = stepNamed('plan-apply.yml', 'check', "An apply's commit is on the branch the run was dispatched on");
    const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout.trim();
    const origin = join(root, 'origin');
    mkdirSync(origin);
    const inOrigin = (...args: string[]) =>
      spawnSync('git', ['-C', origin, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { encoding: 'utf8' });
    inOrigin('init', '-q', '-b', 'main');
    inOrigin('commit', '-q', '--allow-empty', '-m', 'on main');
    inOrigin('checkout', '-q', '-b', 'feature');
    inOrigin('commit', '-q', '--allow-empty', '-m', 'off main');
    const onMain = inOrigin('rev-parse', 'main').stdout.trim();
    const offMain = inOrigin('rev-parse', 'feature').stdout.trim();
    git('init', '-q');
    git('fetch', '-q', origin, '+refs/heads/*:refs/remotes/origin/*');
    const request = { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main' };
    expect(run(ancestry, { ...request, GITOPS_SHA: onMain }).code).toBe(0);
    expect(run(ancestry, { ...request, GITOPS_SHA: offMain })).toMatchObject({
      code: 1,
      out: `::error::commit ${offMain} is not on branch main\n`,
    });
    expect(run(ancestry, { ...request, GITHUB_REF: 'refs/tags/v1', GITOPS_SHA: onMain }).out).toContain('not on refs/tags/v1');
  });

  describe('drift.yml', () => {
    const plans = () => stepNamed('drift.yml', 'plan', 'Plan every stack of the environment');
    const report = () => stepNamed('drift.yml', 'report', 'Open, update or close the `drift in <env>` issue');
    const stacks = `if [[ "$2" == stacks ]]; then echo '[{"stack":"a-prod"},{"stack":"b-prod"},{"stack":"c-prod"}]'; exit 0; fi`;

    test('GIVEN one drifted stack and one that cannot be planned WHEN the environment is planned THEN both are listed and the job fails', () => {
      environment('prod', 's3');
      standIn(
        'npx',
        `${stacks}\ncase "$4" in a-prod) printf 'a-prod: 0 to add\\n  no changes\\n';; b-prod) printf 'b-prod: 1 to add, 0 to change, 0 to replace, 0 to destroy\\n  + x.note (create)\\n      text: \\"no changes\\"\\n';; *) exit 1;; esac`,
      );
      const result = run(plans(), { GITOPS_ENV: 'prod' });
      expect(result.code).toBe(1);
      expect(result.out).toContain('::error::1 stacks of prod differ from their code, 1 could not be planned');
      expect(read('drift/status')).toBe('drift\n');
      expect(read('drift/list.md')).toBe(
        '- `b-prod`: b-prod: 1 to add, 0 to change, 0 to replace, 0 to destroy\n- `c-prod`: the plan failed\n',
      );
      expect(read('summary')).toContain('<summary>b-prod</summary>');
    });

    test('GIVEN no drift, or a local backend WHEN the environment is planned THEN the status is clean, or skipped without a plan', () => {
      environment('prod', 's3');
      standIn('npx', `${stacks}\necho "$4: no changes"; echo '  no changes'`);
      expect(run(plans(), { GITOPS_ENV: 'prod' }).code).toBe(0);
      expect(read('drift/status')).toBe('clean\n');
      environment('prod', 'local');
      expect(run(plans(), { GITOPS_ENV: 'prod' })).toMatchObject({ code: 0, calls: '' });
      expect(read('drift/status')).toBe('skipped\n');
    });

    const reportWith = (status: string | undefined, openIssues: string) => {
      if (status) {
        mkdirSync(join(root, 'drift'), { recursive: true });
        writeFileSync(join(root, 'drift', 'status'), `${status}\n`);
        writeFileSync(join(root, 'drift', 'list.md'), '- `b-prod`: 1 to add\n');
      }
      standIn('gh', `if [[ "$2" == list ]]; then echo '${openIssues}'; fi`);
      return run(report(), { GITOPS_ENV: 'prod', RUN_URL: 'https://github.example/runs/7' });
    };

    test('GIVEN drift and no open issue WHEN reported THEN one `drift in prod` issue is opened with the list', () => {
      const result = reportWith('drift', '[{"number":4,"title":"drift in dev"}]');
      expect(result.code).toBe(0);
      expect(result.calls.split('\n')[1]).toBe('gh issue create --title drift in prod --body-file body.md');
      expect(read('body.md')).toContain('- `b-prod`: 1 to add');
    });

    test('GIVEN drift and the open issue WHEN reported THEN that issue is edited and commented, no second one opened', () => {
      const result = reportWith('drift', '[{"number":4,"title":"drift in dev"},{"number":9,"title":"drift in prod"}]');
      expect(result.calls.trim().split('\n').slice(1)).toEqual([
        'gh issue edit 9 --body-file body.md',
        'gh issue comment 9 --body Checked again: https://github.example/runs/7.',
      ]);
    });

    test('GIVEN no artifact (the plan job failed early) WHEN reported THEN the issue says the check failed', () => {
      expect(reportWith(undefined, '[]').code).toBe(0);
      expect(read('body.md')).toContain('The drift check of **prod** failed before it planned every stack');
    });

    test('GIVEN no drift WHEN reported THEN an open issue is closed, and nothing happens without one', () => {
      expect(reportWith('clean', '[{"number":9,"title":"drift in prod"}]').calls.trim().split('\n')[1]).toBe(
        'gh issue close 9 --comment No drift in prod as of https://github.example/runs/7.',
      );
      expect(reportWith('clean', '[]').calls.trim().split('\n')).toHaveLength(1);
      expect(reportWith('skipped', '[{"number":9,"title":"drift in prod"}]').calls.trim().split('\n')).toHaveLength(1);
    });
  });
});
