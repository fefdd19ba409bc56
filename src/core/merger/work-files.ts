/**
 * Files of one merge that may hold secrets (fetched config.data, the target backup, snapshot tars):
 * a directory next to the journal, mode 0700, files 0600, written atomically. The journal only
 * names them. Deleted when the operator forgets the merge.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from '../atomic-write';
import { realJournalPath } from './journal';

/** Host keys Ganeti gives re-added nodes (the target master's), trusted for those nodes afterwards. */
export const READDED_NODES_KNOWN_HOSTS = 'known_hosts.readded-nodes';

export class WorkFiles {
  constructor(readonly dir: string) {}

  /** Next to the journal's real file, however the journal was reached (see realJournalPath). */
  static forJournal(journalFile: string): WorkFiles {
    return new WorkFiles(`${realJournalPath(journalFile)}.files`);
  }

  private ensure(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.dir, 0o700);
  }

  pathOf(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`invalid work file name ${JSON.stringify(name)}`);
    return path.join(this.dir, name);
  }

  write(name: string, content: string | Buffer): void {
    this.ensure();
    writeFileAtomicSync(this.pathOf(name), content, 0o600);
  }

  /** Opens a stream for large content (snapshot tars). */
  createWriteStream(name: string): fs.WriteStream {
    this.ensure();
    return fs.createWriteStream(this.pathOf(name), { mode: 0o600 });
  }

  has(name: string): boolean {
    return fs.existsSync(this.pathOf(name));
  }

  read(name: string): Buffer {
    return fs.readFileSync(this.pathOf(name));
  }

  removeAll(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
