// Reads one file out of a zip archive (a GitHub Actions artifact): the central directory names it,
// its data is stored or deflated. The archive comes from a workflow run, which may have run pull
// request code, so every offset is bounds-checked, the inflated size is capped before inflating and
// the CRC-32 must match.
import { crc32, inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

export class ZipError extends Error {
  constructor(readonly problem: string) {
    super(`zip archive: ${problem}`);
    this.name = 'ZipError';
  }
}

function u16(buf: Buffer, at: number): number {
  if (at < 0 || at + 2 > buf.length) throw new ZipError('is truncated');
  return buf.readUInt16LE(at);
}

function u32(buf: Buffer, at: number): number {
  if (at < 0 || at + 4 > buf.length) throw new ZipError('is truncated');
  return buf.readUInt32LE(at);
}

function endOfCentralDirectory(buf: Buffer): number {
  for (let at = buf.length - EOCD_SIZE; at >= Math.max(0, buf.length - EOCD_SIZE - MAX_COMMENT); at--) {
    if (buf.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError('has no end of central directory record (not a zip file)');
}

/** The bytes of `name` in the archive; undefined when it holds no such file. Throws ZipError when it is malformed or larger than `maxBytes`. */
export function readZipEntry(buf: Buffer, name: string, maxBytes: number): Buffer | undefined {
  if (buf.length < EOCD_SIZE) throw new ZipError('is too short to be a zip file');
  const eocd = endOfCentralDirectory(buf);
  const entries = u16(buf, eocd + 10);
  let at = u32(buf, eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (u32(buf, at) !== CENTRAL) throw new ZipError(`central directory entry ${i} is malformed`);
    const flags = u16(buf, at + 8);
    const method = u16(buf, at + 10);
    const crc = u32(buf, at + 16);
    const compressed = u32(buf, at + 20);
    const size = u32(buf, at + 24);
    const nameLength = u16(buf, at + 28);
    const skip = nameLength + u16(buf, at + 30) + u16(buf, at + 32);
    const local = u32(buf, at + 42);
    if (at + 46 + nameLength > buf.length) throw new ZipError('is truncated');
    const entryName = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + skip;
    if (entryName !== name) continue;
    if (flags & 1) throw new ZipError(`${name} is encrypted`);
    if (size > maxBytes) throw new ZipError(`${name} is ${size} bytes (allowed: at most ${maxBytes})`);
    if (u32(buf, local) !== LOCAL) throw new ZipError(`${name} has no local header`);
    const start = local + 30 + u16(buf, local + 26) + u16(buf, local + 28);
    if (start + compressed > buf.length) throw new ZipError('is truncated');
    const data = buf.subarray(start, start + compressed);
    let out: Buffer;
    if (method === 0) out = Buffer.from(data);
    else if (method === 8) {
      try {
        out = inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
      } catch (e) {
        throw new ZipError(`${name} does not inflate (${(e as Error).message})`);
      }
    } else throw new ZipError(`${name} uses compression method ${method} (allowed: 0 stored, 8 deflate)`);
    if (out.length !== size || crc32(out) !== crc) throw new ZipError(`${name} does not match its size and CRC-32`);
    return out;
  }
  return undefined;
}
