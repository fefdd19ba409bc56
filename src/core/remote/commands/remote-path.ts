/** Remote paths used in commands: absolute, normalised, printable, so a path is always just a path. */
import * as path from 'node:path';

export function assertRemotePath(p: string, what = 'remote path'): string {
  if (typeof p !== 'string' || !p.startsWith('/') || /[\0\n\r]/.test(p) || path.posix.normalize(p) !== p || p.length > 4096) {
    throw new Error(`invalid ${what} ${JSON.stringify(String(p).slice(0, 200))}: expected a normalised absolute path without control characters`);
  }
  return p;
}

/** Snapshot and merge ids become file names: letters, digits, '.', '_' and '-', at most 128. */
export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id);
}

export function assertSafeId(id: string, what: string): string {
  if (!isSafeId(id)) {
    throw new Error(`invalid ${what} ${JSON.stringify(String(id).slice(0, 200))}: letters, digits, '.', '_' and '-' only`);
  }
  return id;
}
