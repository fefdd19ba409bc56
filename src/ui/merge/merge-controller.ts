/**
 * The editor's handle on one merge: starts or opens a MergeEngine (the core does all the work),
 * runs its phases, rollbacks and resumes with a cancellable progress notification, and forwards
 * every engine event to the progress panel, the log, the status bar and the context keys.
 * One merge at a time; its journal is the truth, so a reload can always pick it up again.
 */
import * as vscode from 'vscode';
import type { MergeEngine } from '../../core/merger/engine';
import { endedWith, outcomeMessage, type MergeEnd, type MergeOutcome } from '../../core/merger/outcome';
import type { Finding } from '../../core/config/types';
import type { ConfigApprover } from '../../core/merger/phase';
import { isReadOnlyPhase, POINT_OF_NO_RETURN, type MergePlanOptions, type MergerEvent, type PhaseActions, type PhaseId } from '../../core/merger/types';
import type { Prompter } from '../../core/operator/prompter';
import { formatEvent } from '../../core/merger/format-event';
import { openMergeSession, type MergeSession } from '../../core/session/merge-session';
import { previewMerge, type PreviewOutcome } from '../../core/session/preview-session';
import { sshSessionOptions } from '../remote-session';
import { Disposable } from '../disposable';
import type { UiHost } from '../host';
import type { ProgressPanelHost } from '../progress-panel';
import type { GanetiMergeSettings } from '../settings';
import type { TranscriptLog } from '../transcript-log';
import { isUnfinished, newJournalFile } from './merge-journals';
import { phaseTitle } from './phase-titles';

export interface MergeSnapshot {
  readonly active: boolean;
  readonly busy: boolean;
  readonly journalFile?: string;
  readonly target?: string;
  readonly mergees?: readonly string[];
  readonly nextPhase?: PhaseId;
  readonly lastUndoable?: PhaseId;
  /** Run and Undo per phase as the engine allows them now (empty without a merge). */
  readonly phases: readonly PhaseActions[];
  /** Something ran that a rollback would undo, and the rollback has not finished. */
  readonly canRollBack: boolean;
  readonly running?: PhaseId;
  readonly progress?: string;
  readonly outcome?: MergeEnd;
  readonly rolledBack: boolean;
  /** A rollback started and has not finished (Resume continues it). */
  readonly rollingBack: boolean;
}

export interface MergeControllerDeps {
  readonly storageDir: string;
  readonly settings: () => GanetiMergeSettings;
  readonly prompter: Prompter;
  readonly host: UiHost;
  readonly progress: ProgressPanelHost;
  readonly log: TranscriptLog;
  readonly approveConfig: ConfigApprover;
}

interface ActiveMerge {
  readonly engine: MergeEngine;
  readonly session: MergeSession;
  readonly subscription: { dispose(): void };
}

