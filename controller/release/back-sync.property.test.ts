// The property of back-sync over random histories of main, uat and dev: after it, every commit that
// was reachable from a branch's old tip and whose patch was not already on main (git patch-id
// --stable) is in the branch's new tip exactly once, and no patch of main is there twice; or the
// branch was left untouched and a conflict with its files reported.
//
// Each commit sets one of four one-line files to a value no other commit writes, so a commit's change
// is on main only when main has a copy of it (a cherry-pick, same patch-id): nothing else can make a
// rebased commit empty. Commits on main touching the file a branch's commit touches make conflicts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { commitsOf, GitHistory, patchIds } from '../../test/fixtures/git-history.js';
import { git } from '../../test/fixtures/test-repo.js';
import { backSync } from './back-sync.js';

const FILES = ['a.txt', 'b.txt', 'c.txt', 'd.txt'] as const;
const BRANCHES = ['uat', 'dev'] as const;

type Step =
  | { readonly kind: 'commit'; readonly branch: 'main' | 'uat' | 'dev'; readonly file: number }
  | { readonly kind: 'pick'; readonly from: 'uat' | 'dev'; readonly index: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('commit' as const), branch: fc.constantFrom('main', 'uat', 'dev'), file: fc.nat(3) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pick' as const), from: fc.constantFrom('uat', 'dev'), index: fc.nat(5) }) },
);

let root: string;
let run = 0;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'back-sync-property-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function build(steps: readonly Step[]): GitHistory {
  const dir = join(root, `run-${++run}`);
  const h = new GitHistory(dir, Object.fromEntries(FILES.map((f) => [f, `${f} initial\n`])));
  steps.forEach((s, i) => {
    if (s.kind === 'commit') h.commit(s.branch, { [FILES[s.file]]: `${s.branch} ${i}\n` }, `${s.branch} ${i} ${FILES[s.file]}`);
    else {
      const own = h.own(s.from);
      if (own.length > 0) h.cherryPick('main', own[s.index % own.length]); // a conflicting pick is left out
    }
  });
  h.push('main', 'uat', 'dev');
  return h;
}

describe('backSync over random histories', () => {
  test('GIVEN random histories of main, uat and dev WHEN back-synced THEN every commit not already on main is kept exactly once, or the branch is untouched and a conflict reported', async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const h = build(steps);
        const old = Object.fromEntries(BRANCHES.map((b) => [b, h.remoteTip(b)]));
        const main = h.remoteTip('main');

        const report = await backSync({ repo: h.url, workDir: join(h.bareDir, '..', 'sync') });

        expect(report.trunkSha).toBe(main);
        for (const result of report.branches) {
          const b = result.branch;
          const tip = h.remoteTip(b);
          expect(result.before).toBe(old[b]);
          seen[result.outcome] = (seen[result.outcome] ?? 0) + 1;
          if (result.outcome === 'conflict') {
            expect(tip).toBe(old[b]);
            expect(result.conflicts.length).toBeGreaterThan(0);
            continue;
          }
          expect(['synced', 'up-to-date']).toContain(result.outcome);
          expect(tip).toBe(result.after);
          expect(git(h.bareDir, 'rev-list', '--count', `${tip}..${main}`)).toBe('0'); // main is in the new tip
          const onMain = patchIds(h.bareDir, `${old[b]}..${main}`);
          const wanted = [...patchIds(h.bareDir, `${main}..${old[b]}`).keys()].filter((id) => !onMain.has(id));
          const now = commitsOf(h.bareDir, `${main}..${tip}`);
          const nowIds = patchIds(h.bareDir, `${main}..${tip}`);
          expect([...nowIds.keys()].sort()).toEqual([...wanted].sort()); // each kept patch once, none of main's again
          expect(now).toHaveLength(wanted.length);
          if (wanted.length < commitsOf(h.bareDir, `${main}..${old[b]}`).length) seen.dropped = (seen.dropped ?? 0) + 1;
        }
      }),
      {
        numRuns: 20,
        // always among the runs: a dev commit copied onto main (dropped on rebase), and a conflict
        examples: [
          [
            [
              { kind: 'commit', branch: 'dev', file: 0 },
              { kind: 'pick', from: 'dev', index: 0 },
              { kind: 'commit', branch: 'main', file: 1 },
            ],
          ],
          [
            [
              { kind: 'commit', branch: 'uat', file: 2 },
              { kind: 'commit', branch: 'main', file: 2 },
            ],
          ],
        ],
      },
    );
    // the runs covered each case the property speaks of
    expect(seen).toEqual(
      expect.objectContaining({ synced: expect.any(Number), conflict: expect.any(Number), dropped: expect.any(Number) }),
    );
    // 20 histories, each several real clones, rebases and pushes: over 120 s on a 2-core CI machine
  }, 600_000);
});
