// The synthesized stacks as the runner receives them: every Lambda function and every Function App
// deploys a zip inside its own stack directory (the runner copies nothing else), that zip is the code
// the handler (or function.json) names, and it loads and answers with the runtime's SDK standing in.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { isAbsolute, join, normalize, resolve } from 'node:path';

import { PACKAGE_CACHE_DIR } from '../modules/core/function-package.js';

const nodeRequire = createRequire(import.meta.url);

const env = { ...process.env, GITOPS_COMMIT_SHA: 'abcdef0123456789abcdef0123456789abcdef01', CHECKPOINT_DISABLE: '1' };
delete (env as Record<string, string | undefined>).NODE_OPTIONS;

type Json = Record<string, unknown>;
interface Deployed {
  stack: string;
  stackDir: string;
  name: string;
  fn: Json;
}

/** Every string value under `value`, with the attribute name it sits under. */
function* strings(value: unknown, key = ''): Generator<[string, string]> {
  if (typeof value === 'string') yield [key, value];
  else if (Array.isArray(value)) for (const v of value) yield* strings(v, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, k);
}

/** Loads a CommonJS bundle as Lambda would, `sdk` answering the `@aws-sdk/*` requires. */
function load(code: string, sdk: (module: string) => unknown): Json {
  const module = { exports: {} as Json };
  const requireInBundle = (id: string) => (id.startsWith('@aws-sdk/') ? sdk(id) : (nodeRequire(id) as unknown));
  new Function('module', 'exports', 'require', code)(module, module.exports, requireInBundle);
  return module.exports;
}

/** An SDK module whose every export is a client or command class; clients answer with `reply(command)`. */
function fakeSdk(reply: (command: { name: string; input: Json }) => unknown): (module: string) => unknown {
  return () =>
    new Proxy(
      {},
      {
        get: (_, name: string) =>
          name.endsWith('Client')
            ? class {
                send = async (command: { name: string; input: Json }) => reply(command);
              }
            : class {
                readonly name = name;
                constructor(readonly input: Json) {}
              },
      },
    );
}

