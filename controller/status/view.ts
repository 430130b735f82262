// What the status page shows, read from the store: each environment's deployed commit, promotions
// waiting (what the required environment applied since the promoted one last deployed), the lock
// queues, and the newest applies, plans and stack runs with their outcome and duration. Everything
// here comes from the store, whose free text is already masked; links point at the repository's
// web pages (pull requests, commits, check runs), built from the clone URL the records carry.
import { repositoryWebUrl } from '../comment/escape.js';
import { errorLine } from '../comment/limits.js';
import type { ApplyRecord, PlanRecord, StatusReads, ApplyRecords, Locks, RunRecords, PlanRecords } from '../core/ports/store.js';

/** An environment as the page needs it: its branch and the environment it is promoted from. */
export interface StatusEnvironment {
  readonly name: string;
  readonly branch: string;
  readonly release?: { readonly requires?: string };
}

export interface StatusSources {
  readonly store: StatusReads &
    Pick<ApplyRecords, 'succeededApplies'> &
    Pick<Locks, 'listLocks'> &
    Pick<RunRecords, 'listRuns'> &
    Pick<PlanRecords, 'latestPlan'>;
  /** The environments and their promotion order (the controller's environment files); may throw when they cannot be read. */
  readonly environments: () => readonly StatusEnvironment[];
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Rows of each recent list. @default 20 */
  readonly limit?: number;
}

/** Text, and where it links to when the repository's web address is known. */
export interface Link {
  readonly text: string;
  readonly href?: string;
}

export interface DeployedRow {
  readonly repo: string | null;
  readonly environment: string;
  readonly branch: string | null;
  /** Undefined when the environment was never applied. */
  readonly commit?: Link;
  readonly at?: string;
  readonly pr?: Link;
  /** Who opened the merged pull request (from its plan record). */
  readonly author?: string;
  /** Who merged it (the push's sender), or the approver whose `/apply` deployed it. */
  readonly mergedBy?: string;
  readonly check?: Link;
}

export interface PendingApply {
  readonly commit: Link;
  readonly pr?: Link;
  readonly headRef?: string;
  readonly at: string;
}

export interface PromotionRow {
  readonly repo: string;
  readonly from: string;
  readonly to: string;
  /** Applies of `from` newer than the last deploy of `to`, newest first. */
  readonly pending: readonly PendingApply[];
}

export interface LockRow {
  readonly repo: string;
  readonly environment: string;
  readonly state: 'held' | 'waiting';
  readonly holder: string;
  readonly pr?: Link;
  readonly commit?: Link;
  readonly since: string;
}

export interface RunRow {
  readonly kind: 'plan' | 'apply';
  readonly repo: string;
  readonly environment: string;
  readonly pr?: Link;
  readonly commit: Link;
  readonly status: string;
  readonly startedAt: string;
  readonly duration: string;
  readonly check?: Link;
  readonly reason?: string;
}

export interface StackRunRow {
  readonly repo: string;
  readonly environment: string;
  readonly stack: string;
  readonly commit: Link;
  readonly status: string;
  readonly startedAt: string;
  readonly duration: string;
}

export interface StatusView {
  readonly generatedAt: string;
  readonly environments: readonly DeployedRow[];
  readonly promotions: readonly PromotionRow[];
  readonly locks: readonly LockRow[];
  readonly runs: readonly RunRow[];
  readonly stackRuns: readonly StackRunRow[];
  /** What could not be read (e.g. the environment files), one line each. */
  readonly problems: readonly string[];
}

const FINISHED = new Set(['succeeded', 'failed', 'differs', 'skipped', 'planned', 'unavailable', 'superseded', 'cancelled', 'timed_out']);

/** 4s, 2m 05s, 1h 02m. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** An ISO time as `2026-12-02 10:33 UTC`. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How long a record ran: from start to its last update when finished, else `running <so far>`. */
function durationOf(status: string, startedAt: string, endedAt: string | null, now: Date): string {
  const start = Date.parse(startedAt);
  if (FINISHED.has(status) && endedAt) return formatDuration(Date.parse(endedAt) - start);
  return `running ${formatDuration(now.getTime() - start)}`;
}

