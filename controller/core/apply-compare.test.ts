import type { PlanReport, ResourceChange, StackReport } from './ports/plan-report.js';
import { changeSet, comparePlans } from './apply-compare.js';

const release = (commit: string, action: ResourceChange['action'] = 'update'): StackReport => ({
  name: 'release-dev',
  status: 'changed',
  source: 'terraform',
  summary: {
    stack: 'release-dev',
    counts: { add: action === 'create' ? 1 : 0, change: action === 'update' ? 1 : 0, replace: 0, destroy: 0, noop: 0, read: 0 },
    hasChanges: true,
    resources: [
      {
        address: 'terraform_data.release_record',
        type: 'terraform_data',
        name: 'release_record',
        action,
        attributes: [
          { path: 'input.commit_sha', before: 'old', after: commit, sensitive: false, unknownAfter: false },
          { path: 'input.version', before: '1.0.0', after: '1.0.0', sensitive: false, unknownAfter: false },
          { path: 'output.commit_sha', before: 'old', sensitive: false, unknownAfter: true },
        ],
      },
    ],
    outputs: [],
  },
});
const bucket = (after: string): StackReport => ({
  name: 'ingest-dev',
  status: 'changed',
  source: 'terraform',
  summary: {
    stack: 'ingest-dev',
    counts: { add: 0, change: 1, replace: 0, destroy: 0, noop: 0, read: 0 },
    hasChanges: true,
    resources: [
      {
        address: 'aws_s3_bucket.b',
        type: 'aws_s3_bucket',
        name: 'b',
        action: 'update',
        attributes: [{ path: 'tags.owner', before: 'a', after, sensitive: false, unknownAfter: false }],
      },
    ],
    outputs: [{ name: 'url', action: 'update' }],
  },
});
const report = (...stacks: StackReport[]): PlanReport => ({
  environment: 'dev',
  headSha: 'h',
  baseSha: 'b',
  stacks,
  warnings: [],
  startedAt: '',
  finishedAt: '',
});

describe('comparePlans', () => {
  test('GIVEN the reviewed head and the merge commit WHEN only the release stack’s commit differs THEN the plans are equal', () => {
    expect(comparePlans(report(release('a'.repeat(40)), bucket('b')), report(release('c'.repeat(40)), bucket('b')))).toEqual({
      equal: true,
      differences: [],
    });
  });

  test('GIVEN a release stack that was updated in review and is created now WHEN compared THEN it differs, naming both actions', () => {
    const result = comparePlans(report(release('a')), report(release('c', 'create')));
    expect(result.equal).toBe(false);
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0].stack).toBe('release-dev');
    expect(result.differences[0].onlyReviewed).toContain('update terraform_data.release_record');
    expect(result.differences[0].onlyNow).toContain('create terraform_data.release_record');
  });

  test('GIVEN an attribute value of another stack that changed WHEN compared THEN that line differs on both sides', () => {
    const { differences } = comparePlans(report(bucket('b')), report(bucket('c')));
    expect(differences).toEqual([
      {
        stack: 'ingest-dev',
        onlyReviewed: ['update aws_s3_bucket.b tags.owner: "a" → "b"'],
        onlyNow: ['update aws_s3_bucket.b tags.owner: "a" → "c"'],
      },
    ]);
  });

  test('GIVEN a stack the re-plan adds, or one that now changes nothing WHEN compared THEN the one with changes differs and the no-op one is left out', () => {
    const noop: StackReport = { ...bucket('b'), summary: { ...bucket('b').summary!, hasChanges: false } };
    expect(changeSet(report(noop)).size).toBe(0);
    expect(comparePlans(report(release('a')), report(release('a'), noop)).equal).toBe(true);
    expect(comparePlans(report(release('a')), report(release('a'), bucket('b'))).differences.map((d) => d.stack)).toEqual(['ingest-dev']);
  });

  test('GIVEN stacks without a terraform plan WHEN compared THEN their configuration diffs are compared', () => {
    const synth = (address: string): StackReport => ({
      name: 'ingest-dev',
      status: 'changed',
      source: 'synth',
      unavailableReason: 'offline',
      synthDiff: {
        stack: 'ingest-dev',
        status: 'changed',
        resources: [{ address, type: 't', name: 'n', action: 'update', attributes: [] }],
        outputs: [],
        settings: [],
      },
    });
    expect(comparePlans(report(synth('a.b')), report(synth('a.b'))).equal).toBe(true);
    expect(comparePlans(report(synth('a.b')), report(synth('a.c'))).equal).toBe(false);
  });
});
