import { SqliteStore } from '../store/sqlite-store.js';
import { CLONE_URL, ENVIRONMENTS, fillReleaseCycle, HOSTILE_REASON, sha } from '../../test/fixtures/status-store.js';
import { formatDuration, readStatus, type StatusSources } from './view.js';

const START = Date.parse('2026-12-02T09:00:00Z');
let clock = START;
let store: SqliteStore;

beforeEach(async () => {
  clock = START;
  store = new SqliteStore(':memory:', { now: () => new Date(clock) });
  await fillReleaseCycle(store, (ms) => (clock += ms));
});
afterEach(() => store.close());

const read = (over: Partial<StatusSources> = {}) =>
  readStatus({ store, environments: () => ENVIRONMENTS, now: () => new Date(clock + 10_000), ...over });
const web = CLONE_URL.replace(/\.git$/, '');

describe('readStatus', () => {
  test('GIVEN a release cycle in the store WHEN read THEN each environment shows its deployed commit, time, pull request, author, who merged and check', async () => {
    const view = await read();
    expect(
      view.environments.map((e) => [e.environment, e.branch, e.commit?.text, e.pr?.text, e.author, e.mergedBy, e.check?.href]),
    ).toEqual([
      ['dev', 'dev', 'bbbbbbb', '#11', 'alice', 'dana', `${web}/runs/1110`],
      ['uat', 'uat', '1111111', '#14', 'carol', 'ursula', `${web}/runs/1410`],
      ['prod', 'main', 'eeeeeee', '#13', 'bob', 'priya', `${web}/runs/1310`],
    ]);
    expect(view.environments[2]).toMatchObject({
      commit: { href: `${web}/commit/${sha('e')}` },
      pr: { href: `${web}/pull/13` },
      at: '2026-12-02 09:06 UTC',
    });
    expect(view.problems).toEqual([]);
  });

  test('GIVEN uat applied a release after prod last deployed WHEN read THEN that apply is the pending promotion uat → prod', async () => {
    const view = await read();
    expect(view.promotions).toEqual([
      {
        repo: 'acme/infra',
        from: 'uat',
        to: 'prod',
        pending: [
          {
            commit: { text: '1111111', href: `${web}/commit/${sha('1')}` },
            pr: { text: '#14', href: `${web}/pull/14` },
            headRef: 'release/2026.13',
            at: '2026-12-02 09:08 UTC',
          },
        ],
      },
    ]);
  });

  test('GIVEN a held lock and a waiter WHEN read THEN both come, the holder first, with their pull requests', async () => {
    const view = await read();
    expect(view.locks.map((l) => [l.environment, l.state, l.holder, l.pr?.href, l.commit?.text])).toEqual([
      ['prod', 'held', 'acme/infra#16', `${web}/pull/16`, '4444444'],
      ['prod', 'waiting', 'acme/infra#17', `${web}/pull/17`, '5555555'],
    ]);
  });

  test('GIVEN plans and applies WHEN read THEN runs come newest first with outcome, duration, check link and reason; stack runs with theirs', async () => {
    const view = await read({ limit: 4 });
    expect(view.runs.map((r) => [r.kind, r.environment, r.pr?.text, r.status, r.duration, r.check?.text, r.reason])).toEqual([
      ['apply', 'dev', '#15', 'failed', '1m 05s', 'gitops/apply/dev', HOSTILE_REASON],
      ['plan', 'dev', '#15', 'planned', '42s', 'gitops/plan/dev', undefined],
      ['apply', 'uat', '#14', 'succeeded', '1m 05s', 'gitops/apply/uat', undefined],
      ['plan', 'uat', '#14', 'planned', '42s', 'gitops/plan/uat', undefined],
    ]);
    expect(view.stackRuns.map((r) => [r.stack, r.status, r.duration])).toEqual([
      ['release-prod', 'succeeded', '30s'],
      ['network-prod', 'succeeded', '30s'],
    ]);
  });

  test('GIVEN an apply still running WHEN read THEN its duration says so, counted to now', async () => {
    const id = await store.saveApply({ repo: 'acme/infra', environment: 'dev', sha: sha('6'), baseSha: sha('0') });
    const view = await read();
    expect(view.runs[0]).toMatchObject({ kind: 'apply', status: 'queued', duration: 'running 10s', pr: undefined, check: undefined });
    expect(id).toBeGreaterThan(0);
  });

  test('GIVEN environment files that cannot be read WHEN read THEN the problem is one line and the store is still shown', async () => {
    const view = await read({
      environments: () => {
        throw new Error('prod.yaml:4: branch: must be a branch name\nsecond line');
      },
    });
    expect(view.problems).toEqual([
      'environment files could not be read, promotions are not shown: prod.yaml:4: branch: must be a branch name',
    ]);
    expect(view.promotions).toEqual([]);
    expect(view.environments.map((e) => [e.environment, e.branch])).toEqual([
      ['dev', null],
      ['prod', null],
      ['uat', null],
    ]);
  });

  test('GIVEN an empty store WHEN read THEN each environment of the files is listed as never deployed and nothing else', async () => {
    const empty = new SqliteStore(':memory:');
    try {
      const view = await readStatus({ store: empty, environments: () => ENVIRONMENTS });
      expect(view.environments.map((e) => [e.repo, e.environment, e.commit])).toEqual([
        [null, 'dev', undefined],
        [null, 'uat', undefined],
        [null, 'prod', undefined],
      ]);
      expect([view.promotions, view.locks, view.runs, view.stackRuns]).toEqual([[], [], [], []]);
    } finally {
      empty.close();
    }
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0s'],
    [59_400, '59s'],
    [65_000, '1m 05s'],
    [3_725_000, '1h 02m'],
    [-5, '0s'],
  ])('GIVEN %d ms THEN %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
