// The daily copy of the Redis link cache's newest automatic snapshot into the backup bucket, which
// S3 replicates to the DR region (seed 001: "sync redis cache backup to DR region"). ElastiCache
// writes the .rdb files itself; this only picks the snapshot and names the copy after its day, so a
// second run on the same day finds the copy there and changes nothing.

/** One snapshot of the replication group, as DescribeSnapshots reports it. */
export interface CacheSnapshot {
  readonly name: string;
  readonly status: string;
  /** When the snapshot's first node copy started. */
  readonly createdAt: Date;
}

export interface SnapshotStore {
  /** The replication group's automatic snapshots. */
  automatic(): Promise<CacheSnapshot[]>;
  /** Exports `source` to the bucket as `target`; 'exists' when a copy of that name is already there. */
  exportTo(source: string, target: string): Promise<'exported' | 'exists'>;
}

export interface CacheBackupOptions {
  readonly replicationGroupId: string;
  readonly snapshots: SnapshotStore;
  /** A newest snapshot older than this is an error (the snapshot schedule stopped). */
  readonly maxAgeHours: number;
  readonly now?: () => Date;
}

export interface CacheBackupResult {
  readonly source: string;
  readonly copy: string;
  readonly outcome: 'exported' | 'exists';
}

/** The copy's name: the group and the snapshot's day, so one copy per day and re-runs are no-ops. */
export function copyName(replicationGroupId: string, createdAt: Date): string {
  return `${replicationGroupId}-${createdAt.toISOString().slice(0, 10)}`;
}

export function cacheBackup(options: CacheBackupOptions): () => Promise<CacheBackupResult> {
  const now = options.now ?? (() => new Date());
  return async () => {
    const available = (await options.snapshots.automatic()).filter((s) => s.status === 'available');
    const newest = available.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    if (newest === undefined) {
      // Thrown, not logged: the function's error alarm is what tells someone the DR copy is not refreshed.
      throw new Error(`cache backup: replication group ${options.replicationGroupId} has no available automatic snapshot to copy`);
    }
    const ageHours = (now().getTime() - newest.createdAt.getTime()) / 3_600_000;
    if (ageHours > options.maxAgeHours) {
      throw new Error(
        `cache backup: the newest snapshot of ${options.replicationGroupId} (${newest.name}) is ${Math.floor(ageHours)} hours old, more than ${options.maxAgeHours}`,
      );
    }
    const copy = copyName(options.replicationGroupId, newest.createdAt);
    const outcome = await options.snapshots.exportTo(newest.name, copy);
    console.log(JSON.stringify({ message: 'cache backup', source: newest.name, copy, outcome }));
    return { source: newest.name, copy, outcome };
  };
}
