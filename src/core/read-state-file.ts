/**
 * The one read of a local state file (a journal, a journal lock) that anyone with access to its
 * directory may have replaced: only a regular file is read. A FIFO in its place would block the
 * reader until someone writes to it (a CLI command, or the editor's extension host at start-up);
 * a directory or device is no state file. Opened without blocking and checked on the open file,
 * so nothing can be swapped in between the check and the read.
 */
import * as fs from 'node:fs';

/** The `code` of the error for a path that is there but is not a regular file. */
export const NOT_REGULAR_FILE = 'ENOTREGULAR';

export function readStateFileSync(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    if (!fs.fstatSync(fd).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: NOT_REGULAR_FILE });
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
