import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionAppPackage, functionCodeProblems, HOST_JSON, type FunctionCode } from './function-app-package.js';

const dir = mkdtempSync(join(tmpdir(), 'function-app-package-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real entry file exporting `run`, answering `answer`. */
function entry(name: string, answer: string): string {
  const path = join(dir, `${name}.ts`);
  writeFileSync(
    path,
    `export async function run(context: { res?: unknown }): Promise<void> { context.res = { body: ${JSON.stringify(answer)} }; }\n`,
  );
  return path;
}
const TRIGGER = { type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'anonymous', methods: ['get'] } as const;
const OUT = { type: 'http', direction: 'out', name: 'res' } as const;
const unzip = (zip: string, ...args: string[]) => execFileSync('unzip', [...args, zip], { encoding: 'utf8' });

describe('functionAppPackage', () => {
  test('GIVEN two functions WHEN packaged THEN the zip holds host.json with extension bundle 4 and per function its function.json and bundled index.js', () => {
    const functions: Record<string, FunctionCode> = {
      hello: { entry: entry('hello', 'hi'), bindings: [TRIGGER, OUT] },
      bye: { entry: entry('bye', 'bye'), bindings: [TRIGGER, OUT] },
    };
    const built = functionAppPackage('app-a', functions);
    expect(unzip(built.path, '-Z1').trim().split('\n')).toEqual([
      'bye/function.json',
      'bye/index.js',
      'hello/function.json',
      'hello/index.js',
      'host.json',
    ]);
    expect(JSON.parse(execFileSync('unzip', ['-p', built.path, 'host.json'], { encoding: 'utf8' }))).toEqual(HOST_JSON);
    expect(HOST_JSON.extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
    expect(JSON.parse(execFileSync('unzip', ['-p', built.path, 'hello/function.json'], { encoding: 'utf8' }))).toEqual({
      bindings: [TRIGGER, OUT],
      scriptFile: 'index.js',
      entryPoint: 'run',
    });
    const code = execFileSync('unzip', ['-p', built.path, 'hello/index.js'], { encoding: 'utf8' });
    const module = { exports: {} as Record<string, unknown> };
    new Function('module', 'exports', code)(module, module.exports);
    expect(typeof module.exports.run).toBe('function');
  });

  test('GIVEN the same functions twice, then changed code WHEN packaged THEN the same bytes, then a new hash', () => {
    const functions = { hello: { entry: entry('same', 'one'), bindings: [TRIGGER, OUT] } };
    const first = functionAppPackage('app-b', functions);
    expect(functionAppPackage('app-b', { hello: { ...functions.hello } })).toEqual(first);
    const changed = functionAppPackage('app-b', { hello: { entry: entry('changed', 'two'), bindings: [TRIGGER, OUT] } });
    expect(changed.hash).not.toBe(first.hash);
  });
});

describe('functionCodeProblems', () => {
  test('GIVEN well-formed functions WHEN checked THEN no problem', () => {
    expect(functionCodeProblems({ hello: { entry: 'x.ts', bindings: [TRIGGER, OUT] } })).toEqual([]);
  });

  test('GIVEN no function, a bad name, no trigger, two triggers and a repeated binding name WHEN checked THEN each is named', () => {
    expect(functionCodeProblems({})).toEqual(['functions must name at least one function (or be unset for an empty app)']);
    expect(
      functionCodeProblems({
        '1st': { entry: 'x.ts', bindings: [TRIGGER] },
        quiet: { entry: 'x.ts', bindings: [OUT] },
        busy: { entry: 'x.ts', bindings: [TRIGGER, { ...TRIGGER, type: 'timerTrigger', name: 'timer' }, OUT, OUT] },
      }),
    ).toEqual([
      'functions.1st: names must start with a letter, then up to 126 letters, digits, "_" or "-"',
      'functions.quiet must have exactly one trigger binding (got none)',
      'functions.busy must have exactly one trigger binding (got httpTrigger, timerTrigger)',
      'functions.busy: binding names must be unique (repeated: res)',
    ]);
  });
});
