/**
 * The one atomic write of a local file (journal, work files, the CLI's outputs; spec 3.9): readers
 * see the old or the new content, never a mix, and the new content survives a crash once written.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Temp file in the same directory, fsync, rename, then fsync of the directory (best effort). */
export function writeFileAtomicSync(file: string, data: string | Buffer, mode = 0o600): void {
  // The directory as given: `link/../x` is resolved by the kernel, and the temp file must land beside x.
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fchmodSync(fd, mode); // the umask may have narrowed or widened the requested mode
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  // The rename itself must survive a power loss too.
  try {
    const dfd = fs.openSync(dir, 'r');
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  }
}
