/** The merge report of a journal file in one format: what the CLI's `report` and the editor's export share. */
import { Journal } from '../merger/journal';
import { buildMergeReport } from './merge-report';
import { renderReport, type ReportFormat } from './report-render';
import { mergeSecrets } from './report-secrets';

/** Reads the journal (a JournalError when it is not one) and renders its report. */
export function mergeReportText(journalFile: string, format: ReportFormat, now = Date.now()): string {
  const journal = Journal.load(journalFile);
  return renderReport(buildMergeReport(journal.doc, mergeSecrets(journalFile), now), format);
}
