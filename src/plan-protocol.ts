/**
 * Messages between the merge plan's panel host (src/ui/plan-panel.ts) and its webview
 * (webview/plan.ts). Plain data, no imports (the webview bundle compiles this file with the DOM lib).
 * The host keeps the places in config.data; the webview only knows link numbers, and says which
 * one was followed.
 */

/** A run of text; `link` numbers a place the host can reveal in the merged config diff. */
export interface PlanRun {
  readonly text: string;
  readonly style?: 'strong' | 'code';
  readonly link?: number;
}

export type PlanViewBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: string }
  | { readonly kind: 'para'; readonly runs: readonly PlanRun[] }
  | { readonly kind: 'list'; readonly items: readonly (readonly PlanRun[])[]; readonly none: string };

export interface PlanView {
  readonly blocks: readonly PlanViewBlock[];
  /** Tooltip of a link (localised by the host). */
  readonly linkTitle: string;
}

export type PlanHostToWebview = { readonly type: 'plan'; readonly view: PlanView };

export type PlanWebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'reveal'; readonly link: number };

/** Narrows an unknown message from the webview; anything else is ignored by the host. */
export function isPlanWebviewToHost(value: unknown): value is PlanWebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { type?: unknown; link?: unknown };
  return m.type === 'ready' || (m.type === 'reveal' && Number.isInteger(m.link) && (m.link as number) >= 0);
}
