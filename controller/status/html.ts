// HTML built from template literals where every interpolated value is escaped unless it is HTML this
// module made: the status page shows branch names, reasons and logins that anyone who can open a pull
// request chooses, so nothing reaches the page unescaped.
import { safeUrl } from '../comment/escape.js';

/** HTML that is safe as it is (made by `html`, or escaped). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in element content and in quoted attribute values. */
export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

export type HtmlValue = SafeHtml | string | number | undefined | null | false | readonly HtmlValue[];

function piece(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  return escape(String(value));
}

/** A template whose values are escaped (arrays joined, undefined/null/false left out). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]!) : ''), ''));
}

/** A link when `href` is an http(s) URL, else the text alone. */
export function link(text: string, href: string | undefined): SafeHtml {
  // safeUrl: http(s) only (no javascript: or data:), credentials dropped
  const url = safeUrl(href);
  return url ? html`<a href="${url}">${text}</a>` : html`${text}`;
}
