import type { LockRecord } from '../core/ports/store.js';
import { applySection, applySectionMarkers, planDiffersComment, withApplySection } from './apply.js';

const ticket = (over: Partial<LockRecord>): LockRecord => ({
  id: 1,
  repo: 'acme/infra',
  environment: 'dev',
  holder: 'acme/infra#3',
  pr: 3,
  sha: 'a'.repeat(40),
  owner: 'ctl',
  state: 'held',
  enqueuedAt: '2025-06-01T12:00:00.000Z',
  acquiredAt: '2025-06-01T12:00:00.000Z',
  leaseExpiresAt: '2025-06-01T12:05:00.000Z',
  ...over,
});

describe('apply comment templates', () => {
  test('GIVEN a holder and a waiter WHEN the deployment section is rendered THEN it names the phase and the queue in order, escaped', () => {
    const text = applySection({
      environment: 'dev',
      sha: 'b'.repeat(40),
      phase: 'waiting',
      detail: '1 ahead in the dev queue.',
      queue: [ticket({}), ticket({ id: 2, holder: 'acme/infra#4 <b>', state: 'waiting', acquiredAt: null })],
      checkRunUrl: 'https://github.example/acme/infra/runs/9',
    });
    expect(text.startsWith(applySectionMarkers('dev').start)).toBe(true);
    expect(text).toContain(
      '### Deployment to <code>dev</code> of <code>bbbbbbb</code>: ⏳ waiting for the lock ([apply log](https://github.example/acme/infra/runs/9))',
    );
    expect(text).toContain('- 🔒 held by <code>acme/infra#3</code> at <code>aaaaaaa</code>');
    expect(text).toContain('- 1. waiting: <code>acme/infra#4 &lt;b&gt;</code>');
  });

  test('GIVEN a sticky comment WHEN a section is put in twice THEN it is appended once and then replaced in place', () => {
    const first = withApplySection('plan', 'dev', applySection({ environment: 'dev', sha: 'b'.repeat(40), phase: 'waiting', queue: [] }));
    const second = withApplySection(first, 'dev', applySection({ environment: 'dev', sha: 'b'.repeat(40), phase: 'applied', queue: [] }));
    expect(second.startsWith('plan\n\n')).toBe(true);
    expect(second.split(applySectionMarkers('dev').start)).toHaveLength(2);
    expect(second).toContain('✅ applied');
    expect(second).not.toContain('waiting for the lock');
    expect(second).toContain('The lock is free.');
  });

  test('GIVEN differences WHEN the comment is written THEN removed and added lines are shown as a diff, and a fence in a line cannot close it', () => {
    const body = planDiffersComment({
      environment: 'dev',
      sha: 'c'.repeat(40),
      reviewedSha: 'a'.repeat(40),
      differences: [{ stack: 'release-dev', onlyReviewed: ['update x'], onlyNow: ['create x ```'] }],
    });
    expect(body).toContain('differs from the plan reviewed on this pull request (of <code>aaaaaaa</code>)');
    expect(body).toContain("```diff\n- update x\n+ create x '''\n```");
    expect(body).toContain('`/apply`');
  });
});
