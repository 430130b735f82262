import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentDigest, listTree, removeTree, sealTree, statDigest } from './tree-digest.js';

let root: string;
let tree: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gitops-digest-'));
  tree = join(root, 'node_modules');
  mkdirSync(join(tree, 'pkg', 'lib'), { recursive: true });
  writeFileSync(join(tree, 'pkg', 'index.js'), 'module.exports = 1;');
  writeFileSync(join(tree, 'pkg', 'lib', 'big.bin'), Buffer.alloc(3 * 1024 * 1024 + 7, 1));
  symlinkSync('../pkg/index.js', join(tree, 'pkg', 'lib', 'link.js'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const digests = async () => {
  const entries = await listTree(tree);
  return { content: await contentDigest(entries), stats: statDigest(entries) };
};

describe('listTree', () => {
  test('GIVEN a tree WHEN listed THEN the root comes first, then each entry in byte order before its children, links not followed', async () => {
    expect((await listTree(tree)).map((e) => e.rel)).toEqual(['.', 'pkg', 'pkg/index.js', 'pkg/lib', 'pkg/lib/big.bin', 'pkg/lib/link.js']);
  });

  test('GIVEN a file where the root should be WHEN listed THEN it says it is not a directory', async () => {
    await expect(listTree(join(tree, 'pkg', 'index.js'))).rejects.toThrow(`${join(tree, 'pkg', 'index.js')} is not a directory`);
  });
});

describe('contentDigest and statDigest', () => {
  test('GIVEN a file rewritten with bytes of the same length and its times put back WHEN digested THEN both digests change', async () => {
    const before = await digests();
    execFileSync('cp', ['-p', join(tree, 'pkg', 'index.js'), join(root, 'times')]);
    writeFileSync(join(tree, 'pkg', 'index.js'), 'module.exports = 2;');
    execFileSync('touch', ['-r', join(root, 'times'), join(tree, 'pkg', 'index.js')]);
    const after = await digests();
    expect(after.content).not.toBe(before.content);
    expect(after.stats).not.toBe(before.stats);
  });

  test('GIVEN a file made executable, a link retargeted, or a file added WHEN digested THEN the content digest changes', async () => {
    const before = (await digests()).content;
    chmodSync(join(tree, 'pkg', 'index.js'), 0o755);
    const chmodded = (await digests()).content;
    rmSync(join(tree, 'pkg', 'lib', 'link.js'));
    symlinkSync('/etc/passwd', join(tree, 'pkg', 'lib', 'link.js'));
    const relinked = (await digests()).content;
    writeFileSync(join(tree, 'pkg', 'extra.js'), '');
    expect(new Set([before, chmodded, relinked, (await digests()).content]).size).toBe(4);
  });

  test('GIVEN a file whose mode is changed and changed back WHEN digested THEN the content digest stays and the stat digest (its ctime) does not', async () => {
    const before = await digests();
    chmodSync(join(tree, 'pkg', 'index.js'), 0o600);
    chmodSync(join(tree, 'pkg', 'index.js'), 0o644);
    const after = await digests();
    expect(after.content).toBe(before.content);
    expect(after.stats).not.toBe(before.stats);
  });

  test('GIVEN an untouched tree WHEN digested twice THEN both digests are equal', async () => {
    expect(await digests()).toEqual(await digests());
  });
});

describe('sealTree and removeTree', () => {
  test('GIVEN a tree WHEN sealed THEN nobody may write it, everybody may read it, and the set-uid bit is gone; removeTree still removes it', async () => {
    chmodSync(join(tree, 'pkg', 'index.js'), 0o4700);
    await sealTree(await listTree(tree));
    expect(statSync(join(tree, 'pkg', 'index.js')).mode & 0o7777).toBe(0o544);
    expect(statSync(join(tree, 'pkg', 'lib', 'big.bin')).mode & 0o7777).toBe(0o444);
    expect(statSync(join(tree, 'pkg')).mode & 0o7777).toBe(0o555);
    await removeTree(tree);
    expect(existsSync(tree)).toBe(false);
  });
});
