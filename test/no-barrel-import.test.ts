// Provider barrel imports cost ~3 s and ~580 MB per synth: the lint rule forbids them, and this test
// proves both that the rule fires and that no source file (except the benchmark's baseline) has one.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

const BARREL = /from\s+['"]@cdktf\/provider-(aws|azurerm)(\/lib)?\/?['"]/;

describe('provider barrel imports', () => {
  test('GIVEN a barrel import WHEN linted THEN no-restricted-imports reports it', async () => {
    const eslint = new ESLint();
    for (const source of ["import * as aws from '@cdktf/provider-aws';\n", "import { x } from '@cdktf/provider-azurerm/lib';\n"]) {
      const [result] = await eslint.lintText(source, { filePath: 'modules/aws/example.ts' });
      expect(result.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
    }
    const [deep] = await eslint.lintText("import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';\nnew S3Bucket();\n", {
      filePath: 'modules/aws/example.ts',
    });
    expect(deep.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  test('GIVEN the repository WHEN searched THEN only the benchmark baseline uses the barrel', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { encoding: 'utf8' })
      .trim()
      .split('\n');
    const offenders = files
      .filter((f) => !['bench/fixtures/barrel-app.ts', 'test/no-barrel-import.test.ts'].includes(f) && existsSync(f))
      .filter((f) => BARREL.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
