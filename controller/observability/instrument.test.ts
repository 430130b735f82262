import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakePlanner } from '../../test/doubles/fake-planner.js';
import type { BackSyncReport } from '../core/ports/back-sync.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { countAppliesTakenOver, countedBackSync, countedClaims, countPlansTakenOver, timedPlanner, withLockWaits } from './instrument.js';
import { ControllerMetrics } from './metrics.js';

/** Each labelled value of a metric, as `label=value,…` → value (histograms: their _count). */
async function values(metric: { get(): Promise<{ values: { labels: object; value: number; metricName?: string }[] }> }) {
  const out: Record<string, number> = {};
  for (const v of (await metric.get()).values) {
    if (v.metricName && !v.metricName.endsWith('_count')) continue;
    out[
      Object.entries(v.labels)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(',')
    ] = v.value;
  }
  return out;
}

const request = { repoUrl: 'file:///x', headSha: 'h', baseSha: 'b', environment: 'prod' };

describe('timedPlanner', () => {
  test('GIVEN a plan, a failing plan and a merge re-plan whose stacks apply WHEN run THEN each is timed by kind, environment and outcome, each stack apply by stack', async () => {
    const metrics = new ControllerMetrics();
    const fake = new FakePlanner();
    fake.failingApplies.add('network-prod');
    const planner = timedPlanner(fake, metrics);
    await planner.plan(request);
    fake.failWith = new Error('synth failed');
    await expect(planner.plan({ ...request, environment: 'dev' })).rejects.toThrow('synth failed');
    fake.failWith = undefined;
    const saved = await planner.planToApply!(request);
    expect(saved.report.environment).toBe('prod');
    await saved.apply('release-prod');
    await expect(saved.apply('network-prod')).rejects.toThrow('boom');
    await saved.discard();
    expect(fake.applyLog).toEqual(['apply release-prod', 'apply network-prod', 'discard']);
    expect(await values(metrics.planDuration)).toEqual({
      'kind=pull_request,environment=prod,outcome=ok': 1,
      'kind=pull_request,environment=dev,outcome=error': 1,
      'kind=merge,environment=prod,outcome=ok': 1,
    });
    expect(await values(metrics.applyDuration)).toEqual({
      'environment=prod,stack=release-prod,outcome=ok': 1,
      'environment=prod,stack=network-prod,outcome=error': 1,
    });
    expect(planner.synthesizes).toBe(false);
  });

  test('GIVEN a planner that cannot apply WHEN wrapped THEN the wrapper cannot either', () => {
    const fake = new FakePlanner();
    const planOnly = { synthesizes: true, plan: (r: typeof request) => fake.plan(r) };
    expect(timedPlanner(planOnly, new ControllerMetrics()).planToApply).toBeUndefined();
  });
});

