// The progress panel. The only place that may use @vscode/webview-ui-toolkit.
// It renders what the host sends and posts button presses; it never decides anything itself.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeProgressRing } from '@vscode/webview-ui-toolkit';
import { MAX_TRANSCRIPT_LINES, type HostToWebview, type PanelPhase, type PanelState, type WebviewToHost } from '../src/protocol';
import { applyPanelStyles } from './panel-styles';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeProgressRing());
applyPanelStyles();

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let state: PanelState | undefined;

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'state') {
    state = message.state;
  } else if (message.type === 'update' && state) {
    state = { ...message.status, transcript: [...state.transcript, ...message.appendLines].slice(-MAX_TRANSCRIPT_LINES) };
  } else {
    return;
  }
  vscode.setState(state);
  render(state);
});

// Elapsed times of running phases tick without asking the host.
setInterval(() => {
  for (const cell of document.querySelectorAll<HTMLElement>('[data-started]')) {
    cell.textContent = formatElapsed(Date.now() - Number(cell.dataset.started));
  }
}, 1000);

vscode.postMessage({ type: 'ready' });

function el(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** A disabled button carries the host's reason as its tooltip, so a refusal shows before any press. */
function button(label: string, message: WebviewToHost, enabled: boolean, appearance = 'secondary', refusal?: string): HTMLElement {
  const b = el('vscode-button', { appearance, 'data-action': message.type, 'data-key': focusKeyOf(message) });
  b.textContent = label;
  if (!enabled) {
    b.setAttribute('disabled', '');
    if (refusal) b.setAttribute('title', refusal);
  }
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) vscode.postMessage(message);
  });
  return b;
}

/** The same control after a re-render has the same key: it is how focus survives an update. */
function focusKeyOf(message: WebviewToHost): string {
  return 'phase' in message ? `${message.type}:${message.phase}` : message.type;
}

/**
 * Brings `old` in line with `fresh` in place, keeping every node that is still the same control
 * (same tag and data-key): the one a keyboard user is on keeps its focus, and its click handler,
 * which posts the same message because the key names it. Only what differs is replaced.
 */
function morph(old: Node, fresh: Node): Node {
  if (old.nodeType !== fresh.nodeType || old.nodeName !== fresh.nodeName
    || (old instanceof HTMLElement && fresh instanceof HTMLElement && old.dataset.key !== fresh.dataset.key)) {
    old.parentNode?.replaceChild(fresh, old);
    return fresh;
  }
  if (!(old instanceof Element) || !(fresh instanceof Element)) {
    if (old.nodeValue !== fresh.nodeValue) old.nodeValue = fresh.nodeValue;
    return old;
  }
  // a toolkit element sets attributes on itself (role, tabindex, ...): drop only the ones we set
  const ours = old.localName.includes('-') ? ['disabled', 'title'] : old.getAttributeNames();
  for (const name of ours) if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) {
    const value = fresh.getAttribute(name)!;
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  morphChildren(old, [...fresh.childNodes]);
  return old;
}

function keyOf(node: Node): string | undefined {
  return node instanceof HTMLElement ? node.dataset.key : undefined;
}

/** Keyed children find their twin by key wherever it stands (a button stays itself when a sibling comes or goes). */
function morphChildren(parent: Node, fresh: Node[]): void {
  const old = [...parent.childNodes];
  const byKey = new Map(old.filter((n) => keyOf(n) !== undefined).map((n) => [keyOf(n)!, n]));
  const unkeyed = old.filter((n) => keyOf(n) === undefined);
  const kept = fresh.map((node) => {
    const key = keyOf(node);
    const twin = key !== undefined ? byKey.get(key) : unkeyed.shift();
    return twin ? morph(twin, node) : node;
  });
  // remove the leftovers first, so kept nodes never move (moving a node drops its focus)
  for (const n of [...parent.childNodes]) if (!kept.includes(n)) parent.removeChild(n);
  kept.forEach((n, i) => {
    if (parent.childNodes[i] !== n) parent.insertBefore(n, parent.childNodes[i] ?? null);
  });
}

function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

function elapsedCell(p: PanelPhase): HTMLElement {
  const cell = el('td', { class: 'elapsed' });
  if (p.startedAt === undefined) return cell;
  if (p.finishedAt === undefined && (p.state === 'running' || p.state === 'undoing')) {
    cell.dataset.started = String(p.startedAt);
    cell.textContent = formatElapsed(Date.now() - p.startedAt);
  } else if (p.finishedAt !== undefined) {
    cell.textContent = formatElapsed(p.finishedAt - p.startedAt);
  }
  return cell;
}

function phaseRow(p: PanelPhase, s: PanelState): HTMLElement {
  const busy = s.busy;
  const l = s.labels;
  // the engine decides (PanelPhase.canRun/canUndo); busy only greys everything while a request runs
  const canRun = !busy && p.canRun;
  const canUndo = !busy && p.canUndo;
  const detail = p.error ? el('div', { class: 'detail error' }, p.error) : p.progress ? el('div', { class: 'detail' }, p.progress) : '';
  const stateCell = el('td', { class: `state ${p.state}` }, l.states[p.state] ?? p.state);
  if (p.state === 'running' || p.state === 'undoing') stateCell.prepend(el('vscode-progress-ring', { class: 'ring' }));
  return el('tr', { 'data-phase': p.id },
    el('td', {}, p.title, detail),
    stateCell,
    elapsedCell(p),
    el('td', { class: 'actions' },
      button(l.run, { type: 'runPhase', phase: p.id }, canRun, 'secondary', p.runRefusal),
      button(l.undo, { type: 'undoPhase', phase: p.id }, canUndo, 'secondary', p.undoRefusal)),
  );
}

function render(s: PanelState): void {
  const header = el('header', {}, el('h1', {}, s.title));
  if (s.outcome) header.append(el('span', { class: `outcome ${s.outcome}` }, (s.labels.outcomes[s.outcome] ?? s.outcome) + (s.outcomeError ? `: ${s.outcomeError}` : '')));
  header.append(button(s.labels.rollBack, { type: 'rollBack' }, !s.busy && s.canRollBack, 'primary'));

  const body = el('tbody');
  for (const p of s.phases) {
    if (p.id === s.pointOfNoReturn) {
      body.append(el('tr', { class: 'ponr' }, el('td', { colspan: '4' }, `⚠ ${s.labels.pointOfNoReturn}`)));
    }
    body.append(phaseRow(p, s));
  }
  const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, s.labels.phase), el('th', {}, s.labels.state), el('th', {}, s.labels.elapsed), el('th', {}))), body);

  // focusable, so the keyboard can scroll it; kept at the bottom unless the reader scrolled up
  const transcript = el('pre', { class: 'transcript', 'aria-label': s.labels.transcript, tabindex: '0', 'data-key': 'transcript' }, s.transcript.join('\n'));
  const old = app.querySelector('pre.transcript');
  const stick = !old || old.scrollTop + old.clientHeight >= old.scrollHeight - 4;
  // updated in place, not rebuilt: focus, scroll position and a running selection survive updates
  morphChildren(app, [header, table, el('vscode-divider'), el('h2', {}, s.labels.transcript), transcript]);
  const shown = app.querySelector('pre.transcript')!;
  if (stick) shown.scrollTop = shown.scrollHeight;
}
