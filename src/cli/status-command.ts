/** `ganeti-merge status --journal FILE [--json]`: where a merge stands, read from its journal only. */
import { Journal, JournalError } from '../core/merger/journal';
import { PHASES } from '../core/merger/types';
import { parseCommandArgs, requiredString, type Command } from './args';

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
    let journal: Journal;
    try {
      journal = Journal.load(requiredString(values, 'journal'));
    } catch (err) {
      if (!(err instanceof JournalError)) throw err;
      io.stderr(`ganeti-merge status: ${err.message}\n`);
      return 1;
    }
    const doc = journal.doc;
    const phases = PHASES.map((p) => ({ id: p.id, title: p.title, ...doc.phases[p.id], records: doc.phases[p.id].records.length }));
    if (values.json) {
      io.stdout(`${JSON.stringify({ id: doc.id, options: doc.options, outcome: doc.outcome ?? null, rollback: doc.rollback ?? null, phases }, null, 2)}\n`);
      return 0;
    }
    io.stdout(`merge ${doc.id}: ${doc.options.mergees.join(', ')} -> ${doc.options.target}${doc.outcome ? ` (${doc.outcome})` : ''}\n`);
    if (doc.rollback) io.stdout(`rollback: ${doc.rollback.state}${doc.rollback.error ? `: ${doc.rollback.error}` : ''}\n`);
    for (const p of phases) io.stdout(`  ${p.state.padEnd(8)} ${p.id}${p.error ? `: ${p.error}` : ''}\n`);
    return 0;
  },
};
