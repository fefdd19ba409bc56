/**
 * THE check of every file a CLI command reads or writes, before it reads, writes, resolves or
 * connects anything: each problem gets its own code naming the option, the path and what is
 * wrong, and an output may never be an input under another name (symlink, hard link, bind mount,
 * `..` through a symlink): identities are compared by device and inode, and by real path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { quoted } from '../core/safe-text';
import { CliError, UsageError } from './args';

/** A path and how the user gave it (`--out`, `INCOMING`), for messages. */
export interface FileArg {
  readonly flag: string;
  readonly path: string;
}

export interface OutputArg extends FileArg {
  /** Refuse an existing file (a new journal must not replace a merge in progress). */
  readonly mustNotExist?: boolean;
  /** Read first, then rewritten in place (an existing journal): checked as an input too. */
  readonly alsoInput?: boolean;
}

export interface PathPlan {
  readonly inputs: readonly FileArg[];
  readonly outputs: readonly OutputArg[];
}

const shown = (f: FileArg) => `${f.flag} ${quoted(f.path)}`;

function statError(f: FileArg, err: unknown, what: 'input' | 'directory'): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  const missing = what === 'input' ? 'E_PATH_MISSING' : 'E_OUT_DIR_MISSING';
  const where = what === 'input' ? shown(f) : `${shown(f)}: the directory ${quoted(path.dirname(f.path))}`;
  switch (code) {
    case 'ENOENT': return new CliError(missing, `${where} does not exist`);
    case 'ENOTDIR': return new CliError(missing, `${where} does not exist (a parent is not a directory)`);
    case 'ELOOP': return new CliError(missing, `${where} cannot be resolved (too many symbolic links)`);
    case 'ENAMETOOLONG': return new CliError(missing, `${where}: the name is too long`);
    case 'EACCES': return new CliError(what === 'input' ? 'E_PATH_UNREADABLE' : 'E_OUT_DIR_NOT_WRITABLE', `${where} is not accessible (permission denied)`);
    default: return new CliError(what === 'input' ? 'E_PATH_UNREADABLE' : 'E_OUT_DIR_MISSING', `${where} cannot be examined (${code ?? 'error'})`);
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** An input must be a readable regular file. */
function checkInput(f: FileArg): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(f.path);
  } catch (err) {
    throw statError(f, err, 'input');
  }
  if (st.isDirectory()) throw new CliError('E_PATH_IS_DIRECTORY', `${shown(f)} is a directory, not a file`);
  if (!st.isFile()) throw new CliError('E_PATH_NOT_FILE', `${shown(f)} is ${kindOf(st)}, not a regular file`);
  try {
    fs.accessSync(f.path, fs.constants.R_OK);
  } catch {
    throw new CliError('E_PATH_UNREADABLE', `${shown(f)} is not readable (permission denied)`);
  }
}

/** An output goes into an existing, writable directory, and is not a directory or special file. */
function checkOutput(f: OutputArg): void {
  // dirname of the path as given, never path.resolve: `link/..` is resolved by the kernel, not lexically.
  const dir = path.dirname(f.path);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    throw statError(f, err, 'directory');
  }
  if (!st.isDirectory()) throw new CliError('E_OUT_DIR_MISSING', `${shown(f)}: ${quoted(dir)} is not a directory`);
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new CliError('E_OUT_DIR_NOT_WRITABLE', `${shown(f)}: the directory ${quoted(dir)} is not writable`);
  }
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(f.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw statError(f, err, 'directory');
  }
  if (!existing) return;
  if (existing.isDirectory()) throw new CliError('E_OUT_IS_DIRECTORY', `${shown(f)} is a directory; give a file name`);
  if (!existing.isFile()) throw new CliError('E_OUT_NOT_FILE', `${shown(f)} is ${kindOf(existing)}; give a regular file name`);
  if (f.mustNotExist) throw new CliError('E_JOURNAL_EXISTS', `${shown(f)} already exists: resume, roll back or remove that merge first`);
}

/** Who a path really is: device and inode when it exists, else its real directory plus name. */
function identity(file: string): string {
  try {
    const st = fs.statSync(file);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    let dir = path.dirname(file);
    try { dir = fs.realpathSync(dir); } catch { /* checkOutput already refused a missing directory */ }
    return `path:${path.join(dir, path.basename(file))}`;
  }
}

/** Checks inputs, then outputs, then that no output is an input or another output. */
export function checkPaths(plan: PathPlan): void {
  for (const f of plan.inputs) checkInput(f);
  for (const f of plan.outputs) {
    if (f.alsoInput) checkInput(f);
    checkOutput(f);
  }
  const seen = new Map<string, FileArg>();
  for (const f of plan.inputs) if (!seen.has(identity(f.path))) seen.set(identity(f.path), f);
  for (const f of plan.outputs) {
    const id = identity(f.path);
    const other = seen.get(id);
    if (other) throw new UsageError(`${shown(f)} is the same file as ${shown(other)}: it would be overwritten`, 'E_OUT_ALIASES_INPUT');
    seen.set(id, f);
  }
}
