/** `ganeti-merge status --journal FILE [--json]`: where a merge stands, read from its journal only. */
import { Journal } from '../core/merger/journal';
import { PHASES } from '../core/merger/types';
import { oneLine } from '../core/safe-text';
import { parseCommandArgs, requiredString, type Command } from './args';
import { checkPaths } from './paths';

const USAGE = `usage: ganeti-merge status --journal FILE [--json]

Shows each phase's state from the journal (no connection to the clusters).
  --json   the phase list as JSON`;

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the phases of a merge from its journal',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, { journal: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const file = requiredString(values, 'journal');
    checkPaths({ inputs: [{ flag: '--journal', path: file }], outputs: [] });
    const journal = Journal.load(file);
    const doc = journal.doc;
    const phases = PHASES.map((p) => ({ id: p.id, title: p.title, ...doc.phases[p.id], records: doc.phases[p.id].records.length }));
    if (values.json) {
      io.stdout(`${JSON.stringify({ id: doc.id, options: doc.options, outcome: doc.outcome ?? null, rollback: doc.rollback ?? null, phases }, null, 2)}\n`);
      return 0;
    }
    io.stdout(`merge ${doc.id}: ${doc.options.mergees.join(', ')} -> ${doc.options.target}${doc.outcome ? ` (${oneLine(doc.outcome)})` : ''}\n`);
    if (doc.rollback) io.stdout(`rollback: ${oneLine(doc.rollback.state)}${doc.rollback.error ? `: ${oneLine(doc.rollback.error)}` : ''}\n`);
    for (const p of phases) io.stdout(`  ${p.state.padEnd(8)} ${p.id}${p.error ? `: ${oneLine(p.error)}` : ''}\n`);
    return 0;
  },
};
