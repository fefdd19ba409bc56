/**
 * Ganeti: Export Merge Report: the report (core/report) of one of the editor's merges, as
 * Markdown, HTML or JSON, written where the operator chooses. Reads the journal only, so it works
 * after a merge, a rollback or a failure, and without a connection.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Journal } from '../../core/merger/journal';
import { mergeReportText } from '../../core/report/export-report';
import type { ReportFormat } from '../../core/report/report-render';
import { journalFiles } from '../merge/merge-journals';
import type { UiCommand, UiServices } from '../services';

/** The journal to report on: the one given (a path), the only one, or the operator's pick (newest first). */
async function chooseJournal(s: UiServices, given: unknown): Promise<string | undefined> {
  const t = vscode.l10n.t;
  if (typeof given === 'string') return given;
  const files = journalFiles(s.storageDir);
  if (files.length <= 1) return files[0];
  const items = files.flatMap((file) => {
    try {
      const doc = Journal.load(file).doc;
      return [{ file, label: doc.id, description: `${doc.options.mergees.join(', ')} → ${doc.options.target}`, detail: doc.rollback ? t('rollback: {0}', doc.rollback.state) : (doc.outcome ?? t('not finished')) }];
    } catch {
      return []; // an unreadable journal has no report; the recovery offer names it
    }
  });
  return (await s.host.showQuickPick(items, { placeHolder: t('Which merge to report on?') }))?.file;
}

export function exportMergeReportCommand(s: UiServices): UiCommand {
  return {
    id: 'ganeti.exportMergeReport',
    async run(journalArg?: unknown, formatArg?: unknown, targetArg?: unknown) {
      const t = vscode.l10n.t;
      const file = await chooseJournal(s, journalArg);
      if (!file) {
        await s.host.showInformation(t('No merge to report on yet: run "Ganeti: Merge Clusters" first.'));
        return undefined;
      }
      const formats: { label: string; format: ReportFormat; description: string }[] = [
        { label: 'Markdown', format: 'md', description: '.md' },
        { label: 'HTML', format: 'html', description: '.html' },
        { label: 'JSON', format: 'json', description: '.json' },
      ];
      const format = formats.find((f) => f.format === formatArg)?.format ?? (await s.host.showQuickPick(formats, { placeHolder: t('Report format') }))?.format;
      if (!format) return undefined;
      // rendered before asking where: a journal that is not one is refused before any dialog
      let text: string;
      try {
        text = mergeReportText(file, format);
      } catch (err) {
        await s.host.showError(t('Cannot export the merge report: {0}', (err as Error).message));
        return undefined;
      }
      const id = path.basename(path.dirname(file));
      const target = targetArg instanceof vscode.Uri ? targetArg : await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(os.homedir(), `${id}-report.${format}`)),
        filters: { [formats.find((f) => f.format === format)!.label]: [format] },
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      if (format === 'md') await vscode.commands.executeCommand('markdown.showPreview', target);
      void s.host.showInformation(t('Merge report written to {0}', target.fsPath));
      return target;
    },
  };
}
