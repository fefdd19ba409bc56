/**
 * The merged-config diff: renders the engine's merge preview (preflight's target config, merged
 * config and findings; see core/merger/preview.ts) as vscode.diff, secrets masked, with the
 * findings as problems on the merged document. It merges nothing itself.
 * Bookkeeping fields (serial_no, ctime, mtime) can be hidden in a read-only view of the same
 * preview (toggleBookkeeping), so the merge's real changes are not drowned in bumped counters.
 */
import * as vscode from 'vscode';
import type { ConfigPlace } from '../core/config/config-place';
import { configFromEdit, EditedConfigError } from '../core/config/edited-config';
import type { Finding, GanetiConfig } from '../core/config/types';
import type { MergePreview } from '../core/merger/preview';
import { CURRENT_CONFIG_SCHEME, CurrentConfigDocuments, MERGED_CONFIG_SCHEME, MergedConfigFileSystem } from './config-documents';
import { Disposable } from './disposable';
import { findingLine, placeLine } from './finding-location';

interface ShownDiff {
  readonly current: vscode.Uri;
  readonly merged: vscode.Uri;
  /** The merged side's text as first shown (to tell an edit from none). */
  readonly mergedText: string;
}

export interface MergedDiffResult {
  readonly current: vscode.Uri;
  readonly merged: vscode.Uri;
  readonly ok: boolean;
  readonly findings: readonly Finding[];
  /** Bookkeeping fields are shown as "<bookkeeping>" (a read-only view). */
  readonly bookkeepingHidden: boolean;
  /** What was shown, and under which tab label: revealPlace reopens the same documents from it. */
  readonly preview: MergePreview;
  readonly title: string;
  readonly label: string;
}

/**
 * From this size of the merged side (printed one object per line) up, both sides are shown one
 * object per line instead of one value per line. VS Code's line diff gives up after
 * diffEditor.maxComputationTime (5 s) and then marks the whole document as replaced, which a
 * narrow diff editor (inline view) lays out as one block of DOM: 110 s for a 20 MB config.data
 * (see README "bench:vscode"). One line per object divides the lines by about 25 (the diff's cost
 * grows with the square of the changed lines). Small configs keep one value per line.
 */
export const OBJECT_PER_LINE_FROM_BYTES = 1_000_000;
/**
 * Such documents get the manifest's language "ganeti-config-objects": plain text (no JSON server
 * parsing and no tokenizing of 15 MB per side), kept side by side in a narrow window by its
 * configurationDefaults, so that a diff VS Code gave up on is not laid out as one inline block.
 */
const OBJECT_PER_LINE_EXTENSION = '.ganeti-config';

interface ShownPreview {
  readonly preview: MergePreview;
  readonly title: string;
  readonly bookkeepingHidden: boolean;
}

