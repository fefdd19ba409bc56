/**
 * Reads ~/.ssh/config with its `Include` directives inlined (the `ssh-config` package parses but
 * does not follow them). Relative includes are relative to ~/.ssh; `*` and `?` globs are allowed in
 * the file name part, like OpenSSH; matches are read in sorted order.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { quoted } from '../safe-text';

const MAX_DEPTH = 16;

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    // One line naming the file and what is wrong (the editor shows it as is; the CLI checks first).
    throw new Error(`cannot read the ssh config ${quoted(file)}: ${code === 'EISDIR' ? 'it is a directory' : code ?? 'read error'}`, { cause: err });
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

async function expandPattern(pattern: string, homeDir: string): Promise<string[]> {
  let p = pattern.replace(/^~(?=\/|$)/, homeDir);
  if (!path.isAbsolute(p)) p = path.join(homeDir, '.ssh', p);
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return [p];
  if (/[*?]/.test(path.dirname(p))) throw new Error(`ssh config: Include ${pattern}: globs are only supported in the file name`);
  const names = await fs.readdir(path.dirname(p)).catch(() => [] as string[]);
  const re = globToRegExp(base);
  return names.filter((n) => re.test(n)).sort().map((n) => path.join(path.dirname(p), n));
}

function splitArgs(value: string): string[] {
  return (value.match(/"[^"]*"|\S+/g) ?? []).map((a) => a.replace(/^"|"$/g, ''));
}

async function expand(text: string, homeDir: string, depth: number): Promise<string> {
  if (depth > MAX_DEPTH) throw new Error('ssh config: Include nested too deeply (a loop?)');
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*Include\s*=?\s*(.+)$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    for (const pattern of splitArgs(m[1])) {
      for (const file of await expandPattern(pattern, homeDir)) {
        const included = await readOptional(file);
        if (included !== undefined) out.push(await expand(included, homeDir, depth + 1));
      }
    }
  }
  return out.join('\n');
}

/** The config text with includes inlined; '' when the file does not exist. */
export async function readSshConfigText(file: string, homeDir: string): Promise<string> {
  const text = await readOptional(file);
  return text === undefined ? '' : expand(text, homeDir, 0);
}
