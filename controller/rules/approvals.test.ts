import { readFileSync } from 'node:fs';
import type { Review } from '../core/ports/github.js';
import { evaluateApprovals, latestReviews, ownerRequirements, type ApprovalsInput } from './approvals.js';

const CODEOWNERS = readFileSync(new URL('../../CODEOWNERS', import.meta.url), 'utf8');
const HEAD = 'a'.repeat(40);
const OLD = 'b'.repeat(40);
const approve = (user: string, at: string, commitId = HEAD): Review => ({ user, state: 'APPROVED', commitId, submittedAt: at });
const review = (user: string, state: Review['state'], at: string): Review => ({ user, state, commitId: HEAD, submittedAt: at });

/** A release into main that touches the prod environment file (owners: @acme/platform-leads, @acme/security). */
const prodRelease = (over: Partial<ApprovalsInput> = {}): ApprovalsInput => ({
  requiredApprovals: 1,
  codeowners: CODEOWNERS,
  changedFiles: ['environments/prod.yaml'],
  reviews: [],
  permissions: {},
  teamMembers: { '@acme/platform-leads': ['lena'], '@acme/security': ['sam'] },
  headSha: HEAD,
  author: 'alice',
  ...over,
});

describe('evaluateApprovals', () => {
  test('GIVEN a code owner with write access approving the head WHEN evaluated THEN it is satisfied', () => {
    const r = evaluateApprovals(prodRelease({ reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions: { sam: 'write' } }));
    expect(r).toMatchObject({ satisfied: true, approvedBy: ['sam'], missing: [], notCounted: [] });
    expect(r.owners).toEqual([
      { owners: ['@acme/platform-leads', '@acme/security'], files: ['environments/prod.yaml'], approvedBy: 'sam', unknownTeams: [] },
    ]);
    expect(r.summary).toBe('Approved: 1 of 1 required approval on aaaaaaa, code owners 1 of 1 approved.');
  });

  test('GIVEN an approval by someone outside the owning teams WHEN evaluated THEN the count is met but the code owners are still needed', () => {
    const r = evaluateApprovals(prodRelease({ reviews: [approve('bob', '2025-01-01T10:00:00Z')], permissions: { bob: 'admin' } }));
    expect(r.satisfied).toBe(false);
    expect(r.approvedBy).toEqual(['bob']);
    expect(r.missing).toEqual(['an approval from `@acme/platform-leads` or `@acme/security` (code owners of `environments/prod.yaml`)']);
  });

  test('GIVEN no team memberships WHEN evaluated THEN a team owner stays needed and the text says membership is unknown', () => {
    const r = evaluateApprovals(
      prodRelease({ teamMembers: undefined, reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions: { sam: 'write' } }),
    );
    expect(r.satisfied).toBe(false);
    expect(r.missing).toEqual([
      'an approval from `@acme/platform-leads` or `@acme/security` (code owners of `environments/prod.yaml`; membership unknown for `@acme/platform-leads`, `@acme/security`)',
    ]);
  });

  test('GIVEN an approval of an older commit WHEN evaluated THEN it does not count and the text says which commit', () => {
    const r = evaluateApprovals(prodRelease({ reviews: [approve('sam', '2025-01-01T10:00:00Z', OLD)], permissions: { sam: 'write' } }));
    expect(r.satisfied).toBe(false);
    expect(r.notCounted).toEqual([{ user: 'sam', why: 'approved an older commit (bbbbbbb); the head is aaaaaaa' }]);
    expect(r.missing[0]).toBe('1 more approval on aaaaaaa from someone with write access (0 of 1)');
  });

  test.each<[string, Review[], boolean]>([
    [
      'approved, then requested changes',
      [approve('sam', '2025-01-01T10:00:00Z'), review('sam', 'CHANGES_REQUESTED', '2025-01-01T11:00:00Z')],
      false,
    ],
    [
      'requested changes, then approved',
      [review('sam', 'CHANGES_REQUESTED', '2025-01-01T10:00:00Z'), approve('sam', '2025-01-01T11:00:00Z')],
      true,
    ],
    ['approved, then commented', [approve('sam', '2025-01-01T10:00:00Z'), review('sam', 'COMMENTED', '2025-01-01T11:00:00Z')], true],
    ['approved, then the approval was dismissed', [review('sam', 'DISMISSED', '2025-01-01T10:00:00Z')], false],
    [
      'a later approval listed first (order by time, not position)',
      [approve('sam', '2025-01-02T00:00:00Z'), review('sam', 'CHANGES_REQUESTED', '2025-01-01T00:00:00Z')],
      true,
    ],
    ['a pending (unsubmitted) approval', [{ user: 'sam', state: 'PENDING', commitId: HEAD }], false],
  ])('GIVEN a reviewer who %s WHEN evaluated THEN satisfied is %s (latest review per user wins)', (_what, reviews, satisfied) => {
    expect(evaluateApprovals(prodRelease({ reviews, permissions: { sam: 'write' } })).satisfied).toBe(satisfied);
  });

  test.each<[string, ApprovalsInput['permissions'], string]>([
    ['read', { sam: 'read' }, 'has read permission (write, maintain or admin needed)'],
    ['triage', { sam: 'triage' }, 'has triage permission (write, maintain or admin needed)'],
    ['none', { sam: 'none' }, 'has none permission (write, maintain or admin needed)'],
    ['unknown', {}, 'permission unknown'],
  ])('GIVEN an approving owner with %s permission WHEN evaluated THEN it does not count', (_p, permissions, why) => {
    const r = evaluateApprovals(prodRelease({ reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions }));
    expect(r.satisfied).toBe(false);
    expect(r.notCounted).toEqual([{ user: 'sam', why }]);
  });

  test.each(['maintain', 'admin', 'write'] as const)('GIVEN an approving owner with %s permission WHEN evaluated THEN it counts', (p) => {
    expect(evaluateApprovals(prodRelease({ reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions: { sam: p } })).satisfied).toBe(
      true,
    );
  });

  test('GIVEN the author among the approvers WHEN evaluated THEN their approval never counts', () => {
    const r = evaluateApprovals(
      prodRelease({ author: 'Sam', reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions: { sam: 'admin' } }),
    );
    expect(r.notCounted).toEqual([{ user: 'sam', why: 'is the author' }]);
  });

  test('GIVEN logins and team names in mixed case WHEN evaluated THEN they match case-insensitively', () => {
    const r = evaluateApprovals(
      prodRelease({
        reviews: [approve('SAM', '2025-01-01T10:00:00Z')],
        permissions: { Sam: 'write' },
        teamMembers: { 'ACME/Security': ['sAm'] },
      }),
    );
    expect(r.satisfied).toBe(true);
  });

  test('GIVEN two required approvals and one WHEN evaluated THEN one more is needed', () => {
    const r = evaluateApprovals(
      prodRelease({ requiredApprovals: 2, reviews: [approve('sam', '2025-01-01T10:00:00Z')], permissions: { sam: 'write' } }),
    );
    expect(r.missing).toEqual(['1 more approval on aaaaaaa from someone with write access (1 of 2)']);
  });

  test('GIVEN files of several owner groups WHEN evaluated THEN each group is its own requirement and the later CODEOWNERS rule wins', () => {
    const r = evaluateApprovals(
      prodRelease({
        changedFiles: ['environments/prod.yaml', 'environments/dev.yaml', 'controller/app.ts', 'README.md'],
        reviews: [approve('sam', '2025-01-01T10:00:00Z')],
        permissions: { sam: 'write' },
      }),
    );
    expect(r.owners.map((o) => [o.owners, o.files, o.approvedBy])).toEqual([
      [['@acme/platform-leads', '@acme/security'], ['environments/prod.yaml'], 'sam'],
      [['@acme/platform-team'], ['environments/dev.yaml', 'README.md'], undefined],
      [['@acme/release-engineering'], ['controller/app.ts'], undefined],
    ]);
    expect(r.missing).toHaveLength(2);
  });

  test('GIVEN a user owner and a path whose rule has no owners WHEN evaluated THEN the user approval satisfies and the unowned path needs nobody', () => {
    const codeowners = '# comment\n*  @dana\n/docs/\n';
    const r = evaluateApprovals(
      prodRelease({
        codeowners,
        changedFiles: ['src/a.ts', 'docs/x.md'],
        reviews: [approve('Dana', '2025-01-01T10:00:00Z')],
        permissions: { dana: 'write' },
      }),
    );
    expect(r.owners).toEqual([{ owners: ['@dana'], files: ['src/a.ts'], approvedBy: 'Dana', unknownTeams: [] }]);
    expect(r.satisfied).toBe(true);
  });

  test('GIVEN an e-mail owner WHEN evaluated THEN nobody can be matched and it stays needed', () => {
    const r = evaluateApprovals(
      prodRelease({
        codeowners: '* ops@example.com\n',
        changedFiles: ['a.ts'],
        reviews: [approve('sam', '2025-01-01T10:00:00Z')],
        permissions: { sam: 'write' },
      }),
    );
    expect(r.missing).toEqual(['an approval from `ops@example.com` (code owners of `a.ts`)']);
  });

  test('GIVEN no CODEOWNERS and no required approvals WHEN evaluated THEN it is satisfied with nobody', () => {
    const r = evaluateApprovals(prodRelease({ requiredApprovals: 0, codeowners: undefined }));
    expect(r).toMatchObject({ satisfied: true, approvedBy: [], missing: [], owners: [] });
    expect(r.summary).toBe('Approved: 0 of 0 required approvals on aaaaaaa, no code owners involved.');
  });

  test('GIVEN many files of one owner WHEN the text is written THEN five are named and the rest counted, and no owner is an @mention outside code', () => {
    const changedFiles = Array.from({ length: 8 }, (_, i) => `controller/f${i}.ts`);
    const r = evaluateApprovals(
      prodRelease({ changedFiles, reviews: [approve('mallory', '2025-01-01T10:00:00Z', OLD)], permissions: { mallory: 'read' } }),
    );
    expect(r.missing[1]).toContain('`controller/f4.ts` and 3 more');
    expect(r.text.replace(/`[^`]*`/g, '')).not.toContain('@');
    expect(r.text).toContain('Still needed:\n- 1 more approval');
    expect(r.text).toContain('Not counted:\n- `mallory`: approved an older commit');
    expect(r.text).toContain('| code owners | files | approved by |');
  });

  test('GIVEN CRLF line endings and a leading slash on a path WHEN evaluated THEN owners still match', () => {
    expect(ownerRequirements('* @a\r\n/docs/ @b\r\n', ['/docs/x.md', ''])).toEqual([{ owners: ['@b'], files: ['docs/x.md'] }]);
  });

  test.each<[Partial<ApprovalsInput>, string]>([
    [{ requiredApprovals: -1 }, 'evaluateApprovals: requiredApprovals must be an integer ≥ 0 (got -1)'],
    [{ requiredApprovals: 1.5 }, 'evaluateApprovals: requiredApprovals must be an integer ≥ 0 (got 1.5)'],
    [{ requiredApprovals: NaN }, 'evaluateApprovals: requiredApprovals must be an integer ≥ 0 (got NaN)'],
    [{ headSha: '' }, `evaluateApprovals: headSha must be the pull request's head commit SHA (got "")`],
  ])('GIVEN the bad input %p WHEN evaluated THEN it throws naming the field and value', (over, message) => {
    expect(() => evaluateApprovals(prodRelease(over))).toThrow(message);
  });
});

describe('latestReviews', () => {
  test('GIVEN reviews of two users with equal times WHEN reduced THEN the later one in the list wins', () => {
    const latest = latestReviews([review('a', 'APPROVED', 't'), review('A', 'CHANGES_REQUESTED', 't'), review('b', 'COMMENTED', 't')]);
    expect([...latest.entries()].map(([u, r]) => [u, r.state])).toEqual([['a', 'CHANGES_REQUESTED']]);
  });
});
