/**
 * THE one place where an argv becomes a remote shell command string. sshd hands the string to the
 * user's login shell, so every element is single-quoted: inside single quotes a POSIX shell
 * interprets nothing, and a quote itself is written as '\'' (close, escaped quote, reopen).
 */
import { Arg, argValue } from './secret';

/** Characters that never need quoting; keeps transcripts and `ps` output readable. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(value: string): string {
  if (value.includes('\0')) {
    // A NUL cannot travel inside a C string argv; refuse instead of silently truncating.
    throw new Error('an argument contains a NUL byte, which a remote command cannot receive');
  }
  if (PLAIN.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function shellQuote(argv: readonly Arg[]): string {
  if (argv.length === 0) throw new Error('cannot run an empty command');
  return argv.map((a) => quoteArg(argValue(a))).join(' ');
}
