import { renderCheckRunOutput, renderPlanComment } from '../comment/render.js';
import { affectedStacks, diffAttributes, diffStack, diffStacks } from './diff.js';
import type { PlanReport, StackDiff, TerraformJson } from '../core/ports/plan-report.js';

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

describe('secret masking in the synth diff', () => {
  // Each value here would be a secret in a real stack; none of them may reach the comment or the check run.
  const SECRETS = {
    ssm: 'ssm-securestring-old-1f9a',
    ssmNew: 'ssm-securestring-new-77c2',
    keyVault: 'kv-secret-value-0d3e',
    lambdaEnv: 'lambda-env-webhook-8b1c',
    appSetting: 'app-setting-sas-5e6f',
    backupUrl: 'https://backups.blob.core.windows.net/c?sig=sas-4a4a',
    psk: 'vpn-psk-tunnel1-9f0e',
    variableDefault: 'variable-default-2c3d',
    variableDefaultNew: 'variable-default-new-6a7b',
    output: 'output-value-secret-3e4f',
    kmsPlaintext: 'kms-plaintext-7d8e',
    writeOnly: 'db-password-wo-1a2b',
  };
  const stack = (ssmValue: string, variableDefault: string): TerraformJson => ({
    variable: {
      vpn_psk: { type: 'string', sensitive: true, default: variableDefault },
      region: { type: 'string', default: 'eu-west-1' },
    },
    data: { aws_kms_ciphertext: { token: { key_id: 'alias/app', plaintext: SECRETS.kmsPlaintext } } },
    resource: {
      aws_ssm_parameter: { db: { ...meta('s/db'), name: '/app/db-url', type: 'SecureString', value: ssmValue } },
      azurerm_key_vault_secret: { api: { name: 'api-key', key_vault_id: '${azurerm_key_vault.kv.id}', value: SECRETS.keyVault } },
      aws_lambda_function: {
        fn: { function_name: 'orders', environment: { variables: { QUEUE_URL: 'https://sqs/queue', STRIPE_WEBHOOK: SECRETS.lambdaEnv } } },
      },
      azurerm_linux_function_app: {
        app: {
          name: 'payments',
          app_settings: { PAYMENT_ENDPOINT: SECRETS.appSetting },
          backup: [{ name: 'nightly', storage_account_url: SECRETS.backupUrl }],
        },
      },
      aws_vpn_connection: { vpn: { customer_gateway_id: 'cgw-1', tunnel1_preshared_key: SECRETS.psk } },
      aws_db_instance: { db: { identifier: 'orders', password_wo: SECRETS.writeOnly } },
    },
    output: { db_password: { sensitive: true, value: SECRETS.output } },
  });
  const base = stack(SECRETS.ssm, SECRETS.variableDefault);
  const head = stack(SECRETS.ssmNew, SECRETS.variableDefaultNew);

  const report = (diff: StackDiff): PlanReport => ({
    environment: 'dev',
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    stacks: [
      { name: diff.stack, status: diff.status, source: 'synth', synthDiff: diff, unavailableReason: 'providers cannot be installed' },
    ],
    warnings: [],
    startedAt: '2026-03-02T09:14:03.000Z',
    finishedAt: '2026-03-02T09:15:41.000Z',
  });
  const rendered = (diff: StackDiff) => {
    const check = renderCheckRunOutput(report(diff));
    return [renderPlanComment(report(diff)), check.title, check.summary, check.text, JSON.stringify(diff)].join('\n');
  };

  test.each([
    ['a stack that is added', undefined, head],
    ['a stack whose secrets changed', base, head],
    ['a stack that is removed', base, undefined],
  ])('GIVEN %s WHEN its diff is rendered as the comment and the check run THEN no secret value appears in either', (_, b, h) => {
    const text = rendered(diffStack('commerce-dev', b, h));
    for (const [name, value] of Object.entries(SECRETS)) expect({ name, shown: text.includes(value) }).toEqual({ name, shown: false });
  });

  test('GIVEN an added stack WHEN rendered THEN each secret shows as (sensitive) while the names around it stay readable', () => {
    const text = rendered(diffStack('commerce-dev', undefined, head));
    for (const line of [
      'value: (sensitive)',
      'environment.variables.STRIPE_WEBHOOK: (sensitive)',
      'environment.variables.QUEUE_URL: (sensitive)',
      'app_settings.PAYMENT_ENDPOINT: (sensitive)',
      'backup[0].storage_account_url: (sensitive)',
      'tunnel1_preshared_key: (sensitive)',
      'password_wo: (sensitive)',
      'plaintext: (sensitive)',
      'variable.vpn_psk.default: (sensitive)',
    ])
      expect(text).toContain(line);
    expect(text).toContain('name: "/app/db-url"');
    expect(text).toContain('variable.region.default: "eu-west-1"');
    expect(text).toContain('variable.vpn_psk.sensitive: true');
  });

  test('GIVEN a secret whose value changed WHEN diffed THEN it is still listed as a change, masked on both sides', () => {
    const diff = diffStack('commerce-dev', base, head);
    expect(diff.resources.map((r) => [r.address, r.attributes])).toEqual([
      ['aws_ssm_parameter.db', [{ path: 'value', before: '(sensitive)', after: '(sensitive)', sensitive: true, unknownAfter: false }]],
    ]);
    expect(diff.settings).toEqual([
      { path: 'variable.vpn_psk.default', before: '(sensitive)', after: '(sensitive)', sensitive: true, unknownAfter: false },
    ]);
  });

  test('GIVEN a head that drops `sensitive: true` from a variable WHEN diffed THEN its default stays masked and the dropped flag shows', () => {
    const exposed = structuredClone(head) as { variable: { vpn_psk: Record<string, unknown> } };
    delete exposed.variable.vpn_psk.sensitive;
    const diff = diffStack('commerce-dev', base, exposed as TerraformJson);
    expect(diff.settings.map((s) => [s.path, s.before, s.after])).toEqual([
      ['variable.vpn_psk.default', '(sensitive)', '(sensitive)'],
      ['variable.vpn_psk.sensitive', true, undefined],
    ]);
  });

  test('GIVEN a map value masked by attribute WHEN a key is added THEN the key shows as new with its value masked', () => {
    const more = structuredClone(head) as {
      resource: { aws_lambda_function: { fn: { environment: { variables: Record<string, string> } } } };
    };
    more.resource.aws_lambda_function.fn.environment.variables.API_SIGNING = 'new-signing-value';
    const lambda = diffStack('commerce-dev', head, more as TerraformJson).resources[0];
    expect(lambda.attributes).toEqual([
      { path: 'environment.variables.API_SIGNING', before: undefined, after: '(sensitive)', sensitive: true, unknownAfter: false },
    ]);
  });
});
