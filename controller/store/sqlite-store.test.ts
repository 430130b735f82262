import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { LOG_TAIL_LIMIT, type NewPlan } from '../core/ports/store.js';
import { MIGRATIONS } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

let dir: string;
let file: string;
const open: SqliteStore[] = [];
let clock = Date.parse('2025-06-01T12:00:00Z');
const now = () => new Date(clock);
/** A store on the shared file, speaking for controller process `controllerId`. */
function store(controllerId?: string): SqliteStore {
  const s = new SqliteStore(file, { now, controllerId });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-store-'));
  file = join(dir, 'state', 'gitops.sqlite');
  clock = Date.parse('2025-06-01T12:00:00Z');
});
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  rmSync(dir, { recursive: true, force: true });
});

const plan = (over: Partial<NewPlan> = {}): NewPlan => ({
  repo: 'acme/infra',
  pr: 7,
  environment: 'prod',
  headSha: 'h1',
  baseSha: 'b1',
  status: 'running',
  ...over,
});

describe('SqliteStore schema', () => {
  test('GIVEN a path in a missing directory WHEN opened THEN the file is created in WAL mode at the latest schema version', () => {
    const s = store();
    expect(s.schemaVersion).toBe(MIGRATIONS.length);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all();
    raw.close();
    expect(tables).toEqual(['applies', 'deliveries', 'lock_queue', 'plans', 'replies', 'runs', 'sync_pushes']);
  });

  test('GIVEN a file with data WHEN reopened THEN migrations do not run again and the data is still there', () => {
    const first = store();
    first.claimDelivery('d-1', 'pull_request');
    const id = first.savePlan(plan());
    first.close();
    const again = store();
    expect(again.schemaVersion).toBe(MIGRATIONS.length);
    expect(again.claimDelivery('d-1', 'pull_request')).toBe(false);
    expect(again.getPlan(id)?.headSha).toBe('h1');
  });

  test('GIVEN a file from a newer controller WHEN opened THEN it refuses, naming both versions', () => {
    store().close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => store()).toThrow(
      `${file}: schema version ${MIGRATIONS.length + 1} is newer than this controller knows (${MIGRATIONS.length}); upgrade the controller`,
    );
  });

  test('GIVEN a file that is not SQLite WHEN opened THEN it throws', () => {
    const bogus = join(dir, 'not.sqlite');
    writeFileSync(bogus, 'this is not a database, it is plain text that is long enough to be read as a header');
    expect(() => new SqliteStore(bogus)).toThrow(/not a database/);
  });
});

