import { JobQueue, SupersededError, type JobSpec } from './job-queue.js';

/** A job that waits until released, recording what happened to it. */
function gatedJob(key: string, label: string, log: string[], group?: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let seenSignal: AbortSignal | undefined;
  const spec: JobSpec = {
    key,
    label,
    supersedeGroup: group,
    async run(signal) {
      seenSignal = signal;
      log.push(`start ${label}${signal.aborted ? ' (aborted)' : ''}`);
      if (!signal.aborted) await Promise.race([gate, new Promise((r) => signal.addEventListener('abort', r))]);
      log.push(`end ${label}${signal.aborted ? ` (${(signal.reason as Error).message})` : ''}`);
    },
  };
  return { spec, release: () => release(), signal: () => seenSignal };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('JobQueue', () => {
  test('GIVEN two jobs for the same pull request WHEN both are queued THEN the second starts only after the first ends', async () => {
    const log: string[] = [];
    const q = new JobQueue({ concurrency: 4 });
    const a = gatedJob('repo#1', 'a', log);
    const b = gatedJob('repo#1', 'b', log);
    q.enqueue(a.spec);
    q.enqueue(b.spec);
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    await tick();
    expect(log).toEqual(['start a', 'end a', 'start b']);
    b.release();
    await q.onIdle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  test('GIVEN jobs for different pull requests WHEN queued THEN they run in parallel up to the concurrency', async () => {
    const log: string[] = [];
    const q = new JobQueue({ concurrency: 2 });
    const jobs = ['1', '2', '3'].map((n) => gatedJob(`repo#${n}`, n, log));
    jobs.forEach((j) => q.enqueue(j.spec));
    await tick();
    expect(log).toEqual(['start 1', 'start 2']);
    expect(q.size).toBe(3);
    jobs[0].release();
    await tick();
    expect(log).toContain('start 3');
    jobs.forEach((j) => j.release());
    await q.onIdle();
    expect(q.size).toBe(0);
  });

  test('GIVEN a running plan WHEN a newer plan of the same group is queued THEN the running one is aborted with SupersededError naming the newer', async () => {
    const log: string[] = [];
    const q = new JobQueue();
    const old = gatedJob('repo#1', 'plan aaa', log, 'plan');
    const newer = gatedJob('repo#1', 'plan bbb', log, 'plan');
    q.enqueue(old.spec);
    await tick();
    q.enqueue(newer.spec);
    await tick();
    expect(old.signal()?.reason).toBeInstanceOf(SupersededError);
    expect((old.signal()?.reason as SupersededError).by).toBe('plan bbb');
    newer.release();
    await q.onIdle();
    expect(log).toEqual(['start plan aaa', 'end plan aaa (superseded by plan bbb)', 'start plan bbb', 'end plan bbb']);
  });

  test('GIVEN a queued plan that has not started WHEN a newer plan arrives THEN the older still runs, with an already aborted signal', async () => {
    const log: string[] = [];
    const q = new JobQueue();
    const blocker = gatedJob('repo#1', 'approvals', log);
    const old = gatedJob('repo#1', 'plan aaa', log, 'plan');
    const newer = gatedJob('repo#1', 'plan bbb', log, 'plan');
    [blocker, old, newer].forEach((j) => q.enqueue(j.spec));
    await tick();
    expect(blocker.signal()?.aborted).toBe(false);
    blocker.release();
    newer.release();
    await q.onIdle();
    expect(log).toEqual([
      'start approvals',
      'end approvals',
      'start plan aaa (aborted)',
      'end plan aaa (superseded by plan bbb)',
      'start plan bbb',
      'end plan bbb',
    ]);
  });

  test('GIVEN jobs of another group or another key WHEN a plan is queued THEN they are not aborted', async () => {
    const log: string[] = [];
    const q = new JobQueue();
    const approvals = gatedJob('repo#1', 'approvals', log, 'approvals');
    const otherPr = gatedJob('repo#2', 'plan ccc', log, 'plan');
    const plan = gatedJob('repo#1', 'plan bbb', log, 'plan');
    [approvals, otherPr, plan].forEach((j) => q.enqueue(j.spec));
    await tick();
    expect(approvals.signal()?.aborted).toBe(false);
    expect(otherPr.signal()?.aborted).toBe(false);
    [approvals, otherPr, plan].forEach((j) => j.release());
    await q.onIdle();
  });

  test('GIVEN a job that throws WHEN it runs THEN onError gets the error and the next job of the key still runs', async () => {
    const errors: string[] = [];
    const q = new JobQueue({ onError: (e, job) => errors.push(`${job.label}: ${(e as Error).message}`) });
    let ran = false;
    q.enqueue({ key: 'k', label: 'boom', run: () => Promise.reject(new Error('kaput')) });
    await q.enqueue({ key: 'k', label: 'next', run: async () => void (ran = true) });
    expect(errors).toEqual(['boom: kaput']);
    expect(ran).toBe(true);
  });

  test('GIVEN a closed queue WHEN a job is queued THEN it is refused with the job label', async () => {
    const q = new JobQueue();
    await q.close();
    expect(() => q.enqueue({ key: 'k', label: 'plan x', run: async () => undefined })).toThrow('JobQueue: closed; cannot accept "plan x"');
  });

  test('GIVEN running jobs WHEN the queue closes THEN they are aborted and close waits for them', async () => {
    const log: string[] = [];
    const q = new JobQueue();
    q.enqueue(gatedJob('k', 'long', log).spec);
    await tick();
    await q.close();
    expect(log).toEqual(['start long', 'end long (controller shutting down)']);
  });

  test.each([0, -1, 1.5])('GIVEN concurrency %p WHEN constructing THEN it throws naming the value', (c) => {
    expect(() => new JobQueue({ concurrency: c })).toThrow(`concurrency must be a whole number of at least 1 (got ${c})`);
  });
});
