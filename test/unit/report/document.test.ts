/** The document model's Markdown (document.ts) as VS Code's preview renders it (markdown-it, raw HTML and linkify on). */
import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { list, para, renderMarkdown } from '../../../src/core/report/document';

const preview = new MarkdownIt({ html: true, linkify: true });

describe('document Markdown (document.ts)', () => {
  it('code spans side by side or empty stay one span each: no backtick string pairs one with the next', () => {
    const hostile = '<img src=x>[x](command:y) https://evil.example/p';
    const shown = preview.render(renderMarkdown([para({ code: 'a' }, { code: 'b' }, { code: '' }, ' then ', { code: hostile }), list([[{ code: '' }, ' x ', { code: '' }, ' y']])]));
    assert.equal(shown, '<p><code>a</code> <code>b</code> then <code>&lt;img src=x&gt;[x](command:y) https://evil.example/p</code></p>\n<ul>\n<li>x  y</li>\n</ul>\n');
  });
});
