/**
 * The transcript in a LogOutputChannel: every remote command with host, redacted argv, exit and
 * duration (the core never records output or secrets, so nothing here can leak one). Every line
 * is oneLine'd: a message may quote a remote's stderr, whose newline would forge a log entry.
 */
import * as vscode from 'vscode';
import type { TranscriptEvent } from '../core/remote';
import { oneLine } from '../core/safe-text';

export class TranscriptLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name = vscode.l10n.t('Ganeti Merge')) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  command(e: TranscriptEvent): void {
    const line = formatTranscriptEvent(e);
    if (e.exitCode === 0 && !e.error) this.info(line);
    else this.error(line);
  }

  info(message: string): void {
    this.channel.info(oneLine(message));
  }

  error(message: string): void {
    this.channel.error(oneLine(message));
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** One line per command, also used by the progress panel's transcript. */
export function formatTranscriptEvent(e: TranscriptEvent): string {
  const how = e.error ? `failed: ${e.error}` : e.exitCode === null ? `killed (${e.signal ?? '?'})` : `exit ${e.exitCode}`;
  return `${e.host}: ${e.argv.join(' ')} -> ${how} in ${e.durationMs} ms (out ${e.stdoutBytes} B, err ${e.stderrBytes} B)`;
}
