// Zip archives for tests and the sandbox GitHub's workflow artifacts, made by Info-ZIP's `zip` (GitHub's
// artifact archives are ordinary zip files): `-0` stores, `-9` deflates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function zipArchive(files: Readonly<Record<string, string | Buffer>>, level: '-0' | '-9' = '-9'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'zip-archive-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      if (!/^[\w.-]+$/.test(name)) throw new Error(`zipArchive: ${JSON.stringify(name)} must be a plain file name`);
      writeFileSync(join(dir, name), content);
    }
    execFileSync('zip', ['-q', level, '-X', 'archive.zip', ...Object.keys(files)], { cwd: dir });
    return readFileSync(join(dir, 'archive.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
