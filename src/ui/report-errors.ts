/**
 * The one way an operator action ends in an error: logged (with what was being done) and shown once,
 * never thrown on into VS Code (which would show it again, without the log line). Every command
 * (registerCommands) and every button of the progress panel runs through it.
 */
import * as vscode from 'vscode';
import type { UiHost } from './host';

/** Runs `fn`; a thrown error is reported and the result is then undefined. */
export type ErrorReporter = <T>(what: string, fn: () => T | Promise<T>) => Promise<T | undefined>;

export function errorReporter(host: Pick<UiHost, 'showError'>, log: { error(message: string): void }): ErrorReporter {
  return async (what, fn) => {
    try {
      return await fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error(`${what}: ${message}`);
      await host.showError(vscode.l10n.t('Ganeti: {0}', message));
      return undefined;
    }
  };
}
