/**
 * The merge preview: the configs preflight merged and what it found, kept by the engine so the
 * editor's diff and its Problems render the engine's own merge instead of computing another.
 */
import { canonicalPrint } from '../config/print';
import type { Finding, GanetiConfig } from '../config/types';

export interface MergePreview {
  /** Cluster names (Ganeti's), as the findings name them. */
  readonly target: string;
  readonly mergees: readonly string[];
  /** False: the merge was refused (errors among the findings). */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** The target's config.data as preflight read it. */
  readonly current: GanetiConfig;
  /** The merged config; the target's unchanged when the merge was refused. */
  readonly merged: GanetiConfig;
  /**
   * A side as canonical text, secrets always masked; `hideBookkeeping` for reading only;
   * `objectPerLine`: one line per node, instance, disk... (for big configs, see canonicalPrint).
   */
  text(side: 'current' | 'merged', options?: { hideBookkeeping?: boolean; objectPerLine?: boolean }): string;
}

export function mergePreview(p: Omit<MergePreview, 'merged' | 'text'> & { merged?: GanetiConfig }): MergePreview {
  const merged = p.merged ?? p.current;
  const texts = new Map<string, string>();
  return {
    ...p,
    merged,
    text(side, options = {}) {
      const key = `${side}/${options.hideBookkeeping === true}/${options.objectPerLine === true}`;
      let text = texts.get(key);
      if (text === undefined) {
        // the merged side: each map's new objects first, then the target's in the current side's order (a short diff)
        const newKeysFirstAgainst = side === 'merged' ? p.current : undefined;
        text = canonicalPrint(side === 'current' ? p.current : merged, { maskSecrets: true, ...options, newKeysFirstAgainst });
        texts.set(key, text);
      }
      return text;
    },
  };
}
