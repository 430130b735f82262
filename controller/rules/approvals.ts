// Whether a pull request has the approvals its target environment asks for: a count from the
// environment file, plus one approval from a CODEOWNERS owner of every changed path that has
// owners. Only approvals of the CURRENT head count (a push makes earlier approvals stale), only
// from people who can write to the repository, and a reviewer's latest word wins.
import { matchFile, parse, type CodeOwnersEntry } from 'codeowners-utils';
import { WRITE_PERMISSIONS, type Permission, type Review } from '../core/ports/github.js';

export interface ApprovalsInput {
  /** `release.requiredApprovals` of the target environment. */
  readonly requiredApprovals: number;
  /** CODEOWNERS text read at the base; undefined when the repository has none. */
  readonly codeowners?: string;
  /** Every changed path (with the old path of renamed files). */
  readonly changedFiles: readonly string[];
  readonly reviews: readonly Review[];
  /** Permission per reviewer login (any case); a reviewer missing here is not counted. */
  readonly permissions: Readonly<Record<string, Permission>>;
  /** Members per team owner, keyed `@org/team`; a team missing here is unknown and stays needed. */
  readonly teamMembers?: Readonly<Record<string, readonly string[]>>;
  /** The pull request's current head SHA. */
  readonly headSha: string;
  /** The pull request's author, whose own approval never counts. */
  readonly author?: string;
}

export interface OwnerRequirement {
  /** Any one of these owners approving satisfies the requirement. */
  readonly owners: string[];
  readonly files: string[];
  /** The approver who satisfied it. */
  readonly approvedBy?: string;
  /** Team owners whose membership was not given (nobody can be matched to them). */
  readonly unknownTeams: string[];
}

export interface ApprovalsResult {
  readonly satisfied: boolean;
  /** Logins whose approval counts, sorted. */
  readonly approvedBy: string[];
  /** What is still needed, one human line each (empty when satisfied). */
  readonly missing: string[];
  /** Reviewers whose latest review does not count, and why. */
  readonly notCounted: { readonly user: string; readonly why: string }[];
  readonly owners: OwnerRequirement[];
  /** One line for a check run's title/summary. */
  readonly summary: string;
  /** Markdown for a check run's text. */
  readonly text: string;
}

const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);
const short = (sha: string) => sha.slice(0, 7);
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The latest approving/rejecting/dismissed review per user (COMMENTED and PENDING change nothing). */
export function latestReviews(reviews: readonly Review[]): Map<string, Review> {
  const ordered = reviews
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => DECISIVE.has(r.state))
    .sort((a, b) => (a.r.submittedAt ?? '').localeCompare(b.r.submittedAt ?? '') || a.i - b.i);
  const latest = new Map<string, Review>();
  for (const { r } of ordered) latest.set(r.user.toLowerCase(), r);
  return latest;
}

function validate(input: ApprovalsInput): void {
  const n = input.requiredApprovals;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`evaluateApprovals: requiredApprovals must be an integer ≥ 0 (got ${String(n)})`);
  if (typeof input.headSha !== 'string' || input.headSha.trim() === '') {
    throw new TypeError(`evaluateApprovals: headSha must be the pull request's head commit SHA (got ${JSON.stringify(input.headSha)})`);
  }
}