export class MergeController extends Disposable {
  private merge: ActiveMerge | undefined;
  private abort: AbortController | undefined;
  private running: PhaseId | undefined;
  private progressText: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<MergeSnapshot>());
  readonly onDidChange = this.changed.event;
  /**
   * Fires only when the merge's clusters or findings change, or when a merge or rollback ends (the
   * clusters' nodes changed): the tree refreshes on it, not on every event.
   */
  private readonly shapeChanged = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeShape = this.shapeChanged.event;
  private lastFindings: readonly Finding[] = [];

  /** The latest merge findings (conflicts and warnings) the engine reported. */
  get findings(): readonly Finding[] {
    return this.lastFindings;
  }

  constructor(private readonly deps: MergeControllerDeps) {
    super();
    this._register(new vscode.Disposable(() => void this.close()));
  }

  get engine(): MergeEngine | undefined {
    return this.merge?.engine;
  }

  snapshot(): MergeSnapshot {
    const engine = this.merge?.engine;
    if (!engine) return { active: false, busy: false, phases: [], canRollBack: false, rolledBack: false, rollingBack: false };
    const doc = engine.journal.doc;
    const touched = engine.statuses().some((s) => s.state !== 'pending' && s.state !== 'undone');
    const rolledBack = doc.rollback?.state === 'done';
    return {
      active: true,
      busy: this.abort !== undefined,
      journalFile: engine.journal.file,
      target: doc.options.target,
      mergees: doc.options.mergees,
      nextPhase: doc.rollback ? undefined : engine.nextPhase(),
      lastUndoable: engine.lastUndoablePhase(),
      phases: engine.actions(),
      canRollBack: touched && !rolledBack,
      running: this.running,
      progress: this.progressText,
      outcome: doc.outcome,
      rolledBack,
      rollingBack: doc.rollback !== undefined && !rolledBack,
    };
  }

  /** "b, c into a" for questions and titles. */
  describe(): string {
    const s = this.snapshot();
    if (!s.active) return '';
    return vscode.l10n.t('{0} into {1}', (s.mergees ?? []).join(', '), s.target ?? '');
  }

  /** Starts a new merge (journal under the storage dir); refused while another one needs a decision. */
  async start(plan: MergePlanOptions): Promise<MergeEngine> {
    this.refuseIfBusy();
    // A merge that changed a cluster and neither merged nor rolled back needs a decision first;
    // one that only read (e.g. a refused preflight) may simply be replaced.
    if (this.merge && isUnfinished(this.merge.engine.journal)) {
      throw new Error(vscode.l10n.t('The merge of {0} is not finished: resume it or roll it back first.', this.describe()));
    }
    await this.close();
    const file = newJournalFile(this.deps.storageDir);
    this.attach(file, plan);
    return this.merge!.engine;
  }

  /** Opens an existing merge from its journal (recovery at start-up, or a journal the operator names). */
  async open(journalFile: string): Promise<MergeEngine> {
    this.refuseIfBusy();
    await this.close();
    this.attach(journalFile);
    return this.merge!.engine;
  }

  /**
   * The merge preview of `plan`'s clusters: the open merge's own when its preflight ran in this
   * session for the same clusters, else a preflight-only engine run (it reads, changes nothing).
   */
  async preview(plan: MergePlanOptions, signal?: AbortSignal): Promise<PreviewOutcome> {
    const engine = this.merge?.engine;
    const options = engine?.journal.doc.options;
    const kept = engine?.preview();
    if (kept && options && options.target === plan.target && options.mergees.join('\n') === plan.mergees.join('\n')) {
      const preflight = engine!.status('preflight');
      return { preview: kept, ...(preflight.state === 'failed' && preflight.error ? { refusal: preflight.error } : {}) };
    }
    return previewMerge({ plan, ...sshSessionOptions(this.deps.settings(), this.deps.prompter) }, signal);
  }

  private attach(journalFile: string, plan?: MergePlanOptions): void {
    const session = openMergeSession({
      journalFile, plan,
      ...sshSessionOptions(this.deps.settings(), this.deps.prompter),
      approveConfig: this.deps.approveConfig,
      // the target changed since the merge left it: a modal lists the changes (prompter.confirm)
      onChanged: 'ask',
      // a dead holder's journal lock taken over, a forced check, a lock not released
      note: (m) => this.deps.log.info(m),
      frontEnd: 'vscode',
    });
    session.transcript.onEvent((e) => this.deps.log.command(e));
    const engine = session.engine;
    const subscription = engine.onEvent((e) => this.onEngineEvent(e));
    this.merge = { engine, session, subscription };
    this.lastFindings = [];
    this.shapeChanged.fire();
    const model = this.deps.progress.model;
    model.reset(vscode.l10n.t('Ganeti Merge: {0}', this.describe()));
    for (const phase of engine.statuses()) if (phase.state !== 'pending') model.apply({ type: 'phase', phase });
    const doc = engine.journal.doc;
    if (doc.outcome) model.apply({ type: 'finished', outcome: doc.rollback?.state === 'done' ? 'rolled-back' : doc.outcome });
    this.deps.log.info(vscode.l10n.t('merge {0}: journal {1}', this.describe(), journalFile));
    this.fire();
  }

  private onEngineEvent(e: MergerEvent): void {
    this.deps.progress.model.apply(e);
    if (e.type === 'phase') {
      this.running = e.phase.state === 'running' || e.phase.state === 'undoing' ? e.phase.id : undefined;
      this.progressText = undefined;
      for (const line of formatEvent(e)) this.deps.log.info(line);
      // preflight's facts say which mergee instances stay up: the tree shows it
      if (e.phase.id === 'preflight' && e.phase.state === 'done') this.shapeChanged.fire();
    } else if (e.type === 'findings') {
      this.lastFindings = e.findings;
      this.shapeChanged.fire();
    } else if (e.type === 'progress') {
      this.progressText = e.message;
    } else if (e.type === 'finished') {
      for (const line of formatEvent(e)) {
        if (e.outcome === 'merged' || e.outcome === 'rolled-back') this.deps.log.info(line);
        else this.deps.log.error(line);
      }
      this.shapeChanged.fire();
    }
    if (e.type !== 'command') this.fire();
  }

  private fire(): void {
    const snapshot = this.snapshot();
    this.deps.progress.model.setActions(snapshot.phases, snapshot.canRollBack);
    this.changed.fire(snapshot);
  }

  private refuseIfBusy(): void {
    if (this.abort) throw new Error(vscode.l10n.t('The merge is busy; cancel it or wait for it to finish.'));
  }

  private requireEngine(): MergeEngine {
    if (!this.merge) throw new Error(vscode.l10n.t('No merge is open: run "Ganeti: Merge Clusters" first.'));
    return this.merge.engine;
  }

  /** A modal question naming the clusters; true to go on. */
  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    return (await this.deps.host.showWarning(message, { modal: true, detail }, action)) === action;
  }

  /**
   * Runs engine work under the host's cancellable progress and renders how it ended (render()):
   * the one path of every merge action. The outcome is returned, so commands and tests see it; the
   * journal keeps the state either way. A throw (a lock refusal, a bug) goes on to the command
   * wrapper (report-errors.ts), which logs and shows it.
   */
  private async work(title: string, fn: (engine: MergeEngine, signal: AbortSignal) => Promise<MergeOutcome>): Promise<MergeOutcome> {
    const engine = this.requireEngine();
    this.refuseIfBusy();
    const abort = new AbortController();
    this.abort = abort;
    this.deps.progress.model.setBusy(true);
    this.fire();
    let outcome: MergeOutcome;
    try {
      outcome = await this.deps.host.withProgress({ title: `Ganeti: ${title}`, cancellable: true }, async (report, cancelled) => {
        if (cancelled.aborted) abort.abort();
        else cancelled.addEventListener('abort', () => abort.abort());
        const sub = this.onDidChange((s) => report(s.running ? `${phaseTitle(s.running)}${s.progress ? `: ${s.progress}` : ''}` : undefined));
        try {
          return await fn(engine, abort.signal);
        } finally {
          sub.dispose();
        }
      });
    } finally {
      this.abort = undefined;
      this.running = undefined;
      this.deps.progress.model.setBusy(false);
      this.fire();
    }
    return this.render(title, outcome);
  }

  /**
   * How an action ended, shown: a failure or a refusal as an error (and in the log); a cancel only
   * in the log (the operator asked for it); a success not at all (the panel and the log show it).
   */
  private async render(title: string, outcome: MergeOutcome): Promise<MergeOutcome> {
    const cause = outcome.error ?? '';
    if (outcome.outcome === 'refused') {
      this.deps.log.error(`${title}: refused: ${cause}`);
      await this.deps.host.showError(vscode.l10n.t('Ganeti: {0}', outcomeMessage(outcome) ?? ''));
    } else if (outcome.outcome === 'failed') {
      this.deps.log.error(`${title}: ${cause}`);
      await this.deps.host.showError(vscode.l10n.t('Ganeti: {0} failed: {1}', title, cause));
    } else if (outcome.outcome === 'cancelled') {
      this.deps.log.info(vscode.l10n.t('{0}: cancelled ({1})', title, cause));
    }
    return outcome;
  }

  /** The engine's refusal, rendered before any question is asked; undefined: go on. */
  private async refused(title: string, phase: PhaseId, refusal: string | undefined): Promise<MergeOutcome | undefined> {
    return refusal ? this.render(title, endedWith('refused', phase, refusal)) : undefined;
  }

  /**
   * Runs one phase by hand; phases that change a cluster are confirmed first (the point of no
   * return by the core). Undefined when the operator said no to the question.
   */
  async runPhase(id: PhaseId, confirmed = false): Promise<MergeOutcome | undefined> {
    const refusal = await this.refused(phaseTitle(id), id, this.requireEngine().runRefusal(id));
    if (refusal) return refusal;
    if (!confirmed && !isReadOnlyPhase(id) && id !== POINT_OF_NO_RETURN) {
      const go = vscode.l10n.t('Run {0}', phaseTitle(id));
      if (!(await this.confirm(vscode.l10n.t('Run phase "{0}" of the merge of {1}?', phaseTitle(id), this.describe()),
        vscode.l10n.t('This changes the clusters. Roll Back Merge undoes it at any time.'), go))) return undefined;
    }
    return this.work(phaseTitle(id), (engine, signal) => engine.runPhase(id, signal));
  }

  async runNext(): Promise<MergeOutcome | undefined> {
    const next = this.requireEngine().nextPhase();
    if (!next) {
      await this.deps.host.showInformation(vscode.l10n.t('Every phase of the merge of {0} is done.', this.describe()));
      return { outcome: 'nothing-to-do' };
    }
    return this.runPhase(next);
  }

  /** Runs every remaining phase after one confirmation naming the clusters and the point of no return. */
  async runAll(confirmed = false): Promise<MergeOutcome | undefined> {
    this.requireEngine();
    if (!confirmed) {
      const go = vscode.l10n.t('Merge');
      const ok = await this.confirm(
        vscode.l10n.t('Merge {0}?', this.describe()),
        vscode.l10n.t('The mergees\' instances are stopped and their nodes join {0}. From phase "{1}" on (Ganeti\'s point of no return) only a full rollback restores the clusters; Roll Back Merge is always available.',
          this.snapshot().target ?? '', phaseTitle(POINT_OF_NO_RETURN)),
        go);
      if (!ok) return undefined;
    }
    return this.work(vscode.l10n.t('Merging {0}', this.describe()), (engine, signal) => engine.runAll(signal));
  }

  async rollback(confirmed = false): Promise<MergeOutcome | undefined> {
    this.requireEngine();
    if (!confirmed) {
      const go = vscode.l10n.t('Roll Back');
      const ok = await this.confirm(vscode.l10n.t('Roll back the merge of {0}?', this.describe()),
        vscode.l10n.t('Every phase that ran is undone, newest first (past the point of no return by restoring every node from its snapshot), until the clusters are as they were before the merge.'), go);
      if (!ok) return undefined;
    }
    return this.work(vscode.l10n.t('Rolling back {0}', this.describe()), (engine, signal) => engine.rollback(signal));
  }

  /** Undoes `phase` when it is the one the engine lets step back (the panel's Undo of a row). */
  async undoPhase(phase: PhaseId, confirmed = false): Promise<MergeOutcome | undefined> {
    const refusal = await this.refused(vscode.l10n.t('Undoing {0}', phaseTitle(phase)), phase, this.requireEngine().undoRefusal(phase));
    return refusal ?? this.undoLast(confirmed);
  }

  async undoLast(confirmed = false): Promise<MergeOutcome | undefined> {
    const engine = this.requireEngine();
    const last = engine.lastUndoablePhase();
    if (!last) {
      return this.render(vscode.l10n.t('Roll Back Last Phase'), endedWith('refused', undefined,
        vscode.l10n.t('No single phase can be undone now (nothing ran, or the merge is past the point of no return): use Roll Back Merge.')));
    }
    if (!confirmed) {
      const go = vscode.l10n.t('Undo {0}', phaseTitle(last));
      if (!(await this.confirm(vscode.l10n.t('Undo phase "{0}" of the merge of {1}?', phaseTitle(last), this.describe()), '', go))) return undefined;
    }
    return this.work(vscode.l10n.t('Undoing {0}', phaseTitle(last)), (e, signal) => e.undoLast(signal));
  }

  async resume(): Promise<MergeOutcome> {
    return this.work(vscode.l10n.t('Resuming {0}', this.describe()), (engine, signal) => engine.resume(signal));
  }

  /** Stops the running work at the next safe point; the journal keeps a consistent state. */
  cancel(): boolean {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Closes the merge's connections (the journal stays; open() picks it up again). */
  async close(): Promise<void> {
    const merge = this.merge;
    this.merge = undefined;
    merge?.subscription.dispose();
    if (merge) {
      this.lastFindings = [];
      this.shapeChanged.fire();
    }
    await merge?.session.close();
  }
}
