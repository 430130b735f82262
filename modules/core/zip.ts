// A deterministic zip writer: the same files give the same bytes, whoever builds them and when. Entries
// are sorted by name and carry a fixed time (1980-01-01 00:00, the format's epoch) and fixed Unix
// permissions (0644), so a deployment package's hash changes only when its content does.
import { crc32, deflateRawSync } from 'node:zlib';

/** A file to put in the archive: its path inside it (forward slashes) and its content. */
export interface ZipEntry {
  readonly name: string;
  readonly content: string | Uint8Array;
}

/** MS-DOS date of 1980-01-01 (day 1, month 1, year 0); the time field is 00:00:00. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
/** Made by Unix (3), spec version 2.0: readers then take the permissions from the external attributes. */
const VERSION_MADE_BY = (3 << 8) | 20;
const VERSION_NEEDED = 20;
/** A regular file, rw-r--r--, in the high 16 bits. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;
const UTF8_NAMES = 1 << 11;
const DEFLATE = 8;
const STORE = 0;

/** The archive's bytes. Names must be relative, without `..`, and unique. */
export function zipSync(entries: readonly ZipEntry[]): Buffer {
  const names = entries.map((e) => e.name);
  for (const name of names) {
    if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
      throw new Error(`zip entry name must be a relative path with forward slashes and no "..": ${JSON.stringify(name)}`);
    }
  }
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`zip entry names must be unique: ${JSON.stringify(duplicate)} appears twice`);

  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : Buffer.from(entry.content);
    const deflated = deflateRawSync(data, { level: 9 });
    // Tiny files can grow when deflated: store those as they are.
    const [method, body] = deflated.length < data.length ? [DEFLATE, deflated] : [STORE, data];
    const crc = crc32(data);

    const shared = { method, crc, compressedSize: body.length, size: data.length, nameLength: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeSharedFields(local, 4, shared);
    // extra field length: 0
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(VERSION_MADE_BY, 4);
    writeSharedFields(central, 6, shared);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE(FILE_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }

  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The fields the local and the central header share, in the same order, from `at`. */
function writeSharedFields(
  header: Buffer,
  at: number,
  f: { method: number; crc: number; compressedSize: number; size: number; nameLength: number },
): void {
  header.writeUInt16LE(VERSION_NEEDED, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(f.method, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(f.crc, at + 10);
  header.writeUInt32LE(f.compressedSize, at + 14);
  header.writeUInt32LE(f.size, at + 18);
  header.writeUInt16LE(f.nameLength, at + 22);
}
