/** What went wrong with a remote operation; lets callers react without parsing messages. */
export type RemoteErrorKind = 'connect' | 'hostkey' | 'auth' | 'timeout' | 'aborted' | 'exit' | 'output' | 'parse';

/** A failure of the remote layer, always naming the host it concerns and the underlying cause. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';

  constructor(
    readonly kind: RemoteErrorKind,
    readonly host: string,
    message: string,
    options?: { cause?: unknown; exitCode?: number; address?: string },
  ) {
    const where = options?.address && options.address !== host ? `${host} (${options.address})` : host;
    super(`${where}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode;
  }

  readonly exitCode: number | undefined;
}

/** A short, single-line description of an unknown thrown value (for error messages). */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
