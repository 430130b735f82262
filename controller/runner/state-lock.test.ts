import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLocalStateLocks, lockedInodes, stateFiles } from './state-lock.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gitops-state-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Holds a kernel lock on `file` (util-linux flock) until killed; resolves once it holds it. */
async function holdLock(file: string) {
  const child = spawn('flock', [file, 'sh', '-c', 'echo locked; sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return child;
}

describe('checkLocalStateLocks', () => {
  test('GIVEN a state file a process holds a lock on WHEN checked THEN it is held and its info file stays', async () => {
    const { state, lockInfo } = stateFiles(dir, 'release-dev');
    writeFileSync(state, '{}');
    writeFileSync(lockInfo, '{"ID":"x"}');
    const holder = await holdLock(state);
    try {
      expect(checkLocalStateLocks(dir, ['release-dev'])).toEqual({ held: ['release-dev'], staleInfoRemoved: [] });
      expect(existsSync(lockInfo)).toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  test('GIVEN an info file left by a killed terraform and no kernel lock WHEN checked THEN it is not held and the info file is removed', () => {
    const { state, lockInfo } = stateFiles(dir, 'release-dev');
    writeFileSync(state, '{}');
    writeFileSync(lockInfo, '{"ID":"x"}');
    expect(checkLocalStateLocks(dir, ['release-dev', 'release-uat'])).toEqual({ held: [], staleInfoRemoved: ['release-dev'] });
    expect(existsSync(lockInfo)).toBe(false);
  });

  test('GIVEN /proc/locks cannot be read WHEN an info file is there THEN the lock counts as held (never guessed away)', () => {
    const { state, lockInfo } = stateFiles(dir, 'release-dev');
    writeFileSync(state, '{}');
    writeFileSync(lockInfo, '{"ID":"x"}');
    const missing = join(dir, 'no-proc-locks');
    expect(lockedInodes(missing)).toBeUndefined();
    expect(checkLocalStateLocks(dir, ['release-dev', 'release-uat'], missing)).toEqual({ held: ['release-dev'], staleInfoRemoved: [] });
  });

  test('GIVEN a /proc/locks text WHEN read THEN every inode of every lock kind is found', () => {
    const file = join(dir, 'locks');
    writeFileSync(
      file,
      '1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF\n2: FLOCK  ADVISORY  WRITE 99 fd:00:42 0 EOF\n3: OFDLCK ADVISORY  READ  -1 00:2e:7 0 EOF\n',
    );
    expect([...lockedInodes(file)!].sort((a, b) => a - b)).toEqual([7, 42, 5678]);
  });
});
