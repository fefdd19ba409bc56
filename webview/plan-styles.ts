// The plan panel's styles, a constructable stylesheet like the progress panel's (panel-styles.ts):
// the strict CSP stays as it is. Theme colours only.
import { BODY_CSS } from './panel-styles';

export const PLAN_CSS = `${BODY_CSS}
body { line-height: 1.5; }
h1 { font-size: 1.4em; font-weight: 600; }
h2 { font-size: 1.2em; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); }
h3 { font-size: 1.05em; font-weight: 600; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; }
a { color: var(--vscode-textLink-foreground); text-decoration: none; }
a:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
a:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
em { color: var(--vscode-descriptionForeground); }
`;
