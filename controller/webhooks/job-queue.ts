// The in-process work queue behind the webhook endpoint. Webhook handlers only enqueue, so the
// HTTP answer never waits for git, synth or terraform. Two guarantees:
// - jobs with the same key (one pull request) run one after another, in arrival order;
// - a job that names a supersede group aborts every unfinished earlier job of that key and group
//   (a newer push makes the older plan worthless). The older job still runs with an aborted
//   signal, so it can say on GitHub that it was superseded.
// Waiting jobs hold no concurrency slot: a job is handed to p-queue only when its key's previous
// job has settled, so one busy pull request cannot starve the others.
import PQueue from 'p-queue';
import type { PortableJob } from './job-orders.js';

/** The abort reason given to a superseded job. */
export class SupersededError extends Error {
  constructor(readonly by: string) {
    super(`superseded by ${by}`);
    this.name = 'SupersededError';
  }
}

export interface JobSpec {
  /** Serialization key: jobs with the same key never overlap (e.g. `owner/repo#12`). */
  readonly key: string;
  /** Shown in logs and in the superseded message of older jobs (e.g. `plan abc1234`). */
  readonly label: string;
  /** Jobs of the same key and group supersede each other: the newest wins. @default never superseded */
  readonly supersedeGroup?: string;
  /** The job as data, for a queue that shares jobs between replicas. @default this process only can run it */
  readonly portable?: PortableJob;
  run(signal: AbortSignal): Promise<void>;
}

/** Where jobs go: this process's queue, or the jobs the replicas share (shared-job-queue.ts). */
export interface JobBoard {
  /** Queues a job; the promise settles (never rejects) once it has run, in whichever process ran it. */
  enqueue(spec: JobSpec): Promise<void>;
  /** Jobs accepted here and not finished yet. */
  readonly size: number;
  /** Resolves when every job accepted here has finished. */
  onIdle(): Promise<void>;
  /** Stops accepting jobs and ends this process's part of the unfinished ones. */
  close(): Promise<void>;
}

export interface JobQueueOptions {
  /** Jobs running at once across all keys. @default 2 */
  readonly concurrency?: number;
  /** Called when a job throws (jobs should report their own failures; this is the last resort). */
  readonly onError?: (error: unknown, job: JobSpec) => void;
}

interface Entry {
  readonly spec: JobSpec;
  readonly controller: AbortController;
  finished: boolean;
}

export class JobQueue implements JobBoard {
  readonly #pq: PQueue;
  readonly #onError: (error: unknown, job: JobSpec) => void;
  /** The last job of each key; the next job of that key starts after it settles. */
  readonly #tails = new Map<string, Promise<void>>();
  readonly #unfinished = new Map<string, Entry[]>();
  readonly #inflight = new Set<Promise<void>>();
  #closed = false;

  constructor(options: JobQueueOptions = {}) {
    const concurrency = options.concurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`JobQueue: concurrency must be a whole number of at least 1 (got ${concurrency})`);
    }
    this.#pq = new PQueue({ concurrency });
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Jobs accepted and not finished yet (waiting or running). */
  get size(): number {
    return this.#inflight.size;
  }

  /** Queues a job; returns a promise that settles when it has run (it never rejects). */
  enqueue(spec: JobSpec): Promise<void> {
    if (this.#closed) throw new Error(`JobQueue: closed; cannot accept "${spec.label}"`);
    const entry: Entry = { spec, controller: new AbortController(), finished: false };
    const entries = this.#unfinished.get(spec.key) ?? [];
    if (spec.supersedeGroup !== undefined) {
      for (const older of entries) {
        if (older.spec.supersedeGroup === spec.supersedeGroup && !older.controller.signal.aborted) {
          older.controller.abort(new SupersededError(spec.label));
        }
      }
    }
    entries.push(entry);
    this.#unfinished.set(spec.key, entries);

    const previous = this.#tails.get(spec.key) ?? Promise.resolve();
    const done: Promise<void> = previous
      .then(() => this.#pq.add(() => spec.run(entry.controller.signal)))
      .catch((error: unknown) => this.#onError(error, spec))
      .finally(() => this.#finish(entry, done));
    this.#tails.set(spec.key, done);
    this.#inflight.add(done);
    return done;
  }

  /** Resolves when every accepted job (including ones queued while waiting) has finished. */
  async onIdle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Stops accepting jobs, aborts the unfinished ones and waits for them to settle. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const entries of this.#unfinished.values()) {
      for (const e of entries) if (!e.controller.signal.aborted) e.controller.abort(new Error('controller shutting down'));
    }
    await this.onIdle();
  }

  #finish(entry: Entry, done: Promise<void>): void {
    entry.finished = true;
    this.#inflight.delete(done);
    const key = entry.spec.key;
    const left = (this.#unfinished.get(key) ?? []).filter((e) => !e.finished);
    if (left.length === 0) this.#unfinished.delete(key);
    else this.#unfinished.set(key, left);
    if (this.#tails.get(key) === done) this.#tails.delete(key);
  }
}
