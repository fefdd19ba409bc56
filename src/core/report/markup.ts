/**
 * Escaping for the documents the project writes (merge plan and report): every name in them
 * comes from a cluster and may be hostile, so none may open a link, a tag or a table cell.
 */
import { oneLine } from '../safe-text';

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content or a quoted attribute, on one line. */
export function html(text: unknown): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * The ASCII punctuation that starts something in CommonMark, GFM or a preview's plugins (a link,
 * a table cell, emphasis, math `$`), or, like `:`, `/` and `@`, lets a preview's linkify turn a
 * name such as `https://tracker.example/x` into a link. Only `,` `;` `%` `?` `=` start nothing.
 */
const MD_SYNTAX = /[!"#$&'()*+\-./:<>@[\\\]^_`{|}~]/g;

/**
 * Text for Markdown, on one line: that punctuation backslash-escaped (CommonMark allows it for any
 * ASCII punctuation, and an escaped character never joins a link, autolink or other syntax), and
 * the characters that start raw HTML (which Markdown previews render) as entities.
 */
export function md(text: unknown): string {
  return oneLine(text).replace(MD_SYNTAX, (c) => HTML[c] ?? `\\${c}`);
}

/** Duration in seconds with one decimal, for tables. */
export function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : (ms / 1000).toFixed(1);
}

/** An epoch-milliseconds time as ISO 8601 (UTC), or '' when unknown. */
export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}
