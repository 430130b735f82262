import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  CLOCK_SKEW_MS,
  PLAN_APPLY_PATH,
  runTitle,
  RunWaitError,
  WorkflowRunWaits,
  type CompletedRun,
  type RunInputs,
} from './workflow-runs.js';

const SHA = 'a'.repeat(40);
const INPUTS: RunInputs = { env: 'dev', stack: 'ingest-dev', sha: SHA, mode: 'plan' };
const SINCE = new Date('2026-01-01T10:00:00Z');

const run = (over: Partial<CompletedRun> = {}): CompletedRun => ({
  owner: 'acme',
  repo: 'infra',
  id: 7,
  title: runTitle(INPUTS),
  path: PLAN_APPLY_PATH,
  event: 'workflow_dispatch',
  conclusion: 'success',
  htmlUrl: 'https://github.example/acme/infra/actions/runs/7',
  createdAt: '2026-01-01T10:00:05Z',
  ...over,
});

const wait = (waits: WorkflowRunWaits, over: { timeoutMs?: number; signal?: AbortSignal; inputs?: RunInputs } = {}) =>
  waits.wait({
    owner: 'acme',
    repo: 'infra',
    inputs: over.inputs ?? INPUTS,
    since: SINCE,
    timeoutMs: over.timeoutMs ?? 60_000,
    signal: over.signal,
  });

describe('runTitle', () => {
  test("GIVEN plan-apply.yml's run-name WHEN its input expressions are filled in THEN it is the title the waits match", () => {
    const runName = (parse(readFileSync(PLAN_APPLY_PATH, 'utf8')) as { 'run-name': string })['run-name'];
    const filled = runName.replace(/\$\{\{ inputs\.(\w+) \}\}/g, (_, name: keyof RunInputs) => INPUTS[name]);
    expect(filled).toBe(runTitle(INPUTS));
    expect(runTitle(INPUTS)).toBe(`gitops plan ingest-dev in dev @ ${SHA}`);
  });
});

describe('WorkflowRunWaits', () => {
  test('GIVEN a wait WHEN its run completes THEN the wait settles with the run and is gone', async () => {
    const waits = new WorkflowRunWaits();
    const pending = wait(waits);
    expect(waits.size).toBe(1);
    expect(waits.completed(run({ owner: 'ACME' }))).toBe(true);
    await expect(pending).resolves.toMatchObject({ id: 7, conclusion: 'success' });
    expect(waits.size).toBe(0);
    expect(waits.completed(run())).toBe(false);
  });

  test('GIVEN a wait WHEN runs of another workflow, event, repository, title or an older run complete THEN none is taken', async () => {
    const waits = new WorkflowRunWaits();
    const pending = wait(waits, { timeoutMs: 200 });
    const older = new Date(SINCE.getTime() - CLOCK_SKEW_MS - 1000).toISOString();
    expect(
      [
        run({ path: '.github/workflows/ci.yml' }),
        run({ event: 'push' }),
        run({ repo: 'other' }),
        run({ title: runTitle({ ...INPUTS, mode: 'apply' }) }),
        run({ createdAt: older }),
      ].map((r) => waits.completed(r)),
    ).toEqual([false, false, false, false, false]);
    await expect(pending).rejects.toThrow(new RunWaitError(`no run "${runTitle(INPUTS)}" of plan-apply.yml completed within 0 s`));
    expect(waits.size).toBe(0);
  });

  test('GIVEN two waits for the same title WHEN two runs complete THEN each wait gets one, the older wait first', async () => {
    const waits = new WorkflowRunWaits();
    const first = wait(waits);
    const second = wait(waits);
    waits.completed(run({ id: 1 }));
    waits.completed(run({ id: 2 }));
    expect([(await first).id, (await second).id]).toEqual([1, 2]);
  });

  test('GIVEN a wait WHEN its job is cancelled (or was already) THEN it rejects saying the run goes on, and takes no run after', async () => {
    const waits = new WorkflowRunWaits();
    const controller = new AbortController();
    const pending = wait(waits, { signal: controller.signal });
    controller.abort(new Error('superseded by a newer push'));
    await expect(pending).rejects.toThrow('stopped waiting for "gitops plan ingest-dev in dev @ aaaa');
    await expect(pending).rejects.toThrow('(superseded by a newer push); the run itself is not cancelled');
    expect(waits.completed(run())).toBe(false);
    await expect(wait(waits, { signal: AbortSignal.abort(new Error('gone')) })).rejects.toThrow('(gone)');
    expect(waits.size).toBe(0);
  });
});
