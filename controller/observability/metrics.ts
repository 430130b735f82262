// The controller's Prometheus metrics (GET /metrics): webhooks received, refused and redelivered, the
// job queue's depth, plan and apply durations, waits for an environment's lock, back-sync outcomes, and
// prom-client's default process metrics. One registry per controller, never prom-client's global one,
// so that two controllers in one process (tests, benches) count apart. Label values are bounded: event
// names of signed deliveries, HTTP statuses, environment and stack names of the environment files.
// Replicas on a shared database each serve their own metrics, every series labelled with the replica's
// id, so that claims won and lost, work taken over and lease renewals can be told apart per replica.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LeaseRenewals } from '../store/postgres-replicas.js';

/** Seconds: a plan or apply takes from seconds (nothing to do) to many minutes. */
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800];
/** Seconds: a lock is taken at once, or after someone else's apply. */
const WAIT_BUCKETS = [0.1, 1, 5, 15, 60, 300, 900, 1800];

export type RunOutcome = 'ok' | 'error';

export interface ControllerMetricsOptions {
  /** Jobs accepted and not finished (the job queue's size), read at each scrape. @default always 0 */
  readonly queueDepth?: () => number;
  /** The replica these metrics are of: every series gets a `replica` label. @default no label */
  readonly replica?: string;
  /** The replica's lease renewals so far, read at each scrape. @default none: the renewal counter stays empty */
  readonly leaseRenewals?: () => LeaseRenewals | undefined;
}

export class ControllerMetrics {
  readonly registry = new Registry();
  readonly webhooksReceived: Counter<'event'>;
  readonly webhooksRejected: Counter<'status'>;
  readonly webhooksDeduplicated: Counter<'event'>;
  readonly queueDepth: Gauge;
  readonly planDuration: Histogram<'kind' | 'environment' | 'outcome'>;
  readonly applyDuration: Histogram<'environment' | 'stack' | 'outcome'>;
  readonly lockWait: Histogram<'environment'>;
  readonly backSyncs: Counter<'branch' | 'outcome'>;
  readonly deliveryClaims: Counter<'outcome'>;
  readonly takeovers: Counter<'kind'>;
  readonly leaseRenewals: Counter<'outcome'>;

  constructor(opts: ControllerMetricsOptions = {}) {
    const registers = [this.registry];
    if (opts.replica !== undefined) this.registry.setDefaultLabels({ replica: opts.replica });
    collectDefaultMetrics({ register: this.registry });
    this.webhooksReceived = new Counter({
      name: 'gitops_webhooks_received_total',
      help: 'Webhook deliveries whose signature and payload passed, handed to the app, by event',
      labelNames: ['event'],
      registers,
    });
    this.webhooksRejected = new Counter({
      name: 'gitops_webhooks_rejected_total',
      help: 'Webhook requests refused (bad headers, too large, forged signature, malformed payload), by HTTP status',
      labelNames: ['status'],
      registers,
    });
    this.webhooksDeduplicated = new Counter({
      name: 'gitops_webhooks_deduplicated_total',
      help: 'Deliveries seen before (a redelivery), ignored, by event and action',
      labelNames: ['event'],
      registers,
    });
    const depth = opts.queueDepth ?? (() => 0);
    this.queueDepth = new Gauge({
      name: 'gitops_job_queue_depth',
      help: 'Jobs accepted and not finished (waiting or running)',
      registers,
      collect() {
        this.set(depth());
      },
    });
    this.planDuration = new Histogram({
      name: 'gitops_plan_duration_seconds',
      help: 'Plans of an environment: kind pull_request (a pull request head) or merge (the re-plan of a merged commit before its apply)',
      labelNames: ['kind', 'environment', 'outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.applyDuration = new Histogram({
      name: 'gitops_apply_duration_seconds',
      help: "Applies of one stack's saved plan",
      labelNames: ['environment', 'stack', 'outcome'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.lockWait = new Histogram({
      name: 'gitops_lock_wait_seconds',
      help: "Time from joining an environment's lock queue to holding the lock",
      labelNames: ['environment'],
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.backSyncs = new Counter({
      name: 'gitops_back_sync_total',
      help: 'Branches back-synced onto the trunk, by outcome (synced, up-to-date, conflict, lease-lost, error; failed: the run itself failed)',
      labelNames: ['branch', 'outcome'],
      registers,
    });
    this.deliveryClaims = new Counter({
      name: 'gitops_delivery_claims_total',
      help: 'Claims of a delivery in the store: won (this replica runs it) or lost (seen before, by this or another replica)',
      labelNames: ['outcome'],
      registers,
    });
    this.takeovers = new Counter({
      name: 'gitops_takeovers_total',
      help: 'Work of a stopped controller, or of a replica whose lease ran out, taken over: delivery claims released, plans and applies finished, lock tickets released',
      labelNames: ['kind'],
      registers,
    });
    const renewals = opts.leaseRenewals ?? (() => undefined);
    const seen = { ok: 0, failed: 0, late: 0 };
    this.leaseRenewals = new Counter({
      name: 'gitops_replica_lease_renewals_total',
      help: "Renewals of this replica's lease: ok, failed (the database did not answer) and late (after the lease had run out, so others may have taken its work over)",
      labelNames: ['outcome'],
      registers,
      collect() {
        const now = renewals();
        if (!now) return;
        for (const outcome of ['ok', 'failed', 'late'] as const) {
          this.inc({ outcome }, now[outcome] - seen[outcome]);
          seen[outcome] = now[outcome];
        }
      },
    });
  }

  /** The text exposition of every metric. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
