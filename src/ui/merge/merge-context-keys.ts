/**
 * Context keys that hide or disable the merge commands that make no sense now (package.json
 * `when` and `enablement` clauses use them).
 */
import * as vscode from 'vscode';
import { Disposable } from '../disposable';
import type { MergeController, MergeSnapshot } from './merge-controller';

export const CONTEXT_KEYS = {
  active: 'ganetiMerge.active',
  busy: 'ganetiMerge.busy',
  nextPhase: 'ganetiMerge.nextPhase',
  canUndoLast: 'ganetiMerge.canUndoLast',
  canRollBack: 'ganetiMerge.canRollBack',
  canResume: 'ganetiMerge.canResume',
} as const;

export function contextValues(s: MergeSnapshot): Record<string, boolean | string> {
  return {
    [CONTEXT_KEYS.active]: s.active,
    [CONTEXT_KEYS.busy]: s.busy,
    // the engine's answer (MergeEngine.actions): the one phase it lets run now, whether one may be undone
    [CONTEXT_KEYS.nextPhase]: s.busy ? '' : (s.phases.find((p) => p.canRun)?.id ?? ''),
    [CONTEXT_KEYS.canUndoLast]: !s.busy && s.phases.some((p) => p.canUndo),
    [CONTEXT_KEYS.canRollBack]: !s.busy && s.canRollBack,
    [CONTEXT_KEYS.canResume]: !s.busy && s.active && (s.rollingBack || (!s.rolledBack && s.nextPhase !== undefined)),
  };
}

export class MergeContextKeys extends Disposable {
  constructor(controller: MergeController) {
    super();
    this._register(controller.onDidChange((s) => this.apply(s)));
    this.apply(controller.snapshot());
  }

  private apply(s: MergeSnapshot): void {
    for (const [key, value] of Object.entries(contextValues(s))) void vscode.commands.executeCommand('setContext', key, value);
  }
}
