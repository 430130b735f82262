import { cacheBackup, copyName, type CacheSnapshot } from './handler.js';

const NOW = new Date('2026-12-02T06:00:00Z');
const snapshot = (name: string, createdAt: string, status = 'available'): CacheSnapshot => ({
  name,
  status,
  createdAt: new Date(createdAt),
});

/** A snapshot store that keeps the bucket's copies, as ElastiCache does: a name is written once. */
function store(snapshots: CacheSnapshot[], failExport?: Error) {
  const bucket = new Map<string, string>();
  return {
    bucket,
    snapshots: {
      automatic: async () => snapshots,
      exportTo: async (source: string, target: string) => {
        if (failExport) throw failExport;
        if (bucket.has(target)) return 'exists' as const;
        bucket.set(target, source);
        return 'exported' as const;
      },
    },
  };
}
const run = (s: ReturnType<typeof store>) =>
  cacheBackup({ replicationGroupId: 'imaging-prod', snapshots: s.snapshots, maxAgeHours: 36, now: () => NOW })();

describe('cache backup', () => {
  test("GIVEN three automatic snapshots WHEN the backup runs THEN the newest available one is exported under its day's name", async () => {
    const s = store([
      snapshot('automatic.imaging-prod-2026-11-30-03-00', '2026-11-30T03:00:00Z'),
      snapshot('automatic.imaging-prod-2026-12-02-03-00', '2026-12-02T03:00:00Z', 'creating'),
      snapshot('automatic.imaging-prod-2026-12-01-03-00', '2026-12-01T03:00:00Z'),
    ]);
    await expect(run(s)).resolves.toEqual({
      source: 'automatic.imaging-prod-2026-12-01-03-00',
      copy: 'imaging-prod-2026-12-01',
      outcome: 'exported',
    });
    expect([...s.bucket.entries()]).toEqual([['imaging-prod-2026-12-01', 'automatic.imaging-prod-2026-12-01-03-00']]);
  });

  test('GIVEN the day was already copied WHEN the backup runs again THEN nothing new is written and it succeeds', async () => {
    const s = store([snapshot('automatic.imaging-prod-2026-12-02-03-00', '2026-12-02T03:00:00Z')]);
    await run(s);
    await expect(run(s)).resolves.toMatchObject({ outcome: 'exists', copy: 'imaging-prod-2026-12-02' });
    expect(s.bucket.size).toBe(1);
  });

  test('GIVEN no available snapshot WHEN the backup runs THEN it fails naming the replication group (the error alarm fires)', async () => {
    const s = store([snapshot('automatic.imaging-prod-2026-12-02-03-00', '2026-12-02T03:00:00Z', 'creating')]);
    await expect(run(s)).rejects.toThrow('cache backup: replication group imaging-prod has no available automatic snapshot to copy');
    expect(s.bucket.size).toBe(0);
  });

  test('GIVEN the newest snapshot is two days old WHEN the backup runs THEN it fails saying how old, and copies nothing', async () => {
    const s = store([snapshot('automatic.imaging-prod-2026-11-30-03-00', '2026-11-30T03:00:00Z')]);
    await expect(run(s)).rejects.toThrow(
      'cache backup: the newest snapshot of imaging-prod (automatic.imaging-prod-2026-11-30-03-00) is 51 hours old, more than 36',
    );
    expect(s.bucket.size).toBe(0);
  });

  test('GIVEN the export is refused WHEN the backup runs THEN the error reaches the caller (Lambda retries, then the DLQ)', async () => {
    const s = store([snapshot('automatic.imaging-prod-2026-12-02-03-00', '2026-12-02T03:00:00Z')], new Error('Access Denied'));
    await expect(run(s)).rejects.toThrow('Access Denied');
  });

  test('GIVEN a snapshot started just before midnight UTC WHEN named THEN the copy carries that UTC day', () => {
    expect(copyName('imaging-uat', new Date('2026-12-01T23:59:59Z'))).toBe('imaging-uat-2026-12-01');
  });
});
