/** The part of markdown-it (the renderer of VS Code's Markdown preview) the report tests use; it ships no types. */
declare module 'markdown-it' {
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean });
    render(source: string): string;
  }
}
