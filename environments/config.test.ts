import { readFileSync } from 'node:fs';
import { parseEnvironmentFile, validateEnvironmentFiles, formatProblem } from './config.js';

const read = (name: string) => ({ file: name, text: readFileSync(new URL(`./${name}`, import.meta.url), 'utf8') });
const shipped = () => ['dev.yaml', 'uat.yaml', 'prod.yaml'].map(read);

describe('environment files', () => {
  test('GIVEN the shipped files WHEN validated THEN there is no problem', () => {
    const { environments, problems } = validateEnvironmentFiles(shipped());
    expect(problems).toEqual([]);
    expect(environments.map((e) => e.environment.branch)).toEqual(['dev', 'uat', 'main']);
  });

  test('GIVEN prod with an empty branch and an unknown key WHEN validated THEN both problems name prod.yaml', () => {
    const prod = read('prod.yaml');
    const text = prod.text.replace('branch: main', 'branch: ""') + 'colour: blue\n';
    const { problems } = parseEnvironmentFile({ file: 'prod.yaml', text });
    const lines = problems.map(formatProblem);
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => /^prod\.yaml:\d+: branch: /.test(l))).toBe(true);
    expect(lines.some((l) => /^prod\.yaml:\d+: unknown key "colour" \(allowed: name, branch, /.test(l))).toBe(true);
  });

  test('GIVEN malformed YAML WHEN parsed THEN the problem names the line', () => {
    const { problems } = parseEnvironmentFile({ file: 'dev.yaml', text: 'name: dev\nbranch: [dev\ntier: development\n' });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].line).toBeGreaterThanOrEqual(2);
    expect(formatProblem(problems[0])).toMatch(/^dev\.yaml:\d+: YAML syntax error: /);
  });
});

describe('cross-file rules for systems', () => {
  test('GIVEN commerce enabled and no Azure location WHEN validated THEN the region path is named', () => {
    const files = shipped().map((f) => (f.file === 'uat.yaml' ? { ...f, text: f.text.replace('azure: westeurope, ', '') } : f));
    const { problems } = validateEnvironmentFiles(files);
    expect(problems.map(formatProblem)).toEqual([
      'uat.yaml: regions.primary.azure: is required when the commerce system (AWS and Azure) runs in this region (e.g. westeurope)',
    ]);
  });

  test('GIVEN systems enabled and no AWS account WHEN validated THEN accounts.aws is named', () => {
    const files = shipped().map((f) =>
      f.file === 'dev.yaml' ? { ...f, text: f.text.replace(/ {2}aws: \{ accountId: '\d+' \}\n/, '') } : f,
    );
    const { problems } = validateEnvironmentFiles(files);
    expect(problems.map(formatProblem)).toEqual(['dev.yaml: accounts.aws: is required when an AWS system is enabled']);
  });
});
