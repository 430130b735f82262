// The shipped GitHub Actions workflows: valid YAML, least privilege, and the security model of the
// controller (plan jobs never see the apply role; checkouts never keep the token).
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Workflow = {
  name: string;
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps?: Step[]; concurrency?: unknown; 'timeout-minutes'?: number }>;
  concurrency?: unknown;
};

const files = readdirSync('workflows').filter((f) => f.endsWith('.yml'));
const load = (f: string) => ({
  file: f,
  text: readFileSync(`workflows/${f}`, 'utf8'),
  wf: parse(readFileSync(`workflows/${f}`, 'utf8')) as Workflow,
});

describe('workflows/', () => {
  test('GIVEN the shipped workflows WHEN parsed THEN ci, plan, apply and drift exist with top-level least-privilege permissions', () => {
    expect(files.sort()).toEqual(['apply.yml', 'ci.yml', 'drift.yml', 'plan.yml']);
    for (const { file, wf } of files.map(load)) {
      expect({ file, contents: wf.permissions?.contents }).toEqual({ file, contents: 'read' });
      for (const [name, job] of Object.entries(wf.jobs))
        expect({ file, name, timeout: typeof job['timeout-minutes'] === 'number' || name === 'stacks' }).toEqual({
          file,
          name,
          timeout: true,
        });
    }
  });

  test('GIVEN the plan and drift jobs WHEN read THEN they use only the read-only plan role, never the apply role', () => {
    for (const f of ['plan.yml', 'drift.yml']) {
      const { text } = load(f);
      expect(text).toContain('GITOPS_PLAN_ROLE_ARN');
      expect(text).not.toContain('GITOPS_APPLY_ROLE_ARN');
      expect(text).not.toMatch(/PRIVATE_KEY|secrets\./);
    }
  });

  test('GIVEN every checkout WHEN read THEN the token is not persisted into the work tree (except CI, which runs no PR-supplied credentials)', () => {
    for (const { file, wf } of files.filter((f) => f !== 'ci.yml').map(load)) {
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses?.startsWith('actions/checkout'))
            expect({ file, persist: step.with?.['persist-credentials'] }).toEqual({ file, persist: false });
        }
      }
    }
  });

  test('GIVEN the apply workflow WHEN read THEN one apply per environment runs at a time, never cancelled, and only for commits on the branch', () => {
    const { wf, text } = load('apply.yml');
    expect(wf.concurrency).toEqual({ group: 'gitops-apply-${{ inputs.environment }}', 'cancel-in-progress': false });
    expect(text).toContain('git merge-base --is-ancestor');
  });
});