describe('function assets in the synthesized stacks', () => {
  const out = mkdtempSync(join(tmpdir(), 'gitops-function-assets-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  let deployed: Deployed[] = [];
  let apps: Deployed[] = [];
  const blobs: Record<string, Json> = {};
  const unzip = (d: Deployed, file: string) =>
    execFileSync('unzip', ['-p', join(d.stackDir, d.fn.filename as string), file], { encoding: 'utf8' });
  const codeOf = (stack: string, name: string) => {
    const d = deployed.find((x) => x.stack === stack && (x.fn.function_name as string).endsWith(name))!;
    return unzip(d, `${(d.fn.handler as string).split('.')[0]}.js`);
  };

  beforeAll(() => {
    execFileSync('node', ['bin/gitops.mjs', 'synth', '--skip-policy', '--out', out], { env, stdio: 'pipe' });
    const stacks = join(out, 'stacks');
    deployed = readdirSync(stacks).flatMap((stack) => {
      const json = JSON.parse(readFileSync(join(stacks, stack, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, Json>>;
      };
      return Object.entries(json.resource?.aws_lambda_function ?? {}).map(([name, fn]) => ({
        stack,
        stackDir: join(stacks, stack),
        name,
        fn,
      }));
    });
    apps = readdirSync(stacks).flatMap((stack) => {
      const json = JSON.parse(readFileSync(join(stacks, stack, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, Json>>;
      };
      for (const [name, blob] of Object.entries(json.resource?.azurerm_storage_blob ?? {})) blobs[`${stack}/${name}`] = blob;
      const linux = Object.entries(json.resource?.azurerm_linux_function_app ?? {});
      const flex = Object.entries(json.resource?.azurerm_function_app_flex_consumption ?? {});
      return [...linux, ...flex].map(([name, fn]) => ({ stack, stackDir: join(stacks, stack), name, fn }));
    });
  }, 240_000);

  /** The zip a Function App runs: the storage blob its WEBSITE_RUN_FROM_PACKAGE names, or its zip_deploy_file. */
  const packageOf = (app: Deployed): { file: string; blob?: Json } => {
    const url = (app.fn.app_settings as Record<string, string> | undefined)?.WEBSITE_RUN_FROM_PACKAGE;
    const blobName = /^\$\{azurerm_storage_blob\.([^.]+)\.url\}$/.exec(url ?? '')?.[1];
    if (blobName === undefined) return { file: app.fn.zip_deploy_file as string };
    const blob = blobs[`${app.stack}/${blobName}`]!;
    return { file: blob.source as string, blob };
  };

  test('GIVEN every stack WHEN its functions are read THEN all 50 deploy an existing zip inside their stack directory with its hash', () => {
    expect(deployed).toHaveLength(50);
    for (const d of deployed) {
      const file = d.fn.filename as string;
      expect({ fn: `${d.stack}/${d.name}`, file }).toEqual({
        fn: `${d.stack}/${d.name}`,
        file: expect.stringMatching(/^assets\/[^/]+\/[0-9a-f]{64}\/[\w-]+\.zip$/),
      });
      const zip = readFileSync(join(d.stackDir, file));
      expect(d.fn.source_code_hash).toBe(createHash('sha256').update(zip).digest('base64'));
      const handlerFile = `${(d.fn.handler as string).split('.')[0]}.js`;
      expect(execFileSync('unzip', ['-Z1', join(d.stackDir, file)], { encoding: 'utf8' }).trim()).toBe(handlerFile);
    }
  });

  test('GIVEN every stack WHEN its Function Apps are read THEN all 16 run a package inside their stack directory, in a blob named by its hash', () => {
    expect(apps).toHaveLength(16);
    for (const app of apps) {
      const { file, blob } = packageOf(app);
      expect({ app: `${app.stack}/${app.name}`, file }).toEqual({
        app: `${app.stack}/${app.name}`,
        file: expect.stringMatching(/^assets\/[^/]+\/[0-9a-f]{64}\/[\w-]+\.zip$/),
      });
      const zip = readFileSync(join(app.stackDir, file));
      expect(blob?.name).toBe(`${createHash('sha256').update(zip).digest('hex')}.zip`);
      expect((app.fn.app_settings as Record<string, string>).WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID).toBe('SystemAssigned');
      const entries = execFileSync('unzip', ['-Z1', join(app.stackDir, file)], { encoding: 'utf8' })
        .trim()
        .split('\n');
      const functions = entries.filter((e) => e.endsWith('/function.json')).map((e) => e.split('/')[0]);
      expect({ app: app.name, functions: functions.length > 1 && functions.includes('health') }).toEqual({
        app: app.name,
        functions: true,
      });
      expect(entries.sort()).toEqual(['host.json', ...functions.flatMap((f) => [`${f}/function.json`, `${f}/index.js`])].sort());
    }
  });

  test('GIVEN each Function App package WHEN its functions are loaded THEN each exports the run its function.json names, triggered once', () => {
    for (const app of apps) {
      const zip = join(app.stackDir, packageOf(app).file);
      const read = (entry: string) => execFileSync('unzip', ['-p', zip, entry], { encoding: 'utf8' });
      const functions = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })
        .split('\n')
        .filter((e) => e.endsWith('/function.json'))
        .map((e) => e.split('/')[0]!);
      for (const fn of functions) {
        const spec = JSON.parse(read(`${fn}/function.json`)) as { entryPoint: string; scriptFile: string; bindings: { type: string }[] };
        const exports = load(read(`${fn}/${spec.scriptFile}`), () => ({}));
        expect({ app: app.name, fn, run: typeof exports[spec.entryPoint] }).toEqual({ app: app.name, fn, run: 'function' });
        expect(spec.bindings.filter((b) => b.type.endsWith('Trigger'))).toHaveLength(1);
      }
    }
  });

  test('GIVEN the commerce backup-service package WHEN a table change arrives THEN the blob and the TableChanges row are set as its outputs', async () => {
    const app = apps.find((a) => a.stack === 'commerce-dev' && (a.fn.name as string).includes('-backup-service-'))!;
    const zip = join(app.stackDir, packageOf(app).file);
    const run = load(execFileSync('unzip', ['-p', zip, 'back-up-change/index.js'], { encoding: 'utf8' }), () => ({})).run as (
      context: unknown,
      message: unknown,
    ) => Promise<void>;
    const context = { bindings: {} as Json, bindingData: { messageId: 'e-1', enqueuedTimeUtc: '2026-12-02T10:00:00Z' } };
    await run(context, { table: 'Products', change: 'REMOVE', keys: { productId: 'mug' }, sequence: '7' });
    expect(context.bindings).toMatchObject({
      backup: '{"table":"Products","change":"REMOVE","keys":{"productId":"mug"},"sequence":"7"}',
      change: { ChangeId: 'e-1', TableName: 'Products', Change: 'REMOVE', Item: null },
    });
  });

  test('GIVEN every stack WHEN its strings are read THEN no file outside the stack directory is referenced', () => {
    const stacks = join(out, 'stacks');
    for (const stack of readdirSync(stacks)) {
      const json = JSON.parse(readFileSync(join(stacks, stack, 'cdk.tf.json'), 'utf8')) as unknown;
      for (const [key, value] of strings(json)) {
        expect({ stack, key, value }).toEqual({ stack, key, value: expect.not.stringContaining(process.cwd()) });
        expect({ stack, key, value }).toEqual({ stack, key, value: expect.not.stringContaining(PACKAGE_CACHE_DIR) });
      }
      // The attributes of resources that name a local file (a provider's `source` is its registry address).
      for (const [key, value] of strings((json as { resource?: unknown }).resource)) {
        if (!['filename', 'source', 'zip_deploy_file'].includes(key)) continue;
        const inside = !isAbsolute(value) && !normalize(value).startsWith('..') && existsSync(resolve(stacks, stack, value));
        expect({ stack, key, value, inside }).toEqual({ stack, key, value, inside: true });
      }
    }
  });

  test('GIVEN each bundle WHEN loaded with the SDK standing in THEN it exports its handler', () => {
    for (const d of deployed) {
      const handlerExport = (d.fn.handler as string).split('.')[1]!;
      const exports = load(
        unzip(d, `${(d.fn.handler as string).split('.')[0]}.js`),
        fakeSdk(() => ({})),
      );
      expect({ fn: d.name, type: typeof exports[handlerExport] }).toEqual({ fn: d.name, type: 'function' });
    }
  });

  test('GIVEN the ingest receiver bundle WHEN a message is posted THEN it sends it to the queue of its environment', async () => {
    const commands: { name: string; input: Json }[] = [];
    const receiver = load(
      codeOf('ingest-dev', '-receiver'),
      fakeSdk((c) => (commands.push(c), { MessageId: 'm-1' })),
    ).handler as (e: unknown) => Promise<Json>;
    const result = await receiver({
      httpMethod: 'POST',
      path: '/v1/messages',
      body: '{"a":1}',
      requestContext: { authorizer: { principalId: 'plant-a' } },
    });
    expect(result).toMatchObject({ statusCode: 202, body: '{"messageId":"m-1"}' });
    expect(commands).toEqual([
      {
        name: 'SendMessageCommand',
        input: { QueueUrl: '', MessageBody: '{"a":1}', MessageAttributes: { source: { DataType: 'String', StringValue: 'plant-a' } } },
      },
    ]);
  });

  test('GIVEN the commerce inventory bundle WHEN stock is adjusted THEN DynamoDB gets a conditional update that cannot go below zero', async () => {
    const commands: { name: string; input: Json }[] = [];
    const inventory = load(
      codeOf('commerce-dev', '-inventory'),
      fakeSdk((c) => (commands.push(c), { Attributes: { productId: { S: 'mug' }, stock: { N: '2' } } })),
    ).handler as (e: unknown) => Promise<Json>;
    const result = await inventory({ httpMethod: 'POST', path: '/v1/inventory/mug/adjust', body: '{"delta":-1}' });
    expect(result).toMatchObject({ statusCode: 200, body: '{"productId":"mug","stock":2}' });
    expect(commands[0]).toMatchObject({
      name: 'UpdateItemCommand',
      input: {
        Key: { productId: { S: 'mug' } },
        UpdateExpression: 'SET #f = #f + :delta',
        ConditionExpression: 'attribute_exists(#k) AND #f >= :floor',
        ExpressionAttributeValues: { ':delta': { N: '-1' }, ':floor': { N: '1' } },
      },
    });
  });
});
