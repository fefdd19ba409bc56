/**
 * Shared argument handling of the ganeti-merge CLI: every sub-command declares its options
 * for util.parseArgs and gets a UsageError (exit 2) for anything it does not understand.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { hasControlCharacter, quoted } from '../core/safe-text';

/** A refusal with its code: main prints `CODE: ganeti-merge COMMAND: message` and exits with `exitCode`. */
export class CliError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad arguments: exit 2, followed by the command's usage. */
export class UsageError extends CliError {
  constructor(message: string, code = 'E_USAGE') {
    super(code, message, 2);
    this.name = 'UsageError';
  }
}

/** Where a command writes; injectable so that tests and the extension can capture output. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the exit code; throws UsageError for bad arguments. */
  run(argv: string[], io: CliIo): Promise<number>;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: { [name: string]: string | boolean | undefined };
  positionals: string[];
}

/** util.parseArgs in strict mode, with its errors turned into UsageError. */
export function parseCommandArgs(argv: string[], options: OptionSpec): ParsedArgs {
  // No argument may carry a control character: it would reach messages, file names or remote argv.
  const bad = argv.find((a) => hasControlCharacter(a));
  if (bad !== undefined) throw new UsageError(`the argument ${quoted(bad)} contains a control character`, 'E_ARG_INVALID');
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** A string option restricted to `allowed`, or its default. */
export function choice<T extends string>(values: ParsedArgs['values'], name: string, allowed: readonly T[], fallback: T): T {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw new UsageError(`--${name} must be one of ${allowed.join('|')}, got ${quoted(v)}`);
}

export function requiredString(values: ParsedArgs['values'], name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** An integer option within [min, max], or its default. */
export function integerIn(values: ParsedArgs['values'], name: string, range: { readonly min: number; readonly max: number; readonly default: number }): number {
  const v = values[name];
  if (v === undefined) return range.default;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${name} must be an integer from ${range.min} to ${range.max}, got ${JSON.stringify(v)}`);
  }
  return n;
}
