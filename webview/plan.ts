// The merge plan's panel: renders the host's plan (text only, never HTML: every name comes from a
// cluster and may be hostile) and posts `reveal` when a link is followed. It decides nothing itself.
import type { PlanHostToWebview, PlanRun, PlanView, PlanViewBlock, PlanWebviewToHost } from '../src/plan-protocol';
import { adoptStyles } from './panel-styles';
import { PLAN_CSS } from './plan-styles';

interface VsCodeApi {
  postMessage(message: PlanWebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

adoptStyles(PLAN_CSS);

const vscode = acquireVsCodeApi();
const app = document.getElementById('plan')!;

window.addEventListener('message', (event: MessageEvent<PlanHostToWebview>) => {
  if (event.data?.type === 'plan') render(event.data.view);
});

// one listener for every link (no inline handlers: the CSP forbids them)
app.addEventListener('click', (event) => {
  const link = (event.target as Element).closest<HTMLElement>('a[data-link]');
  if (!link) return;
  event.preventDefault();
  vscode.postMessage({ type: 'reveal', link: Number(link.dataset.link) });
});

vscode.postMessage({ type: 'ready' });

function runNode(r: PlanRun, linkTitle: string): Node {
  const text = document.createTextNode(r.text);
  const styled = r.style ? document.createElement(r.style) : undefined;
  styled?.append(text);
  const inner = styled ?? text;
  if (r.link === undefined) return inner;
  const a = document.createElement('a');
  a.href = '#';
  a.dataset.link = String(r.link);
  a.title = linkTitle;
  a.append(inner);
  return a;
}

function blockNode(b: PlanViewBlock, linkTitle: string): HTMLElement {
  if (b.kind === 'heading') {
    const h = document.createElement(`h${b.level}`);
    h.textContent = b.text;
    return h;
  }
  if (b.kind === 'para') {
    const p = document.createElement('p');
    p.append(...b.runs.map((r) => runNode(r, linkTitle)));
    return p;
  }
  if (!b.items.length) {
    const p = document.createElement('p');
    const em = document.createElement('em');
    em.textContent = b.none;
    p.append(em);
    return p;
  }
  const ul = document.createElement('ul');
  for (const item of b.items) {
    const li = document.createElement('li');
    li.append(...item.map((r) => runNode(r, linkTitle)));
    ul.append(li);
  }
  return ul;
}

function render(view: PlanView): void {
  app.replaceChildren(...view.blocks.map((b) => blockNode(b, view.linkTitle)));
}