export class MergedConfigDiff extends Disposable {
  readonly currentDocs = this._register(new CurrentConfigDocuments());
  readonly mergedFs = this._register(new MergedConfigFileSystem((uri, content) => this.validateSave(uri, content)));
  /** The config each merged document shows (an edit is checked against it) and its merge's findings. */
  private readonly bases = new Map<string, { config: GanetiConfig; findings: readonly Finding[]; shownText: string }>();
  /** The preview each diff shows, by its right side's URI (for the bookkeeping toggle). */
  private readonly previews = new Map<string, ShownPreview>();
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('ganeti-merge'));
  /** Each diff gets fresh documents: an open document from an earlier diff would otherwise keep its old text. */
  private generation = 0;

  /** `schemes` lets a test run a second instance beside the extension's own. */
  constructor(private readonly schemes = { current: CURRENT_CONFIG_SCHEME, merged: MERGED_CONFIG_SCHEME }) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(schemes.current, this.currentDocs));
    this._register(vscode.workspace.registerFileSystemProvider(schemes.merged, this.mergedFs, { isCaseSensitive: true }));
    // Every diff has its own documents; drop them (and their problems) once VS Code has closed them.
    // (A language-mode change also "closes" a document, so only documents no tab shows are dropped.)
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (isShownInATab(doc.uri)) return;
      if (doc.uri.scheme === schemes.current) {
        this.currentDocs.forget(doc.uri);
        this.previews.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }
      if (doc.uri.scheme === schemes.merged && !doc.isDirty) {
        this.mergedFs.forget(doc.uri);
        this.bases.delete(doc.uri.toString());
        this.previews.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }
    }));
  }

  /**
   * Opens the diff of a preview. A refused merge has no result: the right side then shows the
   * target unchanged, with the reasons as problems. With bookkeeping hidden both sides are read-only.
   */
  async showPreview(preview: MergePreview, options: { bookkeepingHidden?: boolean; title?: string; reopen?: { current: vscode.Uri; merged: vscode.Uri } } = {}): Promise<MergedDiffResult> {
    const t = vscode.l10n.t;
    const errors = preview.findings.filter((f) => f.severity === 'error').length;
    const title = options.title ?? (preview.ok
      ? t('{0} ↔ merged with {1}', preview.target, preview.mergees.join(', '))
      : t('{0}: merge refused ({1} errors, see Problems)', preview.target, errors));
    const key = [preview.target, ...preview.mergees].join('+');
    const bookkeepingHidden = options.bookkeepingHidden === true;
    const objectPerLine = preview.text('merged', { hideBookkeeping: bookkeepingHidden, objectPerLine: true }).length >= OBJECT_PER_LINE_FROM_BYTES;
    const text = (side: 'current' | 'merged') => preview.text(side, { hideBookkeeping: bookkeepingHidden, objectPerLine });
    if (!bookkeepingHidden) {
      const shown = await this.showConfigs({
        key, targetName: preview.target, currentText: text('current'), mergedText: text('merged'),
        merged: preview.merged, findings: preview.findings, title, objectPerLine, uris: options.reopen,
      });
      this.previews.set(shown.merged.toString(), { preview, title, bookkeepingHidden });
      return { current: shown.current, merged: shown.merged, ok: preview.ok, findings: preview.findings, bookkeepingHidden, preview, title, label: title };
    }
    const { current, merged } = options.reopen ?? this.newUris(key, preview.target, this.schemes.current, objectPerLine);
    const mergedText = text('merged');
    this.currentDocs.set(current, text('current'));
    this.currentDocs.set(merged, mergedText);
    this.diagnostics.set(merged, toDiagnostics(mergedText, preview.findings));
    this.previews.set(merged.toString(), { preview, title, bookkeepingHidden });
    const label = t('{0} (serial_no, ctime, mtime hidden; read-only)', title);
    await vscode.commands.executeCommand('vscode.diff', current, merged, label, { preview: false });
    return { current, merged, ok: preview.ok, findings: preview.findings, bookkeepingHidden, preview, title, label };
  }

  /**
   * Selects a place of config.data (a plan item's) on the merged side of a diff shown before, and
   * reveals it: the diff is brought to front, or reopened on the same documents (an edit saved
   * there is what the approval reads) when its tab was closed. The line is found in the text as
   * it is now, on the same rule as the findings' problems (finding-location.ts).
   */
  async revealPlace(shown: MergedDiffResult, place: ConfigPlace): Promise<vscode.Range> {
    // in the diff's own group (the plan, beside it, is the active one when its link was clicked)
    const viewColumn = diffColumn(shown.merged) ?? vscode.ViewColumn.One;
    if (!this.previews.has(shown.merged.toString())) {
      await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      await this.showPreview(shown.preview, { bookkeepingHidden: shown.bookkeepingHidden, title: shown.title, reopen: shown });
    }
    const doc = await vscode.workspace.openTextDocument(shown.merged);
    const line = doc.lineAt(placeLine(doc.getText().split('\n'), place));
    const range = new vscode.Range(line.lineNumber, line.firstNonWhitespaceCharacterIndex, line.lineNumber, line.text.length);
    await vscode.commands.executeCommand('vscode.diff', shown.current, shown.merged, shown.label, { preview: false, selection: range, viewColumn });
    vscode.window.activeTextEditor?.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return range;
  }

  /**
   * Reopens the active merged-config diff with bookkeeping fields hidden, or shown again (the raw,
   * editable view). Undefined when the active editor is no preview diff.
   */
  async toggleBookkeeping(): Promise<MergedDiffResult | undefined> {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const shown = input instanceof vscode.TabInputTextDiff ? this.previews.get(input.modified.toString()) : undefined;
    if (!shown) return undefined;
    return this.showPreview(shown.preview, { bookkeepingHidden: !shown.bookkeepingHidden, title: shown.title });
  }

  /**
   * Opens the diff of two config texts (masked, canonical); the right side is editable, and a save
   * is checked (every invariant, secrets restored from `merged`) and refused with the reason when invalid.
   */
  private async showConfigs(o: { key: string; targetName: string; currentText: string; mergedText: string; merged: GanetiConfig; findings: readonly Finding[]; title: string; objectPerLine: boolean; uris?: { current: vscode.Uri; merged: vscode.Uri } }): Promise<ShownDiff> {
    const { current, merged } = o.uris ?? this.newUris(o.key, o.targetName, this.schemes.merged, o.objectPerLine);
    this.currentDocs.set(current, o.currentText);
    this.mergedFs.set(merged, o.mergedText);
    this.bases.set(merged.toString(), { config: o.merged, findings: o.findings, shownText: o.mergedText });
    this.diagnostics.set(merged, toDiagnostics(o.mergedText, o.findings));
    await vscode.commands.executeCommand('vscode.diff', current, merged, o.title, { preview: false });
    return { current, merged, mergedText: o.mergedText };
  }

  private newUris(key: string, targetName: string, mergedScheme: string, objectPerLine: boolean): { current: vscode.Uri; merged: vscode.Uri } {
    const dir = `${encodeURIComponent(key)}/${++this.generation}`;
    const ext = objectPerLine ? OBJECT_PER_LINE_EXTENSION : '.config.json';
    return {
      current: vscode.Uri.from({ scheme: this.schemes.current, path: `/${dir}/${targetName}${ext}` }),
      merged: vscode.Uri.from({ scheme: mergedScheme, path: `/${dir}/merged${ext}` }),
    };
  }

  /** The saved text of a merged document, the config it is an edit of, and whether it differs from the text shown. */
  savedEdit(uri: vscode.Uri): { text: string; base: GanetiConfig; edited: boolean } | undefined {
    const base = this.bases.get(uri.toString());
    if (!base) return undefined;
    const text = new TextDecoder().decode(this.mergedFs.readFile(uri));
    return { text, base: base.config, edited: text !== base.shownText };
  }

  /** Save hook of the merged documents: a valid edit updates the problems, an invalid one is refused. */
  private validateSave(uri: vscode.Uri, content: Uint8Array): string | undefined {
    const base = this.bases.get(uri.toString());
    if (!base) return undefined;
    const text = new TextDecoder().decode(content);
    try {
      configFromEdit(text, base.config);
    } catch (err) {
      if (!(err instanceof EditedConfigError)) throw err;
      const findings = err.findings.length > 0 ? err.findings : [{ code: 'E_MALFORMED', severity: 'error', message: err.message } as Finding];
      this.diagnostics.set(uri, toDiagnostics(text, findings));
      return vscode.l10n.t('the edited merged config is not valid, nothing was saved: {0}', err.message);
    }
    this.diagnostics.set(uri, toDiagnostics(text, base.findings));
    return undefined;
  }
}

/** The column of the tab group that shows a diff whose right side is `merged`. */
function diffColumn(merged: vscode.Uri): vscode.ViewColumn | undefined {
  const target = merged.toString();
  return vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === target))?.viewColumn;
}

function isShownInATab(uri: vscode.Uri): boolean {
  const target = uri.toString();
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputText) return input.uri.toString() === target;
    if (input instanceof vscode.TabInputTextDiff) return input.original.toString() === target || input.modified.toString() === target;
    return false;
  }));
}

function toDiagnostics(text: string, findings: readonly Finding[]): vscode.Diagnostic[] {
  const lines = text.split('\n');
  return findings.map((f) => {
    const line = findingLine(lines, f);
    const range = new vscode.Range(line, lines[line].length - lines[line].trimStart().length, line, lines[line].length);
    const where = f.source ? `${f.source}: ` : '';
    const d = new vscode.Diagnostic(range, `${where}${f.message}`, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.code = f.code;
    d.source = 'ganeti-merge';
    return d;
  });
}
