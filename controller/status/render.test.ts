import { expectGolden } from '../../test/fixtures/golden.js';
import { ENVIRONMENTS, fillReleaseCycle, HOSTILE_REASON } from '../../test/fixtures/status-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { renderStatusPage } from './render.js';
import { readStatus, type StatusView } from './view.js';

const GOLDEN_DIR = 'controller/status/__golden__';

async function releaseCycleView(): Promise<StatusView> {
  let clock = Date.parse('2026-12-02T09:00:00Z');
  const store = new SqliteStore(':memory:', { now: () => new Date(clock) });
  try {
    await fillReleaseCycle(store, (ms) => (clock += ms));
    return await readStatus({ store, environments: () => ENVIRONMENTS, now: () => new Date(clock) });
  } finally {
    store.close();
  }
}

const empty: StatusView = {
  generatedAt: '2026-12-02 09:00 UTC',
  environments: [],
  promotions: [],
  locks: [],
  runs: [],
  stackRuns: [],
  problems: [],
};

describe('renderStatusPage', () => {
  test('GIVEN a release cycle WHEN rendered THEN the page is the golden file', async () => {
    expectGolden('release-cycle.html', renderStatusPage(await releaseCycleView()), GOLDEN_DIR);
  });

  test('GIVEN nothing recorded WHEN rendered THEN each section says it is empty', () => {
    const page = renderStatusPage(empty);
    for (const line of [
      'No environment known yet.',
      'No environment is locked.',
      'No plan or apply has run yet.',
      'No stack has been applied yet.',
    ])
      expect(page).toContain(line);
  });

  test('GIVEN markup and quotes in every text WHEN rendered THEN all of it is escaped and no link leaves http(s)', () => {
    const evil = `"><script>alert('x')</script>`;
    const page = renderStatusPage({
      ...empty,
      environments: [
        { repo: evil, environment: evil, branch: evil, commit: { text: evil, href: 'javascript:alert(1)' }, author: evil, mergedBy: evil },
      ],
      locks: [
        {
          repo: evil,
          environment: evil,
          state: 'held',
          holder: evil,
          since: evil,
          pr: { text: evil, href: `https://x/"onmouseover="alert(1)` },
        },
      ],
      runs: [
        {
          kind: 'apply',
          repo: evil,
          environment: evil,
          commit: { text: evil },
          status: evil,
          startedAt: evil,
          duration: evil,
          reason: HOSTILE_REASON,
        },
      ],
      problems: [evil],
    });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('"onmouseover');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
    expect(page).toContain('<a href="https://x/%22onmouseover=%22alert%281%29">');
  });

  test('GIVEN any view WHEN rendered THEN the page sets a phone viewport', () => {
    expect(renderStatusPage(empty)).toContain('<meta name="viewport" content="width=device-width, initial-scale=1" />');
  });
});
