/**
 * The merge plan as the plan panel shows it: the core's plan blocks (the same text as
 * `ganeti-merge plan --format md`), each run with a place in config.data numbered as a link.
 * The places stay here, on the host; the webview gets text and link numbers only, each text
 * oneLine'd as the Markdown and HTML renderers do (the webview sets it as text, never as HTML).
 * No vscode import.
 */
import type { ConfigPlace } from '../core/config/config-place';
import type { Inline } from '../core/report/document';
import type { MergePlan } from '../core/report/merge-plan';
import { planBlocks } from '../core/report/plan-render';
import { oneLine } from '../core/safe-text';
import type { PlanRun, PlanViewBlock } from '../plan-protocol';

export interface LinkedPlan {
  readonly blocks: PlanViewBlock[];
  /** What link n reveals. */
  readonly places: ConfigPlace[];
}

export function linkedPlan(plan: MergePlan): LinkedPlan {
  const places: ConfigPlace[] = [];
  const run = (i: Inline): PlanRun => {
    if (typeof i === 'string') return { text: oneLine(i) };
    const text = oneLine('text' in i ? i.text : 'strong' in i ? i.strong : i.code);
    const style = 'strong' in i ? 'strong' as const : 'code' in i ? 'code' as const : undefined;
    const link = i.place ? places.push(i.place) - 1 : undefined;
    return { text, ...(style ? { style } : {}), ...(link !== undefined ? { link } : {}) };
  };
  const blocks = planBlocks(plan, { linked: true }).flatMap((b): PlanViewBlock[] => {
    if (b.kind === 'heading') return [{ ...b, text: oneLine(b.text) }];
    if (b.kind === 'para') return [{ kind: 'para', runs: b.line.map(run) }];
    if (b.kind === 'list') return [{ kind: 'list', items: b.items.map((l) => l.map(run)), none: oneLine(b.none ?? 'none') }];
    return []; // the plan has no tables
  });
  return { blocks, places };
}
