/**
 * Marks a command argument as secret: it is passed to the remote command unchanged but never appears
 * in transcripts, error messages or logs.
 */
export class SecretArg {
  constructor(readonly value: string) {}
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
}

export type Arg = string | SecretArg;

export const REDACTED = '<redacted>';

export function secret(value: string): SecretArg {
  return new SecretArg(value);
}

export function argValue(arg: Arg): string {
  return typeof arg === 'string' ? arg : arg.value;
}

/** The argv as it may be shown to a human or written to a transcript. */
export function redactArgv(argv: readonly Arg[]): string[] {
  return argv.map((a) => (typeof a === 'string' ? a : REDACTED));
}
