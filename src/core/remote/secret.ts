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

/** A private key block (PEM or OpenSSH), wherever it appears in a text. */
const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
/** "password=...", "passphrase: ..." and the like: the value after the word. */
const PASSWORD_VALUE = /\b(pass(?:word|wd|phrase)|secret)(["']?\s*[=:]\s*["']?)([^\s"',;]+)/gi;

/**
 * A text with every known secret value, every private key block and every "password=..." value
 * replaced by the placeholder: for documents built from records that should hold none (a merge
 * report), as a second line of defence behind redactArgv.
 */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text.replace(PRIVATE_KEY, REDACTED).replace(PASSWORD_VALUE, (_m, word: string, sep: string) => `${word}${sep}${REDACTED}`);
  // longest first, so a secret that contains another is replaced whole; very short values would
  // blank out ordinary words (a private parameter "1"), they are not secrets worth the name
  for (const s of [...knownSecrets].filter((k) => k.length >= 4).sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
  return out;
}

/** A copy of a JSON-like value with redactText applied to every string (keys included). */
export function redactDeep<T>(value: T, knownSecrets: readonly string[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, knownSecrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[redactText(k, knownSecrets)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
