import { join } from 'node:path';
import { gitops, useStoreWorkDir } from '../../test/fixtures/cli-store.js';
import { SqliteStore } from '../store/sqlite-store.js';

const workDir = useStoreWorkDir('gitops-cli-runs-');
beforeEach(async () => {
  const store = new SqliteStore(join(workDir(), 'gitops.sqlite'));
  const dev = await store.recordRun({ repo: 'acme/infra', kind: 'apply', environment: 'dev', stack: 'release-dev', sha: 'a'.repeat(40) });
  await store.finishRun(dev, { status: 'succeeded', logTail: 'Apply complete!' });
  await store.recordRun({ repo: 'acme/infra', kind: 'apply', environment: 'uat', stack: 'release-uat', sha: 'b'.repeat(40) });
  store.close();
});

describe('gitops runs', () => {
  test('GIVEN runs of dev and uat WHEN listed THEN newest first; --env keeps one environment; --json carries the log tail', async () => {
    const all = await gitops('runs');
    expect(all.code).toBe(0);
    expect(all.out.slice(2).map((l) => l.trim().split(/\s+/).slice(1, 7))).toEqual([
      ['acme/infra', 'uat', 'apply', 'release-uat', 'bbbbbbb', 'running'],
      ['acme/infra', 'dev', 'apply', 'release-dev', 'aaaaaaa', 'succeeded'],
    ]);
    const dev = await gitops('runs', '--env', 'dev', '--json');
    expect(JSON.parse(dev.out.join('\n'))).toEqual([
      expect.objectContaining({ environment: 'dev', status: 'succeeded', logTail: 'Apply complete!' }),
    ]);
    expect((await gitops('runs', '--limit', '1')).out).toHaveLength(3);
    expect((await gitops('runs', '--env', 'prod')).out).toEqual(['no runs recorded']);
  });

  test.each([
    [['--env', 'Prod!'], '--env must be an environment name: lowercase letters, digits and -, at most 16 (got "Prod!")'],
    [['--kind', 'destroy'], '--kind must be one of plan, apply (got "destroy")'],
    [['--limit', '0'], '--limit must be a whole number from 1 to 1000 (got "0")'],
    [['--limit', 'ten'], '--limit must be a whole number from 1 to 1000 (got "ten")'],
  ])('GIVEN bad flags %j WHEN run THEN exit 2 with one line naming the flag and what it allows', async (flags, line) => {
    const r = await gitops('runs', ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([expect.stringContaining(line)]);
  });
});
