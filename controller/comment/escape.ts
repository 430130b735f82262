// Escaping of user-controlled text (resource names, values, error reasons) for GitHub comments.
// Every such string is rendered inside <code> or <pre> (no mentions or autolinks there) and escaped with
// entities, so it can neither close a tag (</details>), split a table cell (|), open a code span (`),
// format Markdown (* _ [ ] ~ \) nor forge the comment marker (<!--). Two contexts:
// - Markdown (table cells, paragraphs, quotes): escapeText, every character Markdown gives a meaning;
// - text inside raw HTML blocks (<pre> lines, the <summary> line), where Markdown is not parsed: escapeHtml, & < >.

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '~': '&#126;',
};
const SPECIAL = /[&<>"'|`*_[\]\\~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g;

const controlEscape = (c: string): string =>
  c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text safe inside HTML and Markdown alike, on one line (control characters shown as escapes). */
export function escapeText(text: string): string {
  // control escapes come last: their backslash only precedes letters, which Markdown leaves alone
  return text.replace(SPECIAL, (c) => ENTITIES[c]).replace(CONTROL, controlEscape);
}

// eslint-disable-next-line no-control-regex
const HTML_UNSAFE = /[&<>\u0000-\u001f\u007f\u2028\u2029]/;

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text content safe inside a raw HTML block (Markdown is not parsed there), on one line. Not for attribute values. */
export function escapeHtml(text: string): string {
  if (!HTML_UNSAFE.test(text)) return text;
  return text.replace(CONTROL, controlEscape).replace(/[&<>]/g, (c) => HTML_ENTITIES[c]);
}

/** At most `max` UTF-16 units, ending in `…` when cut, never splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A value as JSON (strings quoted), clipped to `max` characters. */
export function formatValue(value: unknown, max = 200): string {
  const json = JSON.stringify(value);
  return clip(json === undefined ? String(value) : json, max);
}

/** Size as GitHub may count it: UTF-8 bytes, which is never less than characters or UTF-16 units. */
export function sizeOf(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** A repository web URL (a clone URL is accepted) for links, or undefined when it is not http(s). */
export function repositoryWebUrl(url: string | undefined): string | undefined {
  const safe = safeUrl(url);
  if (!safe) return undefined;
  const u = new URL(safe);
  return `${u.origin}${u.pathname.replace(/\.git$/, '').replace(/\/$/, '')}`;
}

/** An http(s) URL safe inside a Markdown link target, or undefined. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    u.username = '';
    u.password = '';
    return u.href.replace(/[()\s<>"'`|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  } catch {
    return undefined;
  }
}
