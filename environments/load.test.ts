// Reading environment files from a real directory: only regular files are read, each whole or not at all.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, formatProblem } from './config.js';
import { MAX_ENVIRONMENT_FILE_BYTES, MAX_ENVIRONMENT_FILES } from './file-limits.js';
import { loadEnvironments, readEnvironmentDirectory, readEnvironmentFiles, validateEnvironmentDirectory } from './load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-load-'));
  for (const name of ['dev.yaml', 'uat.yaml', 'prod.yaml']) cpSync(join('environments', name), join(dir, name));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (problems: Parameters<typeof formatProblem>[0][]) => problems.map(formatProblem);

describe('readEnvironmentDirectory', () => {
  test('GIVEN the shipped files WHEN read THEN each is read whole and nothing is refused', () => {
    const read = readEnvironmentDirectory(dir);

    expect(read.files.map((f) => f.file)).toEqual(['dev.yaml', 'prod.yaml', 'uat.yaml']);
    expect(read.files[1].text).toBe(readFileSync(join(dir, 'prod.yaml'), 'utf8'));
    expect(read.problems).toEqual([]);
  });

  test('GIVEN symlinks to /etc/passwd and to a file inside the directory WHEN read THEN neither is followed', () => {
    symlinkSync('/etc/passwd', join(dir, 'zz.yaml'));
    symlinkSync('prod.yaml', join(dir, 'live.yaml'));

    const read = readEnvironmentDirectory(dir);

    expect(lines(read.problems)).toEqual([
      'live.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
      'zz.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
    ]);
    expect(read.unreadable).toEqual(['live.yaml', 'zz.yaml']);
    expect(JSON.stringify(read)).not.toContain('root:');
  });

  test('GIVEN a directory and a fifo named *.yaml WHEN read THEN each gets one line and the fifo does not block', () => {
    mkdirSync(join(dir, 'x.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);

    const read = readEnvironmentDirectory(dir);

    expect(lines(read.problems)).toEqual([
      'pipe.yaml: is a fifo; environment files must be regular files (allowed: regular files in the directory)',
      'x.yaml: is a directory; environment files must be regular files (allowed: regular files in the directory)',
    ]);
  });

  test('GIVEN a 100 MB file WHEN read THEN it is refused from its size without being read', () => {
    writeFileSync(join(dir, 'huge.yaml'), '');
    truncateSync(join(dir, 'huge.yaml'), 100_000_000); // sparse: reading it would take seconds and 100 MB

    const start = performance.now();
    const read = readEnvironmentDirectory(dir);

    expect(performance.now() - start).toBeLessThan(500);
    expect(lines(read.problems)).toEqual(['huge.yaml: is 100,000,000 bytes (allowed: at most 131,072 bytes)']);
  });

  test('GIVEN a file of exactly the size limit WHEN read THEN it is read whole', () => {
    writeFileSync(join(dir, 'edge.yaml'), `description: ${'x'.repeat(MAX_ENVIRONMENT_FILE_BYTES - 14)}\n`);

    const read = readEnvironmentDirectory(dir);

    expect(read.problems).toEqual([]);
    expect(read.files.find((f) => f.file === 'edge.yaml')?.text).toHaveLength(MAX_ENVIRONMENT_FILE_BYTES);
  });

  test('GIVEN a file with bytes that are not UTF-8 WHEN read THEN one line gives the line of the first', () => {
    writeFileSync(
      join(dir, 'latin1.yaml'),
      Buffer.concat([Buffer.from('name: x\ndescription: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );

    expect(lines(readEnvironmentDirectory(dir).problems)).toEqual([
      'latin1.yaml:2: is not a text file: it holds bytes that are not UTF-8 (allowed: UTF-8 text without control characters)',
    ]);
  });

  // root opens any file, so only another user can see the refusal.
  (process.getuid?.() === 0 ? test.skip : test)(
    'GIVEN a file that cannot be opened WHEN read THEN one line names it and the reason',
    () => {
      writeFileSync(join(dir, 'locked.yaml'), 'name: locked\n', { mode: 0o000 });

      expect(lines(readEnvironmentDirectory(dir).problems)).toEqual([
        'locked.yaml: cannot be opened (EACCES) (allowed: a readable regular file)',
      ]);
    },
  );

  test(`GIVEN more than ${MAX_ENVIRONMENT_FILES} environment files WHEN read THEN one line and none is read`, () => {
    for (let i = 0; i < MAX_ENVIRONMENT_FILES; i++) writeFileSync(join(dir, `e${i}.yaml`), 'name: e\n');

    const read = readEnvironmentDirectory(dir);

    expect(lines(read.problems)).toEqual([`${dir}: holds 53 environment files (allowed: at most ${MAX_ENVIRONMENT_FILES})`]);
    expect(read.files).toEqual([]);
  });

  test('GIVEN no directory WHEN read THEN ConfigError names it and the flag', () => {
    expect(() => readEnvironmentDirectory(join(dir, 'missing'))).toThrow(
      `${join(dir, 'missing')}: is not a directory of environment files (set --dir)`,
    );
  });
});

describe('validateEnvironmentDirectory', () => {
  test('GIVEN uat.yaml replaced by a symlink and a schema error in dev.yaml WHEN validated THEN both are reported and uat still counts as an environment', () => {
    rmSync(join(dir, 'uat.yaml'));
    symlinkSync('/etc/passwd', join(dir, 'uat.yaml'));
    writeFileSync(join(dir, 'dev.yaml'), readFileSync(join(dir, 'dev.yaml'), 'utf8').replace('tier: development', 'tier: dev'));

    const { environments, problems } = validateEnvironmentDirectory(dir);

    // prod.yaml requires uat: that is not reported again as an unknown environment.
    expect(lines(problems)).toEqual([
      'uat.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
      'dev.yaml:4: tier: must be one of "development", "staging", "production" (got "dev")',
    ]);
    expect(environments.map((e) => e.file)).toEqual(['prod.yaml']);
  });

  test('GIVEN only a symlink WHEN validated THEN the symlink is the only problem', () => {
    for (const name of ['dev.yaml', 'uat.yaml', 'prod.yaml']) rmSync(join(dir, name));
    symlinkSync('/etc/passwd', join(dir, 'zz.yaml'));

    expect(lines(validateEnvironmentDirectory(dir).problems)).toEqual([
      'zz.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
    ]);
  });
});

describe('readEnvironmentFiles and loadEnvironments', () => {
  test('GIVEN a symlink WHEN read or loaded THEN ConfigError carries the problem and nothing is returned half-read', () => {
    symlinkSync('/etc/passwd', join(dir, 'zz.yaml'));

    for (const read of [() => readEnvironmentFiles(dir), () => loadEnvironments(dir)]) {
      let error: unknown;
      try {
        read();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.file)).toEqual(['zz.yaml']);
    }
  });

  test('GIVEN the shipped files WHEN loaded THEN three environments', () => {
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(['dev', 'prod', 'uat']);
  });
});
