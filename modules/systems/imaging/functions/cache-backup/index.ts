// Entry of the cache backup: the snapshots of REPLICATION_GROUP_ID exported to BACKUP_BUCKET.
import { CopySnapshotCommand, DescribeSnapshotsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { cacheBackup } from './handler.js';

const elasticache = new ElastiCacheClient({});
const replicationGroupId = process.env.REPLICATION_GROUP_ID ?? '';
const bucket = process.env.BACKUP_BUCKET ?? '';

export const handler = cacheBackup({
  replicationGroupId,
  maxAgeHours: Number(process.env.MAX_SNAPSHOT_AGE_HOURS ?? '36'),
  snapshots: {
    automatic: async () => {
      const found = [];
      let marker: string | undefined;
      do {
        const page = await elasticache.send(
          new DescribeSnapshotsCommand({ ReplicationGroupId: replicationGroupId, SnapshotSource: 'automated', Marker: marker }),
        );
        for (const s of page.Snapshots ?? []) {
          const started = s.NodeSnapshots?.[0]?.SnapshotCreateTime;
          if (s.SnapshotName && started) found.push({ name: s.SnapshotName, status: s.SnapshotStatus ?? '', createdAt: new Date(started) });
        }
        marker = page.Marker;
      } while (marker);
      return found;
    },
    exportTo: async (source, target) => {
      try {
        await elasticache.send(new CopySnapshotCommand({ SourceSnapshotName: source, TargetSnapshotName: target, TargetBucket: bucket }));
        return 'exported';
      } catch (error) {
        // The bucket already holds that day's copy: a retry or a second invocation.
        if ((error as { name?: string }).name === 'SnapshotAlreadyExistsFault') return 'exists';
        throw error;
      }
    },
  },
});
