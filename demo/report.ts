// What the demo prints: what the bot posted during a step (check runs, the sticky comment's first
// lines, deployments), and the closing table of environments and deployed commits.
import { readFileSync } from 'node:fs';
import type { Sandbox } from '../test/sandbox/sandbox.js';

const short = (sha: string | undefined) => (sha ? sha.slice(0, 7) : '-');
const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Where the sandbox stood when a step began, to print only what the step added or changed. */
export interface Mark {
  readonly checks: Map<number, string>;
  readonly comments: Map<number, string>;
  readonly deployments: Map<number, number>;
}

export function mark(sandbox: Sandbox): Mark {
  const { checkRuns, comments, deployments } = sandbox.state;
  return {
    checks: new Map(checkRuns.map((c) => [c.id, `${c.status}/${c.conclusion}/${c.output.title}`])),
    comments: new Map(comments.map((c) => [c.id, c.body])),
    deployments: new Map(deployments.map((d) => [d.id, d.statuses.length])),
  };
}

/** The first lines of a comment as a reader sees them: markup, link targets and table rules left out. */
export function firstLines(body: string, count: number): string[] {
  return body
    .split('\n')
    .map((line) =>
      line
        .replace(/<!--.*?-->|<[^>]+>/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\*\*/g, '')
        .trim(),
    )
    .filter((line) => line.length > 0 && !/^[\s:|-]+$/.test(line))
    .slice(0, count);
}

/** Lines describing what the bot posted since `since`. */
export function postedSince(sandbox: Sandbox, since: Mark): string[] {
  const { checkRuns, comments, deployments } = sandbox.state;
  const lines: string[] = [];
  for (const c of checkRuns) {
    if (since.checks.get(c.id) === `${c.status}/${c.conclusion}/${c.output.title}`) continue;
    const outcome = c.status === 'completed' ? c.conclusion : c.status;
    lines.push(`check  ${c.name} on ${short(c.headSha)}: ${outcome} — ${cut(c.output.title ?? '', 90)}`);
  }
  for (const c of comments) {
    if (c.user !== sandbox.botLogin || since.comments.get(c.id) === c.body) continue;
    const verb = since.comments.has(c.id) ? 'edited' : 'posted';
    lines.push(`comment ${verb} on #${c.issueNumber}:`);
    for (const line of firstLines(c.body, 4)) lines.push(`         │ ${cut(line, 100)}`);
  }
  for (const d of deployments) {
    if (since.deployments.get(d.id) === d.statuses.length) continue;
    const states = d.statuses.map((s) => s.state).join(' → ') || 'created';
    const why = d.statuses.at(-1)?.description;
    lines.push(`deploy ${d.environment} ${short(d.sha)} (${d.ref}): ${states}${why ? ` — ${cut(why, 80)}` : ''}`);
  }
  return lines;
}

/** A plain text table: a header row, a rule, then the rows, each column as wide as its widest cell. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
}

export { short };

/**
 * CPU seconds used so far by this process and the child processes it has waited for (which include
 * theirs): Linux's /proc/self/stat, or this process alone elsewhere. On a machine other work keeps
 * busy, this says what the demo itself cost where its wall time cannot.
 */
export function cpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // pid (comm) state … utime stime cutime cstime are fields 14 to 17; comm may hold spaces, so count after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    return ticks / CLOCK_TICKS;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  }
}

/** Linux reports /proc times in USER_HZ, which is 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;
