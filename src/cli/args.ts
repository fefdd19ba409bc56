/**
 * Shared argument handling of the ganeti-merge CLI: every sub-command declares its options
 * for util.parseArgs and gets a UsageError (exit 2) for anything it does not understand.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
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
  throw new UsageError(`--${name} must be one of ${allowed.join('|')}, got ${JSON.stringify(v)}`);
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
