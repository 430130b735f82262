import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from './zip.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function written(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  dirs.push(dir);
  const file = join(dir, 'package.zip');
  writeFileSync(file, bytes);
  return file;
}

const entries = [
  { name: 'index.js', content: `exports.handler = async () => ${JSON.stringify('x'.repeat(500))};\n` },
  { name: 'lib/a.txt', content: 'a' },
  { name: 'data.bin', content: new Uint8Array([0, 1, 2, 255]) },
];

describe('zipSync', () => {
  test('GIVEN the same files in another order, at another time WHEN zipped THEN the bytes are identical', async () => {
    const first = zipSync(entries);
    await new Promise((r) => setTimeout(r, 1100));
    expect(zipSync([...entries].reverse()).equals(first)).toBe(true);
  });

  test('GIVEN one changed byte WHEN zipped THEN the archive differs', () => {
    const changed = entries.map((e) => (e.name === 'lib/a.txt' ? { ...e, content: 'b' } : e));
    expect(zipSync(changed).equals(zipSync(entries))).toBe(false);
  });

  test('GIVEN an archive WHEN unzip reads it THEN it is valid, sorted, dated 1980-01-01, 0644, with the contents given', () => {
    const file = written(zipSync(entries));
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    const listing = execFileSync('zipinfo', [file], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('-'));
    expect(listing.map((l) => l.split(/\s+/).at(-1))).toEqual(['data.bin', 'index.js', 'lib/a.txt']);
    for (const line of listing) expect(line).toMatch(/^-rw-r--r-- .* 80-Jan-01 00:00 /);
    expect(execFileSync('unzip', ['-p', file, 'index.js'], { encoding: 'utf8' })).toBe(entries[0]!.content);
    expect([...execFileSync('unzip', ['-p', file, 'data.bin'])]).toEqual([0, 1, 2, 255]);
    // The long file is deflated, the one-byte file stored.
    expect(readFileSync(file).length).toBeLessThan(500);
  });

  test.each([
    ['an absolute path', '/etc/passwd'],
    ['a parent directory', 'lib/../../x.js'],
    ['a backslash', 'lib\\a.js'],
    ['an empty name', ''],
  ])('GIVEN %s as an entry name WHEN zipped THEN it is refused, naming it', (_, name) => {
    expect(() => zipSync([{ name, content: 'x' }])).toThrow(
      `zip entry name must be a relative path with forward slashes and no "..": ${JSON.stringify(name)}`,
    );
  });

  test('GIVEN a name twice WHEN zipped THEN it is refused, naming it', () => {
    expect(() => zipSync([entries[1]!, entries[1]!])).toThrow('zip entry names must be unique: "lib/a.txt" appears twice');
  });
});
