// The panel's styles, applied as a constructable stylesheet: no <style> element or extra file is needed,
// so the strict CSP stays as it is and the .vsix (which ships only dist/webview.js) carries them.
// Theme colours only: every colour is a --vscode-* variable, so light, dark and high contrast work.
/** The page itself, the same in every webview of the extension (the progress panel, the merge plan). */
export const BODY_CSS = `
body {
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
  padding: 0 16px 16px;
}
`;

export const PANEL_CSS = `${BODY_CSS}
header { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
header h1 { font-size: 1.3em; font-weight: 600; margin: 12px 0; flex: 1; }
.outcome { padding: 2px 8px; border-radius: 2px; border: 1px solid var(--vscode-contrastBorder, transparent); }
.outcome.merged { color: var(--vscode-testing-iconPassed); }
.outcome.failed, .outcome.cancelled { color: var(--vscode-errorForeground); }
.outcome.rolled-back { color: var(--vscode-editorWarning-foreground); }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; color: var(--vscode-descriptionForeground); padding: 4px 8px; }
td { padding: 4px 8px; border-top: 1px solid var(--vscode-panel-border); vertical-align: top; }
td.actions { white-space: nowrap; text-align: right; }
td.actions vscode-button { margin-left: 4px; }
.state { font-weight: 600; }
.state.pending { color: var(--vscode-descriptionForeground); }
.state.running, .state.undoing { color: var(--vscode-progressBar-background); }
.state.done { color: var(--vscode-testing-iconPassed); }
.state.failed { color: var(--vscode-errorForeground); }
.state.undone { color: var(--vscode-editorWarning-foreground); }
.detail { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
.detail.error { color: var(--vscode-errorForeground); }
tr.ponr td {
  border-top: 2px dashed var(--vscode-editorWarning-foreground);
  color: var(--vscode-editorWarning-foreground);
  font-weight: 600;
  padding: 6px 8px;
}
h2 { font-size: 1.1em; margin: 16px 0 6px; }
pre.transcript {
  font-family: var(--vscode-editor-font-family);
  font-size: var(--vscode-editor-font-size);
  background: var(--vscode-textCodeBlock-background);
  padding: 8px;
  max-height: 40vh;
  overflow: auto;
  white-space: pre-wrap;
  word-break: break-all;
}
vscode-progress-ring.ring { height: 12px; width: 12px; display: inline-block; margin-right: 4px; vertical-align: middle; }
`;

export function applyPanelStyles(): void {
  adoptStyles(PANEL_CSS);
}

/** Applies a stylesheet of the webviews (the progress panel's, the plan's). */
export function adoptStyles(css: string): void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
