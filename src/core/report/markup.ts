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
 * Text for Markdown, on one line: Markdown's punctuation backslash-escaped, and the characters
 * that start raw HTML (which Markdown previews render) as entities.
 */
export function md(text: unknown): string {
  return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!|~]/g, '\\$&').replace(/[&<>"']/g, (c) => HTML[c]);
}

/** Duration in seconds with one decimal, for tables. */
export function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : (ms / 1000).toFixed(1);
}

/** An epoch-milliseconds time as ISO 8601 (UTC), or '' when unknown. */
export function isoTime(ms: number | undefined): string {
  return ms === undefined ? '' : new Date(ms).toISOString();
}