describe('withLockWaits', () => {
  test('GIVEN a lock taken at once and one taken after 90 s of waiting WHEN polled THEN two waits are observed, 0 s and 90 s, and a waiting poll observes nothing', async () => {
    let clock = Date.parse('2026-12-02T10:00:00Z');
    const store = new SqliteStore(':memory:', { now: () => new Date(clock) });
    try {
      const metrics = new ControllerMetrics();
      const locks = withLockWaits(store, metrics);
      const first = await locks.enterLockQueue({ repo: 'acme/infra', environment: 'prod', holder: 'a', leaseMs: 600_000 });
      const second = await locks.enterLockQueue({ repo: 'acme/infra', environment: 'prod', holder: 'b', leaseMs: 600_000 });
      expect((await locks.pollLock(second.ticket.id))?.acquired).toBe(false);
      clock += 90_000;
      await locks.releaseLock(first.ticket.id);
      expect((await locks.pollLock(second.ticket.id))?.acquired).toBe(true);
      const sum = (await metrics.lockWait.get()).values.find((v) => v.metricName === 'gitops_lock_wait_seconds_sum');
      expect(await values(metrics.lockWait)).toEqual({ 'environment=prod': 2 });
      expect(sum?.value).toBe(90);
      expect(await locks.listLocks()).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});

describe('countedClaims', () => {
  test('GIVEN a delivery claimed twice WHEN counted THEN one redelivery of its event is counted', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const metrics = new ControllerMetrics();
      const claims = countedClaims(store, metrics);
      expect([
        await claims.claimDelivery('d-1', 'push.'),
        await claims.claimDelivery('d-1', 'push.'),
        await claims.claimDelivery('d-2', 'push.'),
      ]).toEqual([true, false, true]);
      expect(await values(metrics.webhooksDeduplicated)).toEqual({ 'event=push.': 1 });
      expect(await values(metrics.deliveryClaims)).toEqual({ 'outcome=won': 2, 'outcome=lost': 1 });
    } finally {
      store.close();
    }
  });

  test('GIVEN a claim a stopped controller left WHEN released through the wrapper THEN one delivery takeover is counted', async () => {
    const path = `${mkdtempSync(join(tmpdir(), 'gitops-instrument-'))}/state.db`;
    const stopped = new SqliteStore(path, { controllerId: 'stopped' });
    await stopped.claimDelivery('d-1', 'push.');
    stopped.close();
    const store = new SqliteStore(path, { controllerId: 'next' });
    try {
      const metrics = new ControllerMetrics();
      expect(await countedClaims(store, metrics).releaseAbandonedDeliveries()).toBe(1);
      expect(await values(metrics.takeovers)).toEqual({ 'kind=delivery': 1 });
    } finally {
      store.close();
    }
  });
});

describe('takeover counts', () => {
  test('GIVEN recoveries that failed two applies, released a lock and finished a plan WHEN counted THEN each kind is counted and the results pass through', async () => {
    const metrics = new ControllerMetrics();
    const lock = { id: 1 } as never;
    const applies = { applies: [3, 4], released: [lock], kept: [] };
    expect(countAppliesTakenOver(metrics, applies)).toBe(applies);
    expect(countAppliesTakenOver(metrics, undefined)).toBeUndefined();
    const plans = [{ planId: 9, repo: 'acme/infra', pr: 7, environment: 'dev', checksCompleted: true, replanned: true }];
    expect(countPlansTakenOver(metrics, plans)).toBe(plans);
    expect(await values(metrics.takeovers)).toEqual({ 'kind=apply': 2, 'kind=lock': 1, 'kind=plan': 1 });
  });
});

describe('replica metrics', () => {
  test('GIVEN a replica id and its lease renewals WHEN scraped twice THEN every series carries the replica and the renewals count up by what changed', async () => {
    let renewals = { ok: 3, failed: 0, late: 0 };
    const metrics = new ControllerMetrics({ replica: 'r-1', leaseRenewals: () => renewals });
    metrics.deliveryClaims.inc({ outcome: 'won' });
    const first = (await metrics.scrape()).body;
    expect(first).toContain('gitops_delivery_claims_total{outcome="won",replica="r-1"} 1');
    expect(first).toContain('gitops_replica_lease_renewals_total{outcome="ok",replica="r-1"} 3');
    expect(first).toMatch(/^process_cpu_user_seconds_total\{replica="r-1"\} /m);
    renewals = { ok: 5, failed: 1, late: 1 };
    const second = (await metrics.scrape()).body;
    expect(second).toContain('gitops_replica_lease_renewals_total{outcome="ok",replica="r-1"} 5');
    expect(second).toContain('gitops_replica_lease_renewals_total{outcome="failed",replica="r-1"} 1');
    expect(second).toContain('gitops_replica_lease_renewals_total{outcome="late",replica="r-1"} 1');
    // a controller alone on its SQLite file: no replica label, no renewals
    const alone = (await new ControllerMetrics().scrape()).body;
    expect(alone).not.toContain('replica=');
    expect(alone).not.toMatch(/^gitops_replica_lease_renewals_total\{/m);
  });
});

describe('countedBackSync', () => {
  const report: BackSyncReport = {
    trunk: 'main',
    trunkSha: 'c'.repeat(40),
    dryRun: false,
    branches: [
      { branch: 'uat', outcome: 'synced', before: 'a', after: 'b', conflicts: [], message: 'uat rebased' },
      { branch: 'dev', outcome: 'conflict', before: 'd', after: 'd', conflicts: ['x.ts'], message: 'dev conflicts' },
    ],
  };
  test('GIVEN a back-sync that rebased uat and left dev in conflict, then one that threw WHEN counted THEN each outcome is counted once', async () => {
    const metrics = new ControllerMetrics();
    expect(await countedBackSync(async () => report, metrics)({ repo: 'file:///r' })).toBe(report);
    await expect(
      countedBackSync(async () => {
        throw new Error('remote unreadable');
      }, metrics)({ repo: 'file:///r' }),
    ).rejects.toThrow('remote unreadable');
    expect(await values(metrics.backSyncs)).toEqual({
      'branch=uat,outcome=synced': 1,
      'branch=dev,outcome=conflict': 1,
      'branch=*,outcome=failed': 1,
    });
  });
});
