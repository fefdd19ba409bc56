/**
 * The one place that turns a path as people write it into an absolute path: absolute as is, `~`,
 * `~/…`, `${userHome}` (VS Code's variable), `${userHome}/…`, or relative to the home directory
 * (like ssh's IdentityFile). Used for the path settings and for the ssh config's IdentityFile.
 */
import * as path from 'node:path';

export type HomePathResult = { readonly path: string } | { readonly error: string };

export function expandHomePath(value: string, homeDir: string): HomePathResult {
  if (value.includes('\0')) return { error: 'a path without NUL characters' };
  let rest = value;
  if (rest === '${userHome}' || rest.startsWith('${userHome}/')) rest = `~${rest.slice('${userHome}'.length)}`;
  if (rest === '~' || rest.startsWith('~/')) return { path: path.join(homeDir, rest.slice(1)) };
  // ~user/… names another user's home, which only a passwd lookup knows: refused, never guessed
  if (rest.startsWith('~')) return { error: 'a path starting with ~/ (not ~user)' };
  if (rest.includes('${')) return { error: 'a path whose only variable is ${userHome}' };
  return { path: path.isAbsolute(rest) ? path.normalize(rest) : path.join(homeDir, rest) };
}
