/** `ganeti-merge report --journal FILE --format md|json|html [--output FILE]`: the merge report, from the journal only. */
import { writeFileAtomicSync } from '../core/atomic-write';
import { mergeReportText } from '../core/report/export-report';
import { REPORT_FORMATS } from '../core/report/report-render';
import { choice, parseCommandArgs, requiredString, type Command } from './args';
import { checkPaths } from './paths';

const USAGE = `usage: ganeti-merge report --journal FILE [--format md|json|html] [--output FILE]

The report of a merge, a rollback or a failure, for a change board: who ran it, when, from where
and with which options; the plan; each phase; every remote command (secrets redacted); the
inventories before and after; verify; the rollback. Reads the journal only (no connection).
  --format md|json|html   (default md)
  --output FILE           write there instead of standard output`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'the merge report of a journal (Markdown, JSON or HTML)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { journal: { type: 'string' }, format: { type: 'string' }, output: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const file = requiredString(values, 'journal');
    const format = choice(values, 'format', REPORT_FORMATS, 'md');
    const output = typeof values.output === 'string' ? values.output : undefined;
    checkPaths({ inputs: [{ flag: '--journal', path: file }], outputs: output === undefined ? [] : [{ flag: '--output', path: output }] });
    const text = mergeReportText(file, format);
    if (output === undefined) io.stdout(text);
    else writeFileAtomicSync(output, text);
    return 0;
  },
};
