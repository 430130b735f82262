import { affectedStacks, diffAttributes, diffStack, diffStacks } from './diff.js';
import type { TerraformJson } from '../core/ports/plan-report.js';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.replaceAll('/', '_') } } });

const base: TerraformJson = {
  '//': { metadata: { stackName: 'payments-dev', version: '0.21.0' } },
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: {
    aws_s3_bucket: {
      logs: { ...meta('payments-dev/logs'), bucket: 'logs', tags: { env: 'dev' } },
      old: { ...meta('payments-dev/old'), bucket: 'old' },
    },
    aws_db_instance: { db: { ...meta('payments-dev/db'), instance_class: 'db.t4g.micro', password: 'hunter2' } },
  },
  data: { aws_caller_identity: { me: {} } },
  output: { bucket: { value: '${aws_s3_bucket.logs.bucket}' } },
};

const head: TerraformJson = {
  '//': { metadata: { stackName: 'payments-dev', version: '0.21.1' } },
  provider: { aws: [{ region: 'eu-central-1' }] },
  resource: {
    aws_s3_bucket: {
      logs: { ...meta('payments-dev/moved/logs'), bucket: 'logs', tags: { env: 'dev', team: 'pay' } },
      new: { ...meta('payments-dev/new'), bucket: 'new', versioning: [{ enabled: true }] },
    },
    aws_db_instance: { db: { ...meta('payments-dev/db'), instance_class: 'db.t4g.small', password: 'correct-horse' } },
  },
  data: { aws_caller_identity: { me: {} } },
  output: { bucket: { value: '${aws_s3_bucket.logs.bucket}' }, db: { value: 'x' } },
};

describe('diffStack', () => {
  const diff = diffStack('payments-dev', base, head);

  test('GIVEN resources added, removed and changed WHEN diffed THEN each is listed by type.name with its action, in address order', () => {
    expect(diff.status).toBe('changed');
    expect(diff.resources.map((r) => [r.address, r.action])).toEqual([
      ['aws_db_instance.db', 'update'],
      ['aws_s3_bucket.logs', 'update'],
      ['aws_s3_bucket.new', 'create'],
      ['aws_s3_bucket.old', 'delete'],
    ]);
    expect(diff.resources[2]).toMatchObject({ type: 'aws_s3_bucket', name: 'new' });
  });

  test('GIVEN a changed resource WHEN diffed THEN the attribute paths show before → after and metadata keys are ignored', () => {
    const logs = diff.resources.find((r) => r.address === 'aws_s3_bucket.logs')!;
    expect(logs.attributes).toEqual([{ path: 'tags.team', before: undefined, after: 'pay', sensitive: false, unknownAfter: false }]);
  });

  test('GIVEN a created resource WHEN diffed THEN every attribute is listed as new, list items indexed', () => {
    const created = diff.resources.find((r) => r.address === 'aws_s3_bucket.new')!;
    expect(created.attributes.map((a) => [a.path, a.before, a.after])).toEqual([
      ['bucket', undefined, 'new'],
      ['versioning[0].enabled', undefined, true],
    ]);
  });

  test('GIVEN an attribute whose name looks secret WHEN diffed THEN both values are masked', () => {
    const db = diff.resources.find((r) => r.address === 'aws_db_instance.db')!;
    expect(db.attributes).toEqual([
      { path: 'instance_class', before: 'db.t4g.micro', after: 'db.t4g.small', sensitive: false, unknownAfter: false },
      { path: 'password', before: '(sensitive)', after: '(sensitive)', sensitive: true, unknownAfter: false },
    ]);
    expect(JSON.stringify(diff)).not.toMatch(/hunter2|correct-horse/);
  });

  test('GIVEN outputs and provider settings that changed WHEN diffed THEN they are reported apart from resources', () => {
    expect(diff.outputs).toEqual([{ name: 'db', action: 'create' }]);
    expect(diff.settings.map((s) => [s.path, s.before, s.after])).toEqual([['provider.aws[0].region', 'eu-west-1', 'eu-central-1']]);
  });

  test('GIVEN two documents that differ only in cdktf metadata WHEN diffed THEN the stack is unchanged', () => {
    const moved = JSON.parse(JSON.stringify(base).replaceAll('payments-dev/', 'payments-dev/refactored/')) as TerraformJson;
    expect(diffStack('payments-dev', base, moved)).toEqual({
      stack: 'payments-dev',
      status: 'unchanged',
      resources: [],
      outputs: [],
      settings: [],
    });
  });

  test('GIVEN a stack only at head WHEN diffed THEN it is added and all its resources are created', () => {
    const added = diffStack('payments-dev', undefined, head);
    expect(added.status).toBe('added');
    expect(added.resources.every((r) => r.action === 'create')).toBe(true);
    expect(added.resources.map((r) => r.address)).toContain('data.aws_caller_identity.me');
  });

  test('GIVEN a stack only at base WHEN diffed THEN it is removed and all its resources are deleted without attributes', () => {
    const removed = diffStack('payments-dev', base, undefined);
    expect(removed.status).toBe('removed');
    expect(removed.resources.map((r) => [r.action, r.attributes.length])).toEqual(Array(4).fill(['delete', 0]));
  });

  test('GIVEN malformed blocks (arrays, strings) WHEN diffed THEN they are treated as empty, not thrown on', () => {
    expect(diffStack('x', { resource: 'nope' as unknown }, { resource: [1, 2] as unknown }).status).toBe('unchanged');
  });
});

describe('diffAttributes', () => {
  test('GIVEN an emptied list and a new empty map WHEN diffed THEN their appearance is shown', () => {
    expect(diffAttributes({ a: [1], b: 'x' }, { a: [], b: 'x', c: {} }).map((c) => [c.path, c.before, c.after])).toEqual([
      ['a', undefined, []],
      ['a[0]', 1, undefined],
      ['c', undefined, {}],
    ]);
  });
});

describe('diffStacks and affectedStacks', () => {
  const release = (sha: string): TerraformJson => ({ resource: { terraform_data: { record: { input: { commit_sha: sha } } } } });
  const baseStacks = { 'release-dev': release('aaa'), 'ingest-dev': base, 'agri-dev': base, 'gone-dev': base };
  const headStacks = { 'release-dev': release('bbb'), 'ingest-dev': head, 'agri-dev': base, 'new-dev': head };

  test('GIVEN both sides WHEN diffed THEN every stack of either side appears once, by name', () => {
    expect(diffStacks(baseStacks, headStacks).map((d) => [d.stack, d.status])).toEqual([
      ['agri-dev', 'unchanged'],
      ['gone-dev', 'removed'],
      ['ingest-dev', 'changed'],
      ['new-dev', 'added'],
      ['release-dev', 'changed'],
    ]);
  });

  test('GIVEN the diffs WHEN the affected stacks are chosen THEN unchanged stacks drop out and release-<env> comes last', () => {
    expect(affectedStacks(diffStacks(baseStacks, headStacks), 'dev').map((d) => d.stack)).toEqual([
      'gone-dev',
      'ingest-dev',
      'new-dev',
      'release-dev',
    ]);
  });

  test('GIVEN an unchanged release stack (same commit) WHEN the affected stacks are chosen THEN it is still included', () => {
    const same = { 'release-dev': release('aaa'), 'agri-dev': base };
    expect(affectedStacks(diffStacks(same, same), 'dev').map((d) => [d.stack, d.status])).toEqual([['release-dev', 'unchanged']]);
  });
});
