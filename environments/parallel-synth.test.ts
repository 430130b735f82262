import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentSchema, type EnvironmentInput } from './schema.js';
import { environmentWeight, mergeParts, partitionEnvironments, runWorkers } from './parallel-synth.js';

const env = (name: string, systems: EnvironmentInput['systems'], dr = false) =>
  environmentSchema.parse({
    name,
    branch: name,
    tier: 'development',
    accounts: { aws: { accountId: '111111111111' } },
    regions: { primary: { aws: 'eu-west-1', cidr: '10.0.0.0/16' }, ...(dr ? { dr: { aws: 'eu-central-1', cidr: '10.1.0.0/16' } } : {}) },
    backend: { type: 'local' },
    tags: { environment: name, owner: 'o', 'cost-center': 'c' },
    systems,
    release: { accepts: ['feature/*'] },
  });

const tmp = mkdtempSync(join(tmpdir(), 'gitops-parallel-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('partitionEnvironments', () => {
  const dev = env('dev', { ingest: {}, imaging: {} });
  const uat = env('uat', { ingest: {}, imaging: {} });
  const prod = env('prod', { ingest: { dr: true }, imaging: { dr: true }, payments: {} }, true);

  test('GIVEN environments of different sizes WHEN split in two THEN the largest is alone and the others share', () => {
    expect([dev, uat, prod].map(environmentWeight)).toEqual([3, 3, 6]);
    expect(partitionEnvironments([dev, uat, prod], 2)).toEqual([['prod'], ['dev', 'uat']]);
  });

  test('GIVEN one job or one environment WHEN split THEN there is one group', () => {
    expect(partitionEnvironments([dev, uat, prod], 1)).toEqual([['prod', 'dev', 'uat']]);
    expect(partitionEnvironments([dev], 4)).toEqual([['dev']]);
    expect(partitionEnvironments([], 2)).toEqual([]);
  });
});

describe('mergeParts', () => {
  test('GIVEN two parts WHEN merged THEN every stack moves into the output, older copies are replaced and one manifest lists all', () => {
    const part = (name: string, stacks: string[]) => {
      const dir = join(tmp, name);
      for (const s of stacks) {
        mkdirSync(join(dir, 'stacks', s), { recursive: true });
        writeFileSync(join(dir, 'stacks', s, 'cdk.tf.json'), JSON.stringify({ from: name }));
      }
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({ version: '0.21.0', stacks: Object.fromEntries(stacks.map((s) => [s, { name: s }])) }),
      );
      return dir;
    };
    const out = join(tmp, 'out');
    mkdirSync(join(out, 'stacks', 'a-dev'), { recursive: true });
    writeFileSync(join(out, 'stacks', 'a-dev', 'cdk.tf.json'), JSON.stringify({ from: 'old' }));
    const names = mergeParts([part('p0', ['a-prod']), part('p1', ['a-dev', 'release-dev'])], out);
    expect(names).toEqual(['a-prod', 'a-dev', 'release-dev']);
    expect(JSON.parse(readFileSync(join(out, 'stacks', 'a-dev', 'cdk.tf.json'), 'utf8'))).toEqual({ from: 'p1' });
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual({
      stacks: { 'a-dev': { name: 'a-dev' }, 'a-prod': { name: 'a-prod' }, 'release-dev': { name: 'release-dev' } },
      version: '0.21.0',
    });
  });
});

describe('runWorkers', () => {
  test('GIVEN a worker that fails WHEN run THEN its exit code and stderr are reported for its environments', async () => {
    const cli = join(tmp, 'fake-cli.mjs');
    writeFileSync(
      cli,
      "const i = process.argv.indexOf('--env'); if (process.argv[i + 1] === 'prod') { console.error('boom in prod'); process.exit(3); }\n",
    );
    const results = await runWorkers(
      cli,
      [
        { envs: ['prod'], outdir: tmp },
        { envs: ['dev', 'uat'], outdir: tmp },
      ],
      () => [],
    );
    expect(results.map((r) => [r.envs.join(','), r.code, r.stderr.trim()])).toEqual([
      ['prod', 3, 'boom in prod'],
      ['dev,uat', 0, ''],
    ]);
  });
});
