// Digests of a directory tree (a dependency cache entry), walked without following symbolic links and
// read whole when small and a MiB at a time when large, so that hashing a 700 MB node_modules never holds the
// event loop for long.
// The content digest covers what a program can read: names, types, modes, file bytes, link targets.
// The stat digest covers what the kernel records of each entry, the change time (ctime) included:
// no process can set a ctime back (short of setting the system clock), so an equal stat digest means nothing was
// written, renamed or chmodded since.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { chmod, lchown, lstat, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeEntry {
  /** Path relative to the root ('.' for the root itself), with '/' separators. */
  readonly rel: string;
  readonly path: string;
  readonly stat: BigIntStats;
}

/** Files hashed at once: enough to keep the disk busy, few enough to keep memory flat. */
const PARALLEL_FILES = 16;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every entry of the tree under `root`, the root first, parents before their children, names in byte order. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const top: TreeEntry = { rel: '.', path: root, stat: await lstat(root, { bigint: true }) };
  if (!top.stat.isDirectory()) throw new Error(`${root} is not a directory`);
  // Directories are read side by side (libuv's thread pool bounds how many at once); the order stays fixed.
  const walk = async (dir: string, rel: string): Promise<TreeEntry[]> => {
    const names = (await readdir(dir)).sort(byName);
    const stats = await Promise.all(names.map((name) => lstat(join(dir, name), { bigint: true })));
    const children = names.map((name, i) => ({ rel: rel === '.' ? name : `${rel}/${name}`, path: join(dir, name), stat: stats[i] }));
    const below = await Promise.all(children.map((c) => (c.stat.isDirectory() ? walk(c.path, c.rel) : Promise.resolve([]))));
    return children.flatMap((child, i) => [child, ...below[i]]);
  };
  return [top, ...(await walk(root, '.'))];
}

function kind(stat: BigIntStats): string {
  if (stat.isDirectory()) return 'd';
  if (stat.isFile()) return 'f';
  if (stat.isSymbolicLink()) return 'l';
  return 'o';
}

/** The digest of every entry's name, type, mode, owner, size, inode, link count and change and modification times. */
export function statDigest(entries: readonly TreeEntry[]): string {
  const hash = createHash('sha256');
  for (const { rel, stat: s } of entries) {
    hash.update(`${kind(s)} ${rel}\0${s.mode} ${s.uid} ${s.gid} ${s.size} ${s.ino} ${s.nlink} ${s.ctimeNs} ${s.mtimeNs}\n`);
  }
  return hash.digest('hex');
}

/** Files up to this size are read whole; larger ones a chunk at a time (node_modules holds files of 100 MB and more). */
const WHOLE_FILE_BYTES = 1024 * 1024;

async function hashFile(path: string, size: bigint): Promise<string> {
  if (size <= WHOLE_FILE_BYTES)
    return createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  return new Promise((resolve, reject) => {
    const hash: Hash = createHash('sha256');
    createReadStream(path, { highWaterMark: WHOLE_FILE_BYTES })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function contentLine({ rel, path, stat: s }: TreeEntry): Promise<string> {
  const mode = (Number(s.mode) & 0o7777).toString(8);
  switch (kind(s)) {
    case 'd':
      return `d ${rel}\0${mode}\n`;
    case 'f':
      return `f ${rel}\0${mode} ${s.size} ${await hashFile(path, s.size)}\n`;
    case 'l':
      return `l ${rel}\0${await readlink(path)}\n`;
    default:
      return `o ${rel}\0${Number(s.mode) & 0o170000}\n`;
  }
}

/** The SHA-256 of every entry's name, type, permission bits, and file bytes or link target. */
export async function contentDigest(entries: readonly TreeEntry[]): Promise<string> {
  const hash = createHash('sha256');
  for (let i = 0; i < entries.length; i += PARALLEL_FILES) {
    for (const line of await Promise.all(entries.slice(i, i + PARALLEL_FILES).map(contentLine))) hash.update(line);
  }
  return hash.digest('hex');
}

/**
 * Gives every entry to the controller's uid (files the sandbox wrote belong to its uid) and takes write
 * permission away from everyone, while leaving everything readable by all (the sandbox reads as another uid).
 */
export async function sealTree(entries: readonly TreeEntry[]): Promise<void> {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  for (const { path, stat: s } of entries) {
    if (uid !== undefined && gid !== undefined && (Number(s.uid) !== uid || Number(s.gid) !== gid)) await lchown(path, uid, gid);
    if (s.isSymbolicLink()) continue; // a link has no permissions of its own on Linux
    const mode = Number(s.mode) & 0o7777;
    const sealed = s.isDirectory() ? 0o555 : (mode & ~0o7222) | 0o444;
    if (sealed !== mode) await chmod(path, sealed);
  }
}

/**
 * Removes a tree without blocking the event loop; one whose directories are not writable (sealed, or so made by the
 * code that wrote it) gets its owner's write permission back first, for a controller that is not root.
 */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    for (const { path, stat: s } of await listTree(dir)) if (s.isDirectory()) await chmod(path, (Number(s.mode) & 0o7777) | 0o700);
    await rm(dir, { recursive: true, force: true });
  }
}
