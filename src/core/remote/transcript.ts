/**
 * A record of every remote command: what ran where, how it ended, how much it printed. Never the
 * output itself and never a secret: argv elements marked secret are already redacted here.
 */
export interface TranscriptEvent {
  readonly host: string;
  /** Redacted argv (secret elements replaced by a placeholder). */
  readonly argv: readonly string[];
  /** Exit code, or null when the command did not exit normally (signal, abort, timeout, lost link). */
  readonly exitCode: number | null;
  readonly signal?: string;
  /** Set when the command failed before or instead of exiting. */
  readonly error?: string;
  readonly durationMs: number;
  readonly stdoutBytes: number;
  readonly stderrBytes: number;
  readonly stdinBytes: number;
  readonly startedAt: string;
}

export type TranscriptListener = (event: TranscriptEvent) => void;

export interface Disposable {
  dispose(): void;
}

/** Fan-out of transcript events to any number of listeners (output channel, journal, tests). */
export class Transcript {
  private readonly listeners = new Set<TranscriptListener>();

  onEvent(listener: TranscriptListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  emit(event: TranscriptEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break the command that is being recorded.
      }
    }
  }
}
