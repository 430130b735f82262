// Rows of the SQLite store and the records the store ports hand out, plus the checks every value
// passes before it is written (one line naming the field and what it must be).
import type {
  ApplyRecord,
  ApplyStatus,
  LockRecord,
  LockState,
  PlanRecord,
  PlanStatus,
  RunKind,
  RunRecord,
  RunStatus,
} from '../core/ports/store.js';

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new TypeError(`${field} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

export function text(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new TypeError(`${field} must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

export function positiveInt(field: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1)
    throw new TypeError(`${field} must be a positive integer (got ${JSON.stringify(value)})`);
  return value as number;
}

/** An optional column: undefined is stored as NULL, anything else must pass `check`. */
export function optional<T>(field: string, value: unknown, check: (field: string, value: unknown) => T): T | null {
  return value === undefined ? null : check(field, value);
}

export interface PlanRow {
  id: number;
  repo: string;
  pr: number;
  environment: string;
  head_sha: string;
  base_sha: string;
  status: PlanStatus;
  summary_json: string | null;
  installation_id: number | null;
  head_ref: string | null;
  base_ref: string | null;
  clone_url: string | null;
  author: string | null;
  plan_check_id: number | null;
  policy_check_id: number | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface RunRow {
  id: number;
  repo: string;
  kind: RunKind;
  environment: string;
  stack: string;
  sha: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  log_tail: string | null;
  apply_id: number | null;
  started_by: string | null;
}

export interface LockRow {
  id: number;
  repo: string;
  environment: string;
  holder: string;
  pr: number | null;
  sha: string | null;
  owner: string;
  state: LockState;
  enqueued_at: string;
  acquired_at: string | null;
  lease_expires_at: string;
}

export interface ApplyRow {
  id: number;
  repo: string;
  environment: string;
  sha: string;
  base_sha: string;
  pr: number | null;
  status: ApplyStatus;
  installation_id: number | null;
  clone_url: string | null;
  actor: string | null;
  check_run_id: number | null;
  deployment_id: number | null;
  lock_id: number | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

export const toPlan = (r: PlanRow): PlanRecord => ({
  id: r.id,
  repo: r.repo,
  pr: r.pr,
  environment: r.environment,
  headSha: r.head_sha,
  baseSha: r.base_sha,
  status: r.status,
  summaryJson: r.summary_json,
  installationId: r.installation_id,
  headRef: r.head_ref,
  baseRef: r.base_ref,
  cloneUrl: r.clone_url,
  author: r.author,
  planCheckId: r.plan_check_id,
  policyCheckId: r.policy_check_id,
  reason: r.reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  repo: r.repo,
  kind: r.kind,
  environment: r.environment,
  stack: r.stack,
  sha: r.sha,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  logTail: r.log_tail,
  applyId: r.apply_id,
  startedBy: r.started_by,
});

export const toLock = (r: LockRow): LockRecord => ({
  id: r.id,
  repo: r.repo,
  environment: r.environment,
  holder: r.holder,
  pr: r.pr,
  sha: r.sha,
  owner: r.owner,
  state: r.state,
  enqueuedAt: r.enqueued_at,
  acquiredAt: r.acquired_at,
  leaseExpiresAt: r.lease_expires_at,
});

export const toApply = (r: ApplyRow): ApplyRecord => ({
  id: r.id,
  repo: r.repo,
  environment: r.environment,
  sha: r.sha,
  baseSha: r.base_sha,
  pr: r.pr,
  status: r.status,
  installationId: r.installation_id,
  cloneUrl: r.clone_url,
  actor: r.actor,
  checkRunId: r.check_run_id,
  deploymentId: r.deployment_id,
  lockId: r.lock_id,
  reason: r.reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
