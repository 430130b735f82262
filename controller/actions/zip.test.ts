import { zipArchive as zip } from '../../test/zip-archive.js';
import { readZipEntry, ZipError } from './zip.js';

// Archives made by Info-ZIP's zip, as GitHub's artifact archives are ordinary zip files.
const PLAN = JSON.stringify({ stack: 'ingest-dev', resources: Array.from({ length: 200 }, (_, i) => `r${i}`) });

describe('readZipEntry', () => {
  test.each(['-0', '-9'] as const)(
    'GIVEN an archive made with zip %s WHEN a file is read THEN its bytes come back; a missing name gives undefined',
    (level) => {
      const archive = zip({ 'plan.txt': 'ingest-dev: 1 to add\n', 'plan.json': PLAN }, level);
      expect(readZipEntry(archive, 'plan.json', 1 << 20)?.toString('utf8')).toBe(PLAN);
      expect(readZipEntry(archive, 'plan.txt', 1 << 20)?.toString('utf8')).toBe('ingest-dev: 1 to add\n');
      expect(readZipEntry(archive, 'other.json', 1 << 20)).toBeUndefined();
    },
  );

  test('GIVEN a file larger than allowed WHEN read THEN it is refused before inflating, naming the file and the limit', () => {
    const archive = zip({ 'plan.json': PLAN }, '-9');
    expect(() => readZipEntry(archive, 'plan.json', 100)).toThrow(new ZipError(`plan.json is ${PLAN.length} bytes (allowed: at most 100)`));
  });

  test('GIVEN bytes that are not a zip, a truncated archive or a corrupted entry WHEN read THEN each is a ZipError', () => {
    const archive = zip({ 'plan.json': PLAN }, '-0');
    expect(() => readZipEntry(Buffer.from('not a zip at all, but long enough to look'), 'plan.json', 1 << 20)).toThrow(
      'zip archive: has no end of central directory record (not a zip file)',
    );
    expect(() => readZipEntry(Buffer.from('PK'), 'plan.json', 1 << 20)).toThrow('zip archive: is too short to be a zip file');
    const corrupted = Buffer.from(archive);
    corrupted[archive.indexOf(Buffer.from('ingest-dev'))] ^= 0xff;
    expect(() => readZipEntry(corrupted, 'plan.json', 1 << 20)).toThrow('zip archive: plan.json does not match its size and CRC-32');
    const eocd = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const pointsOutside = Buffer.from(archive);
    pointsOutside.writeUInt32LE(archive.length + 100, eocd + 16);
    expect(() => readZipEntry(pointsOutside, 'plan.json', 1 << 20)).toThrow(ZipError);
  });
});
