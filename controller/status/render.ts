// The status page as one HTML document, rendered on the server from a StatusView: no script, one
// inline style sheet, every value escaped (html.ts). On a narrow screen each table row becomes a
// card whose cells are labelled by their column (data-label), so it reads on a phone without
// scrolling sideways.
import { html, link, SafeHtml, type HtmlValue } from './html.js';
import type { Link, StatusView } from './view.js';

const STYLE = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.4; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p.meta { margin: 0; color: GrayText; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid color-mix(in srgb, CanvasText 20%, transparent); vertical-align: top; }
td.empty { color: GrayText; }
td[data-label="at"], td[data-label="started"], td[data-label="since"], td[data-label="duration"] { white-space: nowrap; }
.status { font-weight: 600; }
.status-succeeded, .status-planned, .status-held { color: #1a7f37; }
.status-failed, .status-differs, .status-timed_out, .status-unavailable { color: #cf222e; }
.problems { color: #cf222e; }
ul.pending { margin: 0; padding-left: 1.1rem; }
@media (max-width: 40rem) {
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border: 1px solid color-mix(in srgb, CanvasText 25%, transparent); border-radius: .5rem; margin: 0 0 .75rem; padding: .25rem .5rem; }
  td { border: 0; padding: .2rem 0; display: flex; gap: .75rem; }
  td::before { content: attr(data-label); flex: 0 0 7.5rem; font-weight: 600; }
  td.empty::before { content: none; }
}
`;

const linked = (l: Link | undefined): SafeHtml | string => (l ? link(l.text, l.href) : '—');

/** A table whose cells carry their column's name for the narrow layout; `empty` when there are no rows. */
function table(columns: readonly string[], rows: readonly (readonly HtmlValue[])[], empty: string): SafeHtml {
  const body =
    rows.length === 0
      ? html`<tr>
          <td class="empty" colspan="${columns.length}">${empty}</td>
        </tr>`
      : rows.map(
          (cells) =>
            html`<tr>
              ${cells.map((cell, i) => html`<td data-label="${columns[i]}">${cell}</td>`)}
            </tr>`,
        );
  return html`<table>
    <thead>
      <tr>
        ${columns.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${body}
    </tbody>
  </table>`;
}

const status = (s: string) => html`<span class="status status-${s}">${s}</span>`;

export function renderStatusPage(view: StatusView): string {
  const multiRepo = new Set(view.environments.map((e) => e.repo)).size > 1;
  const repoCell = (repo: string | null) => (multiRepo ? [repo ?? '—'] : []);
  const repoColumn = multiRepo ? ['repository'] : [];
  const environments = table(
    [...repoColumn, 'environment', 'branch', 'deployed commit', 'at', 'pull request', 'author', 'merged by', 'check'],
    view.environments.map((e) => [
      ...repoCell(e.repo),
      e.environment,
      e.branch ?? '—',
      e.commit ? linked(e.commit) : 'never deployed',
      e.at ?? '—',
      linked(e.pr),
      e.author ?? '—',
      e.mergedBy ?? '—',
      linked(e.check),
    ]),
    'No environment known yet.',
  );
  const promotions = table(
    [...(multiRepo ? ['repository'] : []), 'promotion', `applied there since the last deploy`],
    view.promotions.map((p) => [
      ...(multiRepo ? [p.repo] : []),
      `${p.from} → ${p.to}`,
      p.pending.length === 0
        ? 'nothing pending'
        : html`<ul class="pending">
            ${p.pending.map(
              (a) => html`<li>${linked(a.commit)}${a.pr ? html` ${linked(a.pr)}` : ''}${a.headRef ? ` ${a.headRef}` : ''} (${a.at})</li>`,
            )}
          </ul>`,
    ]),
    'No environment is promoted from another.',
  );
  const locks = table(
    ['repository', 'environment', 'state', 'holder', 'pull request', 'commit', 'since'],
    view.locks.map((l) => [l.repo, l.environment, status(l.state), l.holder, linked(l.pr), linked(l.commit), l.since]),
    'No environment is locked.',
  );
  const runs = table(
    ['kind', 'repository', 'environment', 'pull request', 'commit', 'outcome', 'started', 'duration', 'check', 'reason'],
    view.runs.map((r) => [
      r.kind,
      r.repo,
      r.environment,
      linked(r.pr),
      linked(r.commit),
      status(r.status),
      r.startedAt,
      r.duration,
      linked(r.check),
      r.reason ?? '',
    ]),
    'No plan or apply has run yet.',
  );
  const stackRuns = table(
    ['repository', 'environment', 'stack', 'commit', 'outcome', 'started', 'duration'],
    view.stackRuns.map((r) => [r.repo, r.environment, r.stack, linked(r.commit), status(r.status), r.startedAt, r.duration]),
    'No stack has been applied yet.',
  );
  const problems =
    view.problems.length > 0
      ? html`<ul class="problems">
          ${view.problems.map((p) => html`<li>${p}</li>`)}
        </ul>`
      : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>gitops release controller</title>
        <style>
          ${new SafeHtml(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>gitops release controller</h1>
          <p class="meta">As of ${view.generatedAt}</p>
          ${problems}
        </header>
        <main>
          <section id="environments">
            <h2>Environments</h2>
            ${environments}
          </section>
          <section id="promotions">
            <h2>Pending promotions</h2>
            ${promotions}
          </section>
          <section id="locks">
            <h2>Locks</h2>
            ${locks}
          </section>
          <section id="runs">
            <h2>Recent plans and applies</h2>
            ${runs}
          </section>
          <section id="stack-runs">
            <h2>Recent stack applies</h2>
            ${stackRuns}
          </section>
        </main>
      </body>
    </html> `.text;
}