/** Links into one repository's web pages. */
class RepoLinks {
  readonly #web = new Map<string, string>();
  learn(repo: string, cloneUrl: string | null): void {
    const web = repositoryWebUrl(cloneUrl ?? undefined);
    if (web && !this.#web.has(repo)) this.#web.set(repo, web);
  }
  #at(repo: string, path: string): string | undefined {
    const web = this.#web.get(repo);
    return web && `${web}/${path}`;
  }
  commit(repo: string, sha: string): Link {
    return { text: sha.slice(0, 7), href: this.#at(repo, `commit/${sha}`) };
  }
  pr(repo: string, pr: number | null): Link | undefined {
    return pr === null ? undefined : { text: `#${pr}`, href: this.#at(repo, `pull/${pr}`) };
  }
  check(repo: string, id: number | null, text: string): Link | undefined {
    return id === null ? undefined : { text, href: this.#at(repo, `runs/${id}`) };
  }
}

function environmentsOf(sources: StatusSources, problems: string[]): readonly StatusEnvironment[] {
  try {
    return sources.environments();
  } catch (e) {
    problems.push(`environment files could not be read, promotions are not shown: ${errorLine(e)}`);
    return [];
  }
}

/** Reads everything the page shows. */
export async function readStatus(sources: StatusSources): Promise<StatusView> {
  const { store } = sources;
  const now = (sources.now ?? (() => new Date()))();
  const limit = sources.limit ?? 20;
  const problems: string[] = [];
  const environments = environmentsOf(sources, problems);
  const [deployed, applies, plans, locks, runs] = await Promise.all([
    store.deployedApplies(),
    store.recentApplies(limit),
    store.recentPlans(limit),
    store.listLocks(),
    store.listRuns({ limit }),
  ]);
  const links = new RepoLinks();
  for (const r of [...deployed, ...applies, ...plans]) links.learn(r.repo, r.cloneUrl);
  const repos = [...new Set([...deployed, ...applies].map((a) => a.repo))].sort();
  const planOf = (a: ApplyRecord): Promise<PlanRecord | undefined> =>
    a.pr === null ? Promise.resolve(undefined) : Promise.resolve(store.latestPlan(a.repo, a.pr, a.environment));

  const deployedRow = async (repo: string | null, environment: string, branch: string | null): Promise<DeployedRow> => {
    const a = deployed.find((d) => d.repo === repo && d.environment === environment);
    if (!a) return { repo, environment, branch };
    const plan = await planOf(a);
    return {
      repo,
      environment,
      branch,
      commit: links.commit(a.repo, a.sha),
      at: formatTime(a.updatedAt),
      pr: links.pr(a.repo, a.pr),
      ...(plan?.author ? { author: plan.author } : {}),
      ...(a.actor ? { mergedBy: a.actor } : {}),
      check: links.check(a.repo, a.checkRunId, `gitops/apply/${environment}`),
    };
  };
  const environmentRows: DeployedRow[] = [];
  const named = new Set(environments.map((e) => e.name));
  for (const repo of repos.length > 0 ? repos : [null]) {
    for (const e of environments) environmentRows.push(await deployedRow(repo, e.name, e.branch));
    for (const a of deployed)
      if (a.repo === repo && !named.has(a.environment)) environmentRows.push(await deployedRow(repo, a.environment, null));
  }

  const promotions: PromotionRow[] = [];
  for (const repo of repos) {
    for (const to of environments) {
      const from = to.release?.requires;
      if (!from) continue;
      const last = deployed.find((d) => d.repo === repo && d.environment === to.name);
      const newer = (await store.succeededApplies(repo, from, limit)).filter((a) => !last || a.id > last.id);
      const pending = await Promise.all(
        newer.map(async (a) => {
          const plan = await planOf(a);
          return {
            commit: links.commit(repo, a.sha),
            pr: links.pr(repo, a.pr),
            ...(plan?.headRef ? { headRef: plan.headRef } : {}),
            at: formatTime(a.updatedAt),
          };
        }),
      );
      promotions.push({ repo, from, to: to.name, pending });
    }
  }

  const runRows: RunRow[] = [
    ...applies.map((a) => ({
      kind: 'apply' as const,
      repo: a.repo,
      environment: a.environment,
      pr: links.pr(a.repo, a.pr),
      commit: links.commit(a.repo, a.sha),
      status: a.status,
      startedAt: a.createdAt,
      duration: durationOf(a.status, a.createdAt, a.updatedAt, now),
      check: links.check(a.repo, a.checkRunId, `gitops/apply/${a.environment}`),
      ...(a.reason ? { reason: a.reason } : {}),
    })),
    ...plans.map((p) => ({
      kind: 'plan' as const,
      repo: p.repo,
      environment: p.environment,
      pr: links.pr(p.repo, p.pr),
      commit: links.commit(p.repo, p.headSha),
      status: p.status,
      startedAt: p.createdAt,
      duration: durationOf(p.status, p.createdAt, p.updatedAt, now),
      check: links.check(p.repo, p.planCheckId, `gitops/plan/${p.environment}`),
      ...(p.reason ? { reason: p.reason } : {}),
    })),
  ]
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, limit)
    .map((r) => ({ ...r, startedAt: formatTime(r.startedAt) }));

  return {
    generatedAt: formatTime(now.toISOString()),
    environments: environmentRows,
    promotions,
    locks: locks.map((l) => ({
      repo: l.repo,
      environment: l.environment,
      state: l.state,
      holder: l.holder,
      pr: links.pr(l.repo, l.pr),
      ...(l.sha ? { commit: links.commit(l.repo, l.sha) } : {}),
      since: formatTime(l.acquiredAt ?? l.enqueuedAt),
    })),
    runs: runRows,
    stackRuns: runs.map((r) => ({
      repo: r.repo,
      environment: r.environment,
      stack: r.stack,
      commit: links.commit(r.repo, r.sha),
      status: r.status,
      startedAt: formatTime(r.startedAt),
      duration: durationOf(r.status, r.startedAt, r.finishedAt, now),
    })),
    problems,
  };
}
