/**
 * The secrets a merge's report must never show: those of the configs the merge fetched and wrote
 * (its work files next to the journal), as configSecretValues finds them. A file that cannot be
 * read or parsed adds none; redactText's patterns (private keys, password=...) still apply.
 */
import * as fs from 'node:fs';
import { parseConfigBuffer } from '../config/parse';
import { configSecretValues } from '../config/print';
import { WorkFiles } from '../merger/work-files';

export function mergeSecrets(journalFile: string): string[] {
  const files = WorkFiles.forJournal(journalFile);
  let names: string[];
  try {
    names = fs.readdirSync(files.dir).filter((n) => n.endsWith('.config.data'));
  } catch {
    return [];
  }
  const secrets = new Set<string>();
  for (const name of names) {
    try {
      for (const s of configSecretValues(parseConfigBuffer(files.read(name), name))) secrets.add(s);
    } catch {
      // unreadable or not a config: it contributes no secret values
    }
  }
  return [...secrets];
}