/** Groups changed files by the owner set of the CODEOWNERS rule that matches them (the last matching line wins). */
export function ownerRequirements(
  codeowners: string | undefined,
  changedFiles: readonly string[],
): { owners: string[]; files: string[] }[] {
  if (codeowners === undefined) return [];
  const entries: CodeOwnersEntry[] = parse(codeowners.replace(/\r\n/g, '\n'));
  const groups = new Map<string, { owners: string[]; files: string[] }>();
  for (const raw of [...new Set(changedFiles)]) {
    const file = raw.replace(/^\/+/, '');
    if (file === '') continue;
    const owners = matchFile(file, entries)?.owners ?? [];
    if (owners.length === 0) continue; // unowned, or a rule with no owners: nobody's approval needed
    const key = [...owners].sort().join(' ');
    const group = groups.get(key) ?? { owners, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function listFiles(files: readonly string[]): string {
  const shown = files.slice(0, 5).map(code).join(', ');
  return files.length > 5 ? `${shown} and ${files.length - 5} more` : shown;
}

export function evaluateApprovals(input: ApprovalsInput): ApprovalsResult {
  validate(input);
  const permissions = new Map(Object.entries(input.permissions).map(([u, p]) => [u.toLowerCase(), p]));
  const teams = new Map(
    Object.entries(input.teamMembers ?? {}).map(([t, m]) => [t.replace(/^@?/, '@').toLowerCase(), m.map((u) => u.toLowerCase())]),
  );
  const author = input.author?.toLowerCase();

  const approvedBy: string[] = [];
  const notCounted: { user: string; why: string }[] = [];
  for (const review of latestReviews(input.reviews).values()) {
    const login = review.user.toLowerCase();
    const permission = permissions.get(login);
    let why: string | undefined;
    if (review.state === 'CHANGES_REQUESTED') why = 'requested changes';
    else if (review.state === 'DISMISSED') why = 'their approval was dismissed';
    else if (review.commitId !== input.headSha)
      why = `approved an older commit (${short(review.commitId)}); the head is ${short(input.headSha)}`;
    else if (login === author) why = 'is the author';
    else if (permission === undefined) why = 'permission unknown';
    else if (!WRITE_PERMISSIONS.includes(permission)) why = `has ${permission} permission (write, maintain or admin needed)`;
    if (why) notCounted.push({ user: review.user, why });
    else approvedBy.push(review.user);
  }
  approvedBy.sort((a, b) => a.localeCompare(b));

  const approvers = approvedBy.map((u) => u.toLowerCase());
  const ownerMatches = (owner: string, login: string) => {
    if (!owner.startsWith('@')) return false; // an e-mail owner cannot be matched to a login
    return owner.includes('/') ? (teams.get(owner.toLowerCase())?.includes(login) ?? false) : owner.slice(1).toLowerCase() === login;
  };
  const owners: OwnerRequirement[] = ownerRequirements(input.codeowners, input.changedFiles).map(({ owners: o, files }) => {
    const by = approvedBy.find((_user, i) => o.some((owner) => ownerMatches(owner, approvers[i])));
    const unknownTeams = o.filter((owner) => owner.startsWith('@') && owner.includes('/') && !teams.has(owner.toLowerCase()));
    return { owners: o, files, ...(by ? { approvedBy: by } : {}), unknownTeams };
  });

  const missing: string[] = [];
  const short_ = input.requiredApprovals - approvedBy.length;
  if (short_ > 0) {
    missing.push(
      `${short_} more approval${short_ === 1 ? '' : 's'} on ${short(input.headSha)} from someone with write access (${approvedBy.length} of ${input.requiredApprovals})`,
    );
  }
  for (const req of owners.filter((r) => !r.approvedBy)) {
    const unknown = req.unknownTeams.length > 0 ? `; membership unknown for ${req.unknownTeams.map(code).join(', ')}` : '';
    missing.push(`an approval from ${req.owners.map(code).join(' or ')} (code owners of ${listFiles(req.files)}${unknown})`);
  }

  const satisfied = missing.length === 0;
  const counted = `${approvedBy.length} of ${input.requiredApprovals} required approval${input.requiredApprovals === 1 ? '' : 's'} on ${short(input.headSha)}`;
  const ownersLine =
    owners.length === 0
      ? 'no code owners involved'
      : `code owners ${owners.filter((r) => r.approvedBy).length} of ${owners.length} approved`;
  const summary = satisfied ? `Approved: ${counted}, ${ownersLine}.` : `Not yet approved: ${counted}, ${ownersLine}.`;

  const text: string[] = [summary, ''];
  if (approvedBy.length > 0) text.push(`Counted: ${approvedBy.map(code).join(', ')}`, '');
  if (missing.length > 0) text.push('Still needed:', ...missing.map((m) => `- ${m}`), '');
  if (notCounted.length > 0) text.push('Not counted:', ...notCounted.map((n) => `- ${code(n.user)}: ${n.why}`), '');
  if (owners.length > 0) {
    text.push('| code owners | files | approved by |', '|---|---|---|');
    for (const r of owners)
      text.push(`| ${r.owners.map(code).join(' ')} | ${listFiles(r.files)} | ${r.approvedBy ? code(r.approvedBy) : '—'} |`);
  }
  return { satisfied, approvedBy, missing, notCounted, owners, summary, text: text.join('\n').trimEnd() };
}
