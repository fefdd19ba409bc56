/**
 * ganeti-merge: command-line entry point. Sub-commands live in their own files and register
 * here: the offline config merge, the merge procedure (plan, run, step, rollback, resume, status, report;
 * their sessions come from src/core/session) and forget. Every refusal leaves through the one
 * formatter below: `CODE: ganeti-merge COMMAND: message`, control characters escaped, never a stack trace.
 */
import { version } from '../../package.json';
import { oneLine, quoted, terminalSafe } from '../core/safe-text';
import { UsageError, type CliIo, type Command } from './args';
import { configCommand } from './config-command';
import { forgetCommand } from './forget-command';
import { unlockCommand } from './unlock-command';
import { planCommand, resumeCommand, rollbackCommand, runCommand, stepCommand } from './merge-commands';
import { reportCommand } from './report-command';
import { statusCommand } from './status-command';

const COMMANDS: readonly Command[] = [configCommand, planCommand, runCommand, stepCommand, rollbackCommand, resumeCommand, statusCommand, reportCommand, forgetCommand, unlockCommand];

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `usage: ganeti-merge <command> [options]\n       ganeti-merge --version\n\ncommands:\n${lines.join('\n')}\n\nRun "ganeti-merge <command> --help" for the options of a command.`;
}

/** A refusal's code: our own `E_...` codes (CliError, JournalError, PlanOptionsError...), else none. */
function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E_[A-Z0-9_]+$/.test(code) ? code : undefined;
}

/** The one error formatter: a coded refusal, a file-system error, or an internal error, each one line. */
function reportError(err: unknown, command: Command, io: CliIo): number {
  const message = oneLine(err instanceof Error ? err.message : String(err));
  const code = codeOf(err);
  if (code !== undefined) {
    const exit = (err as { exitCode?: unknown }).exitCode === 2 ? 2 : 1;
    // some messages carry their code already (they are shown as they are in the editor too)
    const text = message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
    io.stderr(`${code}: ganeti-merge ${command.name}: ${text}\n${err instanceof UsageError ? `${command.usage}\n` : ''}`);
    return exit;
  }
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) {
    io.stderr(`E_IO: ganeti-merge ${command.name}: ${message}\n`);
    return 1;
  }
  // A bug: say so in one line; GANETI_MERGE_DEBUG=1 adds the stack for a bug report.
  const stack = process.env.GANETI_MERGE_DEBUG === '1' && err instanceof Error && err.stack ? `\n${terminalSafe(err.stack)}` : '';
  io.stderr(`E_INTERNAL: ganeti-merge ${command.name}: internal error: ${message}${stack}\n`);
  return 1;
}

/** Runs the CLI and resolves to the exit code (0 ok, 1 refused, 2 usage). */
export async function main(argv: string[], rawIo: CliIo): Promise<number> {
  // Everything written passes terminalSafe: no input byte can move the cursor or rewrite a line.
  const io: CliIo = { stdout: (t) => rawIo.stdout(terminalSafe(t)), stderr: (t) => rawIo.stderr(terminalSafe(t)) };
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`ganeti-merge ${version}\n`); // the package's version: the CLI ships in the same package as the extension
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`E_USAGE: ${name === undefined ? 'missing command' : `unknown command ${quoted(name)}`}\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    return reportError(err, command, io);
  }
}

if (require.main === module) {
  const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}
