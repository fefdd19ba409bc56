/**
 * ganeti-merge: command-line entry point. Sub-commands live in their own files and register
 * here. The merge commands (./merge-commands: plan/run/step/rollback/resume/status) are not
 * registered yet: they bring ssh2 into the bundle, and the CLI bundle test builds without the
 * native-module externals of esbuild.mjs (see the helper report).
 */
import { UsageError, type CliIo, type Command } from './args';
import { configCommand } from './config-command';
import { forgetCommand } from './forget-command';
import { unlockCommand } from './unlock-command';
import { planCommand, resumeCommand, rollbackCommand, runCommand, stepCommand } from './merge-commands';
import { statusCommand } from './status-command';

const COMMANDS: readonly Command[] = [configCommand, planCommand, runCommand, stepCommand, rollbackCommand, resumeCommand, statusCommand, forgetCommand, unlockCommand];

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `usage: ganeti-merge <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun "ganeti-merge <command> --help" for the options of a command.`;
}

/** Runs the CLI and resolves to the exit code (0 ok, 1 refused, 2 usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`${name === undefined ? 'missing command' : `unknown command ${JSON.stringify(name)}`}\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ganeti-merge ${command.name}: ${err.message}\n${command.usage}\n`);
      return 2;
    }
    io.stderr(`ganeti-merge ${command.name}: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };
  main(process.argv.slice(2), io).then((code) => { process.exitCode = code; });
}
