/**
 * A small document model for the merge plan and report: built once, rendered as Markdown or HTML
 * by the functions below, so both formats say the same thing and every piece of text passes the
 * one escaping of its format (markup.ts). Text is plain: renderers add the markup.
 */
import type { ConfigPlace } from '../config/config-place';
import { oneLine } from '../safe-text';
import { html, md } from './markup';

/**
 * A run of text; `strong` and `code` are the only styles. A `place` says where the text's object
 * is in config.data: the editor's plan links it to that line of the diff; Markdown and HTML ignore it.
 */
export type Inline = string
  | { readonly text: string; readonly place?: ConfigPlace }
  | { readonly strong: string; readonly place?: ConfigPlace }
  | { readonly code: string; readonly place?: ConfigPlace };
export type Line = readonly Inline[];

export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: string }
  | { readonly kind: 'para'; readonly line: Line }
  | { readonly kind: 'list'; readonly items: readonly Line[]; readonly none?: string }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] };

export const heading = (level: 1 | 2 | 3 | 4, text: string): Block => ({ kind: 'heading', level, text });
export const para = (...line: Inline[]): Block => ({ kind: 'para', line });
export const list = (items: readonly Line[], none = 'none'): Block => ({ kind: 'list', items, none });
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): Block => ({ kind: 'table', header, rows });

/** The blocks one heading level deeper (a plan inside a report). */
export function nested(blocks: readonly Block[]): Block[] {
  return blocks.map((b) => (b.kind === 'heading' ? { ...b, level: Math.min(4, b.level + 1) as 1 | 2 | 3 | 4 } : b));
}

function inlineMd(i: Inline): string {
  if (typeof i === 'string') return md(i);
  if ('text' in i) return md(i.text);
  if ('strong' in i) return `**${md(i.strong)}**`;
  // a code span is literal (no HTML, no entities); only a backtick could end it early, and an
  // empty one ("``") would be a backtick string that pairs with another span's
  const code = oneLine(i.code).replace(/`/g, "'");
  return code ? `\`${code}\`` : '';
}

/** Two code spans side by side would meet as "``", a backtick string of its own: a space keeps them apart. */
const lineMd = (l: Line) => l.map(inlineMd).reduce((out, s) => `${out}${out.endsWith('`') && s.startsWith('`') ? ' ' : ''}${s}`, '');
const cellMd = (t: string) => md(t);

export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') out.push(`${'#'.repeat(b.level)} ${md(b.text)}`, '');
    else if (b.kind === 'para') out.push(lineMd(b.line), '');
    else if (b.kind === 'list') out.push(...(b.items.length ? b.items.map((i) => `- ${lineMd(i)}`) : [`_${md(b.none ?? 'none')}_`]), '');
    else if (b.rows.length === 0) out.push(`_${md('none')}_`, '');
    else out.push(`| ${b.header.map(cellMd).join(' | ')} |`, `|${b.header.map(() => ' --- |').join('')}`, ...b.rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function inlineHtml(i: Inline): string {
  if (typeof i === 'string') return html(i);
  if ('text' in i) return html(i.text);
  if ('strong' in i) return `<strong>${html(i.strong)}</strong>`;
  return `<code>${html(i.code)}</code>`;
}

const lineHtml = (l: Line) => l.map(inlineHtml).join('');

/** A standalone page: no script, no remote resource (its CSP allows only inline style). */
export function renderHtml(title: string, blocks: readonly Block[]): string {
  const body: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') body.push(`<h${b.level}>${html(b.text)}</h${b.level}>`);
    else if (b.kind === 'para') body.push(`<p>${lineHtml(b.line)}</p>`);
    else if (b.kind === 'list') body.push(b.items.length ? `<ul>\n${b.items.map((i) => `<li>${lineHtml(i)}</li>`).join('\n')}\n</ul>` : `<p><em>${html(b.none ?? 'none')}</em></p>`);
    else if (b.rows.length === 0) body.push('<p><em>none</em></p>');
    else {
      body.push(`<table>\n<thead><tr>${b.header.map((h) => `<th>${html(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${b.rows.map((r) => `<tr>${r.map((c) => `<td>${html(c)}</td>`).join('')}</tr>`).join('\n')}\n</tbody>\n</table>`);
    }
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
    `<title>${html(title)}</title>`,
    '<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}code{background:#eee}</style>',
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
