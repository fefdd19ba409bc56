/**
 * "Show Merged Config Diff": fetches config.data from the target and the mergees through the core,
 * merges them (instances may still be up: this is a preview) and opens vscode.diff between the
 * target's current config and the merged one, both canonically printed with secrets masked.
 * The merge's findings become diagnostics on the merged document.
 */
import * as vscode from 'vscode';
import { mergeConfigs } from '../core/config/merge';
import { parseConfigBuffer } from '../core/config/parse';
import { canonicalPrint } from '../core/config/print';
import { configFromEdit, EditedConfigError } from '../core/config/edited-config';
import { ConfigError, type Finding, type GanetiConfig } from '../core/config/types';
import * as ganeti from '../core/remote/commands';
import { CURRENT_CONFIG_SCHEME, CurrentConfigDocuments, MERGED_CONFIG_SCHEME, MergedConfigFileSystem } from './config-documents';
import { Disposable } from './disposable';
import { findingLine } from './finding-location';
import type { ClusterCommands } from './remote-session';
import type { ClusterSetting, GanetiMergeSettings } from './settings';

export const CONFIG_DATA_PATH = '/var/lib/ganeti/config.data';

export interface ShownDiff {
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
}

export class MergedConfigDiff extends Disposable {
  readonly currentDocs = this._register(new CurrentConfigDocuments());
  readonly mergedFs = this._register(new MergedConfigFileSystem((uri, content) => this.validateSave(uri, content)));
  /** The config each merged document shows (an edit is checked against it) and its merge's findings. */
  private readonly bases = new Map<string, { config: GanetiConfig; findings: readonly Finding[] }>();
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('ganeti-merge'));
  /** Each diff gets fresh documents: an open document from an earlier diff would otherwise keep its old text. */
  private generation = 0;

  /** `schemes` lets a test run a second instance beside the extension's own. */
  constructor(
    private readonly remote: ClusterCommands,
    private readonly settings: () => GanetiMergeSettings,
    private readonly schemes = { current: CURRENT_CONFIG_SCHEME, merged: MERGED_CONFIG_SCHEME },
  ) {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(schemes.current, this.currentDocs));
    this._register(vscode.workspace.registerFileSystemProvider(schemes.merged, this.mergedFs, { isCaseSensitive: true }));
    // Every diff has its own documents; drop them (and their problems) once VS Code has closed them.
    // (A language-mode change also "closes" a document, so only documents no tab shows are dropped.)
    this._register(vscode.workspace.onDidCloseTextDocument((doc) => {
      if (isShownInATab(doc.uri)) return;
      if (doc.uri.scheme === schemes.current) this.currentDocs.forget(doc.uri);
      if (doc.uri.scheme === schemes.merged && !doc.isDirty) {
        this.mergedFs.forget(doc.uri);
        this.bases.delete(doc.uri.toString());
        this.diagnostics.delete(doc.uri);
      }
    }));
  }

  async show(target: ClusterSetting, mergees: readonly ClusterSetting[], signal?: AbortSignal, options?: Pick<GanetiMergeSettings['defaults'], 'groups' | 'networks' | 'params'>): Promise<MergedDiffResult> {
    const [targetConfig, ...mergeeConfigs] = await Promise.all(
      [target, ...mergees].map((c) => this.fetchConfig(c, signal)),
    );
    const defaults = options ?? this.settings().defaults;
    const result = mergeConfigs(
      targetConfig,
      mergees.map((c, i) => ({ config: mergeeConfigs[i], source: c.name })),
      { allowInstancesUp: true, groups: defaults.groups, networks: defaults.networks, params: defaults.params },
      target.name,
    );
    const findings = [...result.report.errors, ...result.report.warnings];
    const title = result.ok
      ? vscode.l10n.t('{0} ↔ merged with {1}', target.name, mergees.map((m) => m.name).join(', '))
      : vscode.l10n.t('{0}: merge refused ({1} errors, see Problems)', target.name, result.report.errors.length);
    // A refused merge has no result: the right side then shows the target unchanged, with the reasons as problems.
    const { current, merged } = await this.showConfigs({
      key: [target.name, ...mergees.map((m) => m.name)].join('+'), targetName: target.name,
      current: targetConfig, merged: result.merged ?? targetConfig, findings, title,
    });
    return { current, merged, ok: result.ok, findings };
  }

  /**
   * Opens the diff of two configs (masked, canonical); the right side is editable, and a save is
   * checked (every invariant, secrets restored from `merged`) and refused with the reason when invalid.
   */
  async showConfigs(o: { key: string; targetName: string; current: GanetiConfig; merged: GanetiConfig; findings: readonly Finding[]; title: string }): Promise<ShownDiff> {
    const key = `${encodeURIComponent(o.key)}/${++this.generation}`;
    const current = vscode.Uri.from({ scheme: this.schemes.current, path: `/${key}/${o.targetName}.config.json` });
    const merged = vscode.Uri.from({ scheme: this.schemes.merged, path: `/${key}/merged.config.json` });
    const currentText = canonicalPrint(o.current, { maskSecrets: true });
    const mergedText = canonicalPrint(o.merged, { maskSecrets: true });
    this.currentDocs.set(current, currentText);
    this.mergedFs.set(merged, mergedText);
    this.bases.set(merged.toString(), { config: o.merged, findings: o.findings });
    this.diagnostics.set(merged, toDiagnostics(mergedText, o.findings));
    await vscode.commands.executeCommand('vscode.diff', current, merged, o.title, { preview: false });
    return { current, merged, mergedText };
  }

  /** The saved text of a merged document and the config it is an edit of. */
  savedEdit(uri: vscode.Uri): { text: string; base: GanetiConfig } | undefined {
    const base = this.bases.get(uri.toString());
    if (!base) return undefined;
    return { text: new TextDecoder().decode(this.mergedFs.readFile(uri)), base: base.config };
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

  private async fetchConfig(cluster: ClusterSetting, signal?: AbortSignal): Promise<GanetiConfig> {
    const data = await this.remote.run(cluster.host, ganeti.readFile(CONFIG_DATA_PATH), signal);
    try {
      return parseConfigBuffer(data, cluster.name);
    } catch (err) {
      if (err instanceof ConfigError) {
        throw new Error(vscode.l10n.t('{0}: {1} is not a usable Ganeti config: {2}', cluster.name, CONFIG_DATA_PATH, err.message), { cause: err });
      }
      throw err;
    }
  }
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
