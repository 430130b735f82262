// The import boundaries of eslint.config.js: the core and its rules import no adapter, product code
// imports no test double. These tests prove the rules fire (and stay quiet where imports are allowed),
// and that the repository keeps them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

async function restricted(source: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const use = (what: string) => `import { x } from '${what}';\nexport const y = x;\n`;

describe('the core imports no adapter', () => {
  test.each([
    ['controller/core/plan-check.ts', '../github/client.js'],
    ['controller/core/plan-check.ts', '../store/sqlite-store.js'],
    ['controller/core/plan-check.ts', '../plan/service.js'],
    ['controller/core/plan-check.ts', '../runner/runner.js'],
    ['controller/core/plan-check.ts', '../webhooks/handlers.js'],
    ['controller/core/plan-check.ts', '../compose.js'],
    ['controller/core/back-sync-step.ts', '../release/back-sync.js'],
    ['controller/core/back-sync-step.ts', '../git/git.js'],
    ['controller/core/ports/store.ts', '../../store/sqlite-store.js'],
    ['controller/rules/approvals.ts', '../github/client.js'],
    ['controller/core/controller.ts', 'probot'],
    ['controller/core/controller.ts', 'better-sqlite3'],
    ['controller/core/controller.ts', 'node:child_process'],
  ])('GIVEN %s importing %s WHEN linted THEN no-restricted-imports reports it', async (file, what) => {
    const messages = await restricted(use(what), file);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/core/);
  });

  test.each([
    ['controller/core/plan-check.ts', './ports/github.js'],
    ['controller/core/plan-check.ts', '../comment/render.js'],
    ['controller/core/plan-check.ts', '../rules/commands.js'],
    ['controller/core/plan-check.ts', '../../modules/policy/engine.js'],
    ['controller/core/plan-check.test.ts', '../store/sqlite-store.js'],
    ['controller/plan/service.ts', '../runner/runner.js'],
  ])('GIVEN %s importing %s WHEN linted THEN nothing is reported', async (file, what) => {
    expect(await restricted(use(what), file)).toEqual([]);
  });
});

describe('product code imports no test double', () => {
  test.each([
    ['controller/plan/service.ts', '../../test/doubles/fake-github.js'],
    ['controller/core/plan-check.ts', '../../test/doubles/fake-planner.js'],
    ['modules/aws/network/vpc.ts', '../../../test/modules/aws-synth.js'],
    ['environments/app.ts', '../test/fixtures/test-repo.js'],
  ])('GIVEN %s importing %s WHEN linted THEN no-restricted-imports reports it', async (file, what) => {
    const messages = await restricted(use(what), file);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/test doubles/);
  });

  test.each([
    ['controller/core/plan-check.test.ts', '../../test/doubles/fake-github.js'],
    ['modules/aws/network/vpc.test.ts', '../../../test/modules/aws-synth.js'],
    ['bench/comment-render.ts', '../test/fixtures/sample-reports.js'],
  ])('GIVEN %s importing %s WHEN linted THEN nothing is reported', async (file, what) => {
    expect(await restricted(use(what), file)).toEqual([]);
  });
});

describe('the repository keeps the boundaries', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((f) => !f.endsWith('.test.ts'));
  const importsOf = (file: string) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);

  test('GIVEN the core and rules WHEN their imports are listed THEN none is an adapter', () => {
    const offenders = files
      .filter((f) => /^controller\/(core|rules)\//.test(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => /^(\.\.\/)+(github|store|plan|runner|webhooks|cli|process|release|git)\/|compose\.js$/.test(i))
          .map((i) => `${f}: ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  test('GIVEN product code WHEN its imports are listed THEN none is under test/', () => {
    const offenders = files
      .filter((f) => /^(controller|modules|environments|scripts)\//.test(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => /^(\.\.\/)+test\//.test(i))
          .map((i) => `${f}: ${i}`),
      );
    expect(offenders).toEqual([]);
  });
});
