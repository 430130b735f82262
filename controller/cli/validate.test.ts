// `gitops validate` as a hostile contributor would drive it: a real process on a copy of the shipped
// environment files plus one planted file (a symlink, a directory, a binary, a huge or an alias bomb).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PROBLEM_LENGTH } from '../../environments/file-limits.js';
import { billionLaughs } from '../../test/billion-laughs.js';

const BIN = join(process.cwd(), 'bin', 'gitops.mjs');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-validate-'));
  cpSync('environments', dir, { recursive: true, filter: (src) => src === 'environments' || /\.yaml$/.test(src) });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `gitops validate --dir <dir>`; stderr split into lines, and the wall time. */
function validate(): { status: number | null; lines: string[]; stdout: string; seconds: number } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'validate', '--dir', dir], { encoding: 'utf8', timeout: 60_000 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { status: r.status, lines: r.stderr.split('\n').filter((l) => l !== ''), stdout: r.stdout, seconds };
}

describe('gitops validate against hostile environment files', () => {
  test('GIVEN zz.yaml a symlink to /etc/passwd WHEN validated THEN one line says it is a symlink and nothing of /etc/passwd is printed', () => {
    symlinkSync('/etc/passwd', join(dir, 'zz.yaml'));

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'zz.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
      `1 problem in ${dir}`,
    ]);
    expect(r.stdout + r.lines.join('\n')).not.toContain('root:');
  });

  test('GIVEN a file of 200,000 keys WHEN validated THEN one line names the file and the size limit, within seconds', () => {
    writeFileSync(join(dir, 'big.yaml'), Array.from({ length: 200_000 }, (_, i) => `k${i}: v\n`).join(''));

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('big.yaml: is 2,088,890 bytes (allowed: at most 131,072 bytes)');
    expect(r.lines).toHaveLength(2);
    expect(r.seconds).toBeLessThan(15); // before: still running after 130 s
  });

  test("GIVEN prod.yaml handing the controller's GITHUB_TOKEN to terraform through credentials.passEnv WHEN validated THEN one line names the file, the field, the value and the allowed patterns", () => {
    writeFileSync(
      join(dir, 'prod.yaml'),
      `${readFileSync(join(dir, 'prod.yaml'), 'utf8')}credentials:\n  apply:\n    passEnv: [GITHUB_TOKEN]\n`,
    );

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines[0]).toMatch(
      /^prod\.yaml:\d+: credentials\.apply\.passEnv\.0: must be a variable name matching AWS_\*, ARM_\*, TF_VAR_\* \(got "GITHUB_TOKEN"\)$/,
    );
    expect(r.lines).toHaveLength(2);
  });

  test('GIVEN a directory named x.yaml WHEN validated THEN one line names it', () => {
    mkdirSync(join(dir, 'x.yaml'));

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('x.yaml: is a directory; environment files must be regular files (allowed: regular files in the directory)');
    expect(r.lines).toHaveLength(2);
  });

  test('GIVEN a binary file WHEN validated THEN one short line says it is not text', () => {
    writeFileSync(join(dir, 'bin.yaml'), readFileSync(process.execPath).subarray(0, 16_384));

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines[0]).toMatch(
      /^bin\.yaml:1: is not a text file: it holds (bytes that are not UTF-8|the control character U\+[0-9A-F]{4}) \(allowed: UTF-8 text without control characters\)$/,
    );
    expect(r.lines).toHaveLength(2);
  });

  test('GIVEN a billion-laughs alias bomb WHEN validated THEN one line names the file and the expansion limit', () => {
    writeFileSync(join(dir, 'lol.yaml'), billionLaughs());

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines[0]).toBe('lol.yaml:4: d.4: expands to more than 5,000 keys and values through aliases (allowed: at most 5,000)');
    expect(r.lines).toHaveLength(2);
  });

  test('GIVEN every attack at once and a schema error WHEN validated THEN every problem is printed, each one short line, and exit 1', () => {
    symlinkSync('/etc/passwd', join(dir, 'zz.yaml'));
    mkdirSync(join(dir, 'x.yaml'));
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0xff, 0xfe]));
    writeFileSync(join(dir, 'lol.yaml'), billionLaughs());
    writeFileSync(join(dir, 'long.yaml'), `name: ${'x'.repeat(100_000)}\n`);
    const prod = join(dir, 'prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace('tier: production', 'tier: live'));

    const r = validate();

    expect(r.status).toBe(1);
    expect(r.lines).toEqual([
      'bin.yaml:1: is not a text file: it holds bytes that are not UTF-8 (allowed: UTF-8 text without control characters)',
      'x.yaml: is a directory; environment files must be regular files (allowed: regular files in the directory)',
      'zz.yaml: is a symlink; environment files must be regular files (allowed: regular files in the directory)',
      'lol.yaml:4: d.4: expands to more than 5,000 keys and values through aliases (allowed: at most 5,000)',
      `long.yaml:1: name: must be lowercase letters, digits and -, starting with a letter, at most 16 (got "${'x'.repeat(60)}…" (100,000 characters))`,
      'long.yaml:1: branch: is required (string)',
      'long.yaml:1: tier: must be one of "development", "staging", "production" (got nothing)',
      'long.yaml:1: accounts: is required (object)',
      'long.yaml:1: regions: is required (object)',
      'long.yaml:1: backend: is required (object)',
      'long.yaml:1: tags: is required (object)',
      'long.yaml:1: release: is required (object)',
      'prod.yaml:5: tier: must be one of "development", "staging", "production" (got "live")',
      `13 problems in ${dir}`,
    ]);
    for (const line of r.lines) expect(line.length).toBeLessThanOrEqual(MAX_PROBLEM_LENGTH);
  });
});
