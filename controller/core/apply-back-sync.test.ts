import { readFileSync } from 'node:fs';
import { parseEnvironmentFile } from '../../environments/config.js';
import type { Environment } from '../../environments/schema.js';
import { originOf, unappliedBeforeBackSync } from './apply-back-sync.js';
import type { ApplyRequest } from './apply-run.js';

const uat = parseEnvironmentFile({ file: 'uat.yaml', text: readFileSync('environments/uat.yaml', 'utf8') }).environment as Environment;
const BEFORE = 'b'.repeat(40);
const backSync = { repo: 'acme/infra', branch: 'uat', before: BEFORE, after: 'd'.repeat(40), trunk: 'main', trunkSha: 'a'.repeat(40) };
const request = (over: Partial<ApplyRequest> = {}): ApplyRequest => ({
  owner: 'acme',
  repo: 'infra',
  cloneUrl: 'https://github.example/acme/infra.git',
  environment: uat,
  sha: backSync.after,
  baseSha: BEFORE,
  backSync,
  ...over,
});

describe('unappliedBeforeBackSync', () => {
  test('GIVEN back-sync replaced the commit last deployed WHEN asked THEN it may be applied', () => {
    expect(unappliedBeforeBackSync(request(), { sha: BEFORE })).toBeUndefined();
  });

  test.each([
    ['another commit was deployed last', { sha: 'c'.repeat(40) }, 'ccccccc'],
    ['nothing was ever deployed', undefined, 'none'],
  ])('GIVEN %s WHEN asked THEN the reason names the branch, its old tip and the last deployment', (_what, last, named) => {
    expect(unappliedBeforeBackSync(request(), last)).toBe(
      `back-sync rebased uat from bbbbbbb, which is not the commit last deployed to uat (${named}): its rebase would apply commits never applied there, so nothing is applied`,
    );
  });

  test('GIVEN a merge (no back-sync) WHEN asked THEN this check has nothing to say: the reviewed plan decides', () => {
    expect(unappliedBeforeBackSync(request({ backSync: undefined, pr: 4 }), undefined)).toBeUndefined();
  });
});

describe('originOf', () => {
  test('GIVEN a merged pull request, back-sync, or neither WHEN described THEN each says where the commit came from', () => {
    expect(originOf({ pr: 4 })).toBe(' (#4)');
    expect(originOf({ backSync })).toBe(' (back-sync onto main aaaaaaa)');
    expect(originOf({})).toBe('');
  });
});
