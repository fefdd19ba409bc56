/**
 * The text of a Clusters view item as VS Code shows it: names, statuses and finding messages come
 * from the clusters (`gnt-* list` output, a mergee's config.data), and a bidi override or a control
 * character in one would reorder or break what the operator reads. Label and description are one
 * line (oneLine); the tooltip keeps its lines and escapes the rest (terminalSafe). Plain strings
 * only: no MarkdownString, so no markup or command link can come of them. No vscode import.
 */
import { oneLine, terminalSafe } from '../core/safe-text';

export interface TreeItemText {
  label?: unknown;
  description?: string | boolean;
  tooltip?: unknown;
}

/** Escapes `item`'s label, description and tooltip in place (the string ones; VS Code's other forms are the extension's own). */
export function escapeTreeItemText<T extends TreeItemText>(item: T): T {
  if (typeof item.label === 'string') item.label = oneLine(item.label);
  if (typeof item.description === 'string') item.description = oneLine(item.description);
  if (typeof item.tooltip === 'string') item.tooltip = terminalSafe(item.tooltip);
  return item;
}