describe('SqliteStore deliveries', () => {
  test('GIVEN a new delivery id WHEN claimed twice THEN only the first claim wins', () => {
    const s = store();
    expect(s.claimDelivery('d-1', 'pull_request')).toBe(true);
    expect(s.claimDelivery('d-1', 'pull_request')).toBe(false);
    expect(s.claimDelivery('d-2', 'issue_comment')).toBe(true);
  });

  test('GIVEN two stores on the same file WHEN both claim the same deliveries THEN each id is won exactly once', () => {
    const a = store();
    const b = store();
    const wins = Array.from({ length: 100 }, (_, i) => [a.claimDelivery(`d-${i}`, 'push'), b.claimDelivery(`d-${i}`, 'push')]);
    expect(wins.every(([x, y]) => x !== y)).toBe(true);
    expect(wins.every(([x]) => x)).toBe(true);
  });

  test('GIVEN two processes racing on one file WHEN both claim the same 1000 ids THEN every id is won by exactly one', async () => {
    const worker = join(dir, 'claim-worker.ts');
    const storeUrl = new URL('./sqlite-store.ts', import.meta.url).href;
    writeFileSync(
      worker,
      `import { SqliteStore } from ${JSON.stringify(storeUrl)};
       const s = new SqliteStore(process.argv[2]);
       const won = [];
       while (Date.now() < Number(process.argv[3])); // both start claiming at the same moment
       for (let i = 0; i < 1000; i++) if (s.claimDelivery('race-' + i, 'push')) won.push(i);
       s.close();
       process.stdout.write(JSON.stringify(won));`,
    );
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    store().close(); // create the schema first, so the race is about claims
    const startAt = String(Date.now() + 2500);
    const run = () =>
      new Promise<number[]>((resolve, reject) => {
        const child = spawn(process.execPath, [tsx, worker, file, startAt], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) =>
          code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const [x, y] = await Promise.all([run(), run()]);
    expect(x.length + y.length).toBe(1000);
    expect(new Set([...x, ...y]).size).toBe(1000);
  });

  test('GIVEN old and new deliveries WHEN pruned THEN only the old ones are forgotten', () => {
    const s = store();
    s.claimDelivery('old', 'push');
    clock += 3 * 24 * 3600_000;
    s.claimDelivery('new', 'push');
    expect(s.pruneDeliveries(new Date(clock - 24 * 3600_000))).toBe(1);
    expect(s.claimDelivery('old', 'push')).toBe(true);
    expect(s.claimDelivery('new', 'push')).toBe(false);
  });

  test('GIVEN deliveries claimed by a controller that stopped WHEN the next one releases abandoned claims THEN only the unfinished ones of other processes are forgotten', async () => {
    const before = store('before');
    before.claimDelivery('finished', 'pull_request.opened');
    await before.finishDelivery('finished');
    before.claimDelivery('abandoned', 'pull_request.synchronize');
    before.close();
    const next = store('next');
    next.claimDelivery('mine', 'issue_comment.created');
    expect(await next.releaseAbandonedDeliveries()).toBe(1);
    expect(next.claimDelivery('abandoned', 'pull_request.synchronize')).toBe(true);
    expect(next.claimDelivery('finished', 'pull_request.opened')).toBe(false);
    expect(next.claimDelivery('mine', 'issue_comment.created')).toBe(false);
    expect(await next.releaseAbandonedDeliveries()).toBe(0);
  });

  test('GIVEN an unknown delivery id WHEN marked done THEN nothing happens (it may have been pruned)', async () => {
    await expect(store().finishDelivery('never-claimed')).resolves.toBeUndefined();
  });

  test.each([
    ['', 'push', 'delivery id must be a non-empty string (got "")'],
    ['d', '  ', 'event must be a non-empty string (got "  ")'],
  ])('GIVEN the delivery %p / event %p WHEN claimed THEN it throws naming the field', (id, event, message) => {
    expect(() => store().claimDelivery(id, event)).toThrow(message);
  });
});

describe('SqliteStore plans', () => {
  test('GIVEN a saved plan WHEN updated and read THEN status, summary and timestamps follow', () => {
    const s = store();
    const id = s.savePlan(plan());
    clock += 60_000;
    s.updatePlan(id, { status: 'planned', summaryJson: '{"add":1}' });
    expect(s.getPlan(id)).toEqual({
      id,
      repo: 'acme/infra',
      pr: 7,
      environment: 'prod',
      headSha: 'h1',
      baseSha: 'b1',
      status: 'planned',
      summaryJson: '{"add":1}',
      installationId: null,
      headRef: null,
      baseRef: null,
      cloneUrl: null,
      author: null,
      planCheckId: null,
      policyCheckId: null,
      reason: null,
      createdAt: '2025-06-01T12:00:00.000Z',
      updatedAt: '2025-06-01T12:01:00.000Z',
    });
    s.updatePlan(id, { status: 'failed' });
    expect(s.getPlan(id)?.summaryJson).toBe('{"add":1}');
  });

  test('GIVEN three plans of one pull request WHEN the newest supersedes THEN the older open ones are superseded, failed ones keep their status', () => {
    const s = store();
    const a = s.savePlan(plan({ headSha: 'h1', status: 'planned' }));
    const b = s.savePlan(plan({ headSha: 'h2', status: 'failed' }));
    const other = s.savePlan(plan({ pr: 8, status: 'planned' }));
    const otherEnv = s.savePlan(plan({ environment: 'uat', status: 'running' }));
    const c = s.savePlan(plan({ headSha: 'h3', status: 'running' }));
    expect(s.supersedePlans('acme/infra', 7, 'prod', c)).toBe(1);
    expect([a, b, other, otherEnv, c].map((id) => s.getPlan(id)?.status)).toEqual([
      'superseded',
      'failed',
      'planned',
      'running',
      'running',
    ]);
    expect(s.latestPlan('acme/infra', 7, 'prod')?.id).toBe(c);
    expect(s.latestPlan('acme/infra', 99, 'prod')).toBeUndefined();
  });

  test.each<[Partial<NewPlan>, string]>([
    [{ status: 'done' as never }, 'plan.status must be one of pending, running, planned, unavailable, failed, superseded (got "done")'],
    [{ pr: 0 }, 'plan.pr must be a positive integer (got 0)'],
    [{ pr: 1.5 }, 'plan.pr must be a positive integer (got 1.5)'],
    [{ repo: '' }, 'plan.repo must be a non-empty string (got "")'],
    [{ headSha: undefined as never }, 'plan.headSha must be a non-empty string (got undefined)'],
  ])('GIVEN the bad plan field %p WHEN saved THEN it throws naming the field, value and allowed values', (over, message) => {
    expect(() => store().savePlan(plan(over))).toThrow(message);
  });

  test('GIVEN an unknown plan id WHEN updated THEN it throws naming the id', () => {
    expect(() => store().updatePlan(404, { status: 'planned' })).toThrow('updatePlan: no plan with id 404');
    expect(() => store().recordPlanChecks(404, { planCheckId: 1 })).toThrow('recordPlanChecks: no plan with id 404');
  });

  test('GIVEN a plan with what recovery needs WHEN its checks are recorded one at a time and it fails THEN the record holds all of it', () => {
    const s = store();
    const id = s.savePlan(
      plan({
        installationId: 42,
        headRef: 'feature/x',
        baseRef: 'dev',
        cloneUrl: 'https://github.example/acme/infra.git',
        author: 'alice',
      }),
    );
    s.recordPlanChecks(id, { planCheckId: 1001 });
    s.recordPlanChecks(id, { policyCheckId: 1002 });
    s.updatePlan(id, { status: 'failed', reason: 'terraform init failed' });
    expect(s.getPlan(id)).toMatchObject({
      installationId: 42,
      headRef: 'feature/x',
      baseRef: 'dev',
      cloneUrl: 'https://github.example/acme/infra.git',
      author: 'alice',
      planCheckId: 1001,
      policyCheckId: 1002,
      status: 'failed',
      reason: 'terraform init failed',
    });
  });

  test.each<[Partial<NewPlan>, string]>([
    [{ installationId: -1 }, 'plan.installationId must be a positive integer (got -1)'],
    [{ headRef: '' }, 'plan.headRef must be a non-empty string (got "")'],
    [{ cloneUrl: ' ' }, 'plan.cloneUrl must be a non-empty string (got " ")'],
  ])('GIVEN the bad recovery field %p WHEN saved THEN it throws naming it', (over, message) => {
    expect(() => store().savePlan(plan(over))).toThrow(message);
  });

  test("GIVEN plans of a stopped controller and of this one WHEN abandoned plans are listed THEN only the other process's pending and running ones come, oldest first", async () => {
    const before = store('before');
    const running = before.savePlan(plan({ status: 'running' }));
    before.savePlan(plan({ pr: 8, status: 'planned' }));
    const pending = before.savePlan(plan({ pr: 9, status: 'pending' }));
    const next = store('next');
    next.savePlan(plan({ pr: 10, status: 'running' }));
    expect((await next.abandonedPlans()).map((p) => p.id)).toEqual([running, pending]);
    expect(await before.abandonedPlans()).toHaveLength(1);
  });

  test("GIVEN plans of several heads WHEN the plans of one head are asked for THEN only that head's plans of the pull request and environment come, oldest first", async () => {
    const s = store();
    const first = s.savePlan(plan({ headSha: 'h1', status: 'failed', reason: 'controller restarted' }));
    s.savePlan(plan({ headSha: 'h2' }));
    s.savePlan(plan({ headSha: 'h1', environment: 'uat' }));
    const second = s.savePlan(plan({ headSha: 'h1' }));
    expect((await s.plansOfHead('acme/infra', 7, 'prod', 'h1')).map((p) => [p.id, p.reason])).toEqual([
      [first, 'controller restarted'],
      [second, null],
    ]);
  });

  test('GIVEN plans of two pull requests WHEN the recent ones are read THEN they come newest first, at most the limit', async () => {
    const s = store();
    s.savePlan(plan({ pr: 1 }));
    s.savePlan(plan({ pr: 2, environment: 'dev' }));
    s.savePlan(plan({ pr: 1, headSha: 'h2' }));
    expect((await s.recentPlans(2)).map((p) => [p.pr, p.headSha])).toEqual([
      [1, 'h2'],
      [2, 'h1'],
    ]);
    await expect(s.recentPlans(-1)).rejects.toThrow('recentPlans limit must be a positive integer (got -1)');
  });
});

describe('SqliteStore reply limits', () => {
  const key = { repo: 'acme/infra', pr: 7, user: 'mallory', kind: 'refused' };
  const HOUR = 3600_000;
  const at = (ms: number) => new Date(Date.parse('2025-06-01T12:00:00Z') + ms);

  test('GIVEN a reply taken WHEN the same person asks again within the window THEN no reply; WHEN the window has passed THEN one more', async () => {
    const s = store();
    expect(await s.takeReply(key, at(0), HOUR)).toBe(true);
    expect(await s.takeReply(key, at(1000), HOUR)).toBe(false);
    expect(await s.takeReply(key, at(HOUR - 1), HOUR)).toBe(false);
    expect(await s.takeReply(key, at(HOUR), HOUR)).toBe(true);
    expect(await s.takeReply(key, at(HOUR + 1000), HOUR)).toBe(false);
  });

  test('GIVEN one person refused WHEN another person, pull request or kind asks THEN each gets its own reply', async () => {
    const s = store();
    await s.takeReply(key, at(0), HOUR);
    expect(await s.takeReply({ ...key, user: 'eve' }, at(1), HOUR)).toBe(true);
    expect(await s.takeReply({ ...key, pr: 8 }, at(2), HOUR)).toBe(true);
    expect(await s.takeReply({ ...key, kind: 'other' }, at(3), HOUR)).toBe(true);
  });

  test('GIVEN two replicas on one file WHEN both take the same reply THEN exactly one gets it', async () => {
    const [a, b] = [store('a'), store('b')];
    const taken = await Promise.all([a.takeReply(key, at(0), HOUR), b.takeReply(key, at(0), HOUR)]);
    expect(taken.sort()).toEqual([false, true]);
  });

  test('GIVEN old and recent replies WHEN pruned THEN only the old ones are forgotten', async () => {
    const s = store();
    await s.takeReply(key, at(0), HOUR);
    await s.takeReply({ ...key, user: 'eve' }, at(2 * HOUR), HOUR);
    expect(s.pruneReplies(at(HOUR))).toBe(1);
    expect(await s.takeReply(key, at(2 * HOUR), HOUR)).toBe(true);
  });

  test.each<[() => Promise<boolean>, string]>([
    [() => store().takeReply({ ...key, user: '' }, at(0), HOUR), 'reply user must be a non-empty string (got "")'],
    [() => store().takeReply({ ...key, pr: 0 }, at(0), HOUR), 'reply pr must be a positive integer (got 0)'],
    [() => store().takeReply(key, at(0), 0), 'reply window must be a positive number of ms (got 0)'],
  ])('GIVEN bad reply input #%# WHEN taken THEN it throws naming the field', async (act, message) => {
    await expect(act()).rejects.toThrow(message);
  });
});

describe('SqliteStore runs', () => {
  test('GIVEN runs of two environments WHEN finished and listed THEN they come newest first, filtered, with the log tail kept', async () => {
    const s = store('ctl-1');
    const r1 = await s.recordRun({ repo: 'acme/infra', kind: 'plan', environment: 'uat', stack: 'release-uat', sha: 's1' });
    clock += 1000;
    const r2 = await s.recordRun({ repo: 'acme/infra', kind: 'apply', environment: 'prod', stack: 'release-prod', sha: 's2', applyId: 3 });
    await s.finishRun(r2, { status: 'failed', logTail: 'x'.repeat(LOG_TAIL_LIMIT + 10) + 'Error: boom' });
    expect((await s.listRuns()).map((r) => r.id)).toEqual([r2, r1]);
    const [prod] = await s.listRuns({ environment: 'prod', kind: 'apply' });
    expect(prod).toMatchObject({
      id: r2,
      status: 'failed',
      startedAt: '2025-06-01T12:00:01.000Z',
      finishedAt: '2025-06-01T12:00:01.000Z',
      applyId: 3,
      startedBy: 'ctl-1',
    });
    expect(prod.logTail).toHaveLength(LOG_TAIL_LIMIT);
    expect(prod.logTail?.endsWith('Error: boom')).toBe(true);
    expect((await s.listRuns({ environment: 'uat' }))[0]).toMatchObject({
      id: r1,
      status: 'running',
      finishedAt: null,
      logTail: null,
      applyId: null,
    });
    expect(await s.listRuns({ limit: 1 })).toHaveLength(1);
    expect(await s.listRuns({ sha: 'nope' })).toEqual([]);
    expect((await s.runsOfApply(3)).map((r) => r.id)).toEqual([r2]);
  });

  test.each<[() => Promise<unknown>, string]>([
    [
      () => store().recordRun({ repo: 'r', kind: 'destroy' as never, environment: 'e', stack: 's', sha: 'x' }),
      'run.kind must be one of plan, apply (got "destroy")',
    ],
    [
      () => store().finishRun(1, { status: 'ok' as never }),
      'run.status must be one of running, succeeded, failed, cancelled, timed_out, unavailable (got "ok")',
    ],
    [() => store().finishRun(12345, { status: 'failed' }), 'finishRun: no run with id 12345'],
    [() => store().listRuns({ limit: 0 }), 'listRuns limit must be a positive integer (got 0)'],
  ])('GIVEN bad run input #%# WHEN stored THEN it throws with the allowed values', async (act, message) => {
    await expect(act()).rejects.toThrow(message);
  });
});
