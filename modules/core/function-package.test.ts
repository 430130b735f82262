import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionPackage, PACKAGE_CACHE_DIR } from './function-package.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A repository of its own with an entry that imports a helper, an npm-style package and the AWS SDK. */
function repository(greeting = 'hello'): { root: string; entry: string } {
  const root = mkdtempSync(join(tmpdir(), 'function-package-test-'));
  dirs.push(root);
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
  mkdirSync(join(root, 'fn'));
  writeFileSync(join(root, 'fn', 'greeting.ts'), `export const greeting = (who: string): string => \`${greeting} \${who}\`;\n`);
  writeFileSync(
    join(root, 'fn', 'index.ts'),
    [
      "import { SQSClient } from '@aws-sdk/client-sqs';",
      "import { greeting } from './greeting.js';",
      'export const client = SQSClient;',
      'export const handler = async (event: { who: string }) => greeting(event.who);',
    ].join('\n'),
  );
  return { root, entry: join(root, 'fn', 'index.ts') };
}

const build = (entry: string, name = 'greeter') =>
  functionPackage({ name, files: { 'index.js': { bundle: entry } }, external: ['@aws-sdk/*'] });

describe('functionPackage', () => {
  test('GIVEN an entry WHEN packaged THEN the zip holds one CommonJS bundle: helpers inlined, the SDK left to the runtime', () => {
    const built = build(repository().entry);
    expect(built.path).toBe(join(PACKAGE_CACHE_DIR, built.hash, 'greeter.zip'));
    const zip = readFileSync(built.path);
    expect(built.hash).toBe(createHash('sha256').update(zip).digest('hex'));
    expect(built.sha256Base64).toBe(createHash('sha256').update(zip).digest('base64'));
    const code = execFileSync('unzip', ['-p', built.path, 'index.js'], { encoding: 'utf8' });
    expect(code).toContain('require("@aws-sdk/client-sqs")');
    expect(code).toContain('hello ');
    expect(code).not.toMatch(/from ["']\.\/greeting/);
    // What Lambda does with it: require the file, call the export.
    const module = { exports: {} as { handler: (e: { who: string }) => Promise<string> } };
    new Function('module', 'exports', 'require', code)(module, module.exports, (id: string) =>
      id === '@aws-sdk/client-sqs' ? { SQSClient: class {} } : undefined,
    );
    return expect(module.exports.handler({ who: 'world' })).resolves.toBe('hello world');
  });

  test('GIVEN the same source in two checkouts WHEN packaged THEN the zips are byte-identical (same hash)', () => {
    const first = repository();
    const second = mkdtempSync(join(tmpdir(), 'function-package-copy-'));
    dirs.push(second);
    cpSync(first.root, second, { recursive: true });
    expect(build(join(second, 'fn', 'index.ts')).hash).toBe(build(first.entry).hash);
  });

  test('GIVEN a changed helper WHEN packaged THEN the hash changes', () => {
    expect(build(repository('goodbye').entry).hash).not.toBe(build(repository('hello').entry).hash);
  });

  test('GIVEN literal files besides a bundle WHEN packaged THEN both are in the zip', () => {
    const built = functionPackage({
      name: 'app',
      files: { 'host.json': '{"version":"2.0"}', 'fn/index.js': { bundle: repository().entry } },
      external: ['@aws-sdk/*'],
    });
    expect(execFileSync('unzip', ['-Z1', built.path], { encoding: 'utf8' }).trim().split('\n')).toEqual(['fn/index.js', 'host.json']);
  });

  test('GIVEN a syntax error WHEN packaged THEN the error names the file and line', () => {
    const { entry } = repository();
    writeFileSync(entry, 'export const handler = async () => {\n  return 1 +;\n};\n');
    expect(() => build(entry)).toThrow(/^cannot bundle function fn\/index\.ts: fn\/index\.ts:2: /);
  });

  test('GIVEN an import that does not resolve WHEN packaged THEN the error names it', () => {
    const { entry } = repository();
    writeFileSync(entry, "import { x } from './missing.js';\nexport const handler = () => x;\n");
    expect(() => build(entry)).toThrow(/cannot bundle function fn\/index\.ts: .*Could not resolve "\.\/missing\.js"/);
  });

  test('GIVEN a bad package name WHEN packaged THEN it is refused with the allowed characters', () => {
    expect(() => build(repository().entry, '../x')).toThrow(
      'function package name must be 1-64 letters, digits, ".", "_" or "-" (got "../x")',
    );
  });
});
